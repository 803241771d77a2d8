package web_test

import (
	"net/http"
	"net/url"
	"regexp"
	"testing"
	"time"

	"github.com/warroom/warroom/internal/db/dbtest"
)

// TestWarRoomOwedPanel: the war room summarises the notification clocks
// (owed notices soonest first with a countdown, the ones waiting for an
// event, a link to the tab), invites recording the facts when there are
// none, and drops a notice once it is submitted.
func TestWarRoomOwedPanel(t *testing.T) {
	t.Parallel()
	s := newSite(t, dbtest.OpenSQLite(t))
	f := s.MustFill()
	room := "/incidents/" + f.open.Ref
	rita := s.signIn("responder")

	_, body := rita.get(room)
	mustContain(t, body, `<h2 id="owed-h">Notifications owed</h2>`, "No facts recorded yet.")

	det := time.Now().UTC().Add(-24 * time.Hour).Truncate(time.Second)
	facts := "organisation:\n  jurisdictions: [US]\n  entity_types: [sec_registrant]\nincident:\n  affected:\n    - {jurisdiction: US-TX, count: 300}\n" +
		"  data_types: [ssn]\n  events:\n    breach_determination: " + det.Format(time.RFC3339) + "\n"
	if r := rita.send(room+"/obligations/facts", url.Values{"facts": {facts}, "version": {"0"}}); r.status != http.StatusSeeOther {
		t.Fatalf("facts: %d %s", r.status, errorMessage(r.body))
	}
	_, body = rita.get(room)
	panel := regexpFind(body, `(?s)(<section class="card owed".*?</section>)`)
	mustContain(t, panel, "Texas Attorney General", `data-due="`, "us-tx-521-053-attorney-general", "waiting for an event to start the clock",
		`href="`+room+`/obligations">All notification clocks`)
	// The SEC's clock waits for the materiality determination.
	mustNotContain(t, panel, "No facts recorded yet.", "Securities and Exchange")
	if !regexp.MustCompile(`class="countdown" data-due="[^"]+">in \d+d \d+h</strong>`).MatchString(panel) {
		t.Errorf("no countdown in the panel:\n%s", panel)
	}

	if r := rita.send(room+"/obligations/us-tx-521-053-attorney-general/status", url.Values{"status": {"submitted"},
		"submitted_at": {localInput(time.Now().Add(-time.Hour))}, "reference": {"TX-AG-2026-118"}}); r.status != http.StatusSeeOther {
		t.Fatalf("status: %d %s", r.status, errorMessage(r.body))
	}
	_, body = rita.get(room)
	panel = regexpFind(body, `(?s)(<section class="card owed".*?</section>)`)
	mustNotContain(t, panel, "us-tx-521-053-attorney-general")
	mustContain(t, panel, "1 done")
}
