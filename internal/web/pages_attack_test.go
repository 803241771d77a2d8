package web_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/warroom/warroom/internal/db/dbtest"
	"github.com/warroom/warroom/internal/ioc"
)

// TestAttackPage records attacker activity through the form, with links
// to the incident's indicators and evidence, and reads it back in the
// story; a rejected form keeps what was typed and ticked.
func TestAttackPage(t *testing.T) {
	t.Parallel()
	s := newSite(t, dbtest.OpenSQLite(t))
	f := s.MustFill()
	path := "/incidents/" + f.open.Ref + "/attack"
	x, _, err := s.iocs.Add(s.ctx("responder"), f.open.Ref, ioc.Input{Type: "ipv4", Value: "198.51.100.23"})
	if err != nil {
		t.Fatal(err)
	}
	rita := s.signIn("responder")
	at := time.Now().UTC().Add(-26 * time.Hour).Truncate(time.Second)

	t.Run("Record", func(t *testing.T) {
		r := rita.send(path, url.Values{"text": {"Beacon to 198.51.100.23 from FS01"}, "event_time": {at.Format("2006-01-02T15:04:05")},
			"event_time_tz": {"0"}, "precision": {"second"}, "host": {"FS01"}, "account": {`CORP\svc_backup`}, "tactic": {"TA0011"},
			"technique": {"t1071.001"}, "indicator": {x.ID}, "evidence": {"EV-1"}})
		if r.status != http.StatusSeeOther || !strings.HasPrefix(r.location, path+"?done=attack-recorded#e-") {
			t.Fatalf("record: %d -> %q (%s)", r.status, r.location, errorMessage(r.body))
		}
		es := s.entries(f.open.Ref)
		e := es[len(es)-1]
		if e.Kind != "attacker_activity" || !e.EventTime.Equal(at) || !strings.Contains(string(e.Payload), `"tactic":"TA0011"`) ||
			!strings.Contains(string(e.Payload), `"technique":"T1071.001"`) || !strings.Contains(string(e.Payload), `"label":"EV-1"`) {
			t.Fatalf("stored entry: %+v %s", e.Entry, e.Payload)
		}
		_, body := rita.get(path)
		group := regexpFind(body, `(?s)(<section class="tactic-group" id="tactic-TA0011".*?</section>)`)
		mustContain(t, group, "Command and Control", "Beacon to 198.51.100.23 from FS01", "<code>FS01</code>", `CORP\svc_backup`,
			`href="https://attack.mitre.org/techniques/T1071/001/"`, "198.51.100.23", "EV-1", at.Format("2006-01-02 15:04:05Z"))
		// The plain attacker-activity notes of the fixture are unclassified.
		mustContain(t, body, `id="tactic-none"`)
	})

	t.Run("DayIsTheDateEntered", func(t *testing.T) {
		// In UTC+2, midnight of 20 November is the 19th in UTC: the day
		// recorded is still the 20th.
		r := rita.send(path, url.Values{"text": {"Encryption of FS02"}, "event_time": {"2026-11-20T00:00"}, "event_time_tz": {"120"},
			"precision": {"day"}, "technique": {"T1486"}})
		if r.status != http.StatusSeeOther {
			t.Fatalf("record: %d (%s)", r.status, errorMessage(r.body))
		}
		es := s.entries(f.open.Ref)
		if e := es[len(es)-1]; !e.EventTime.Equal(time.Date(2026, 11, 20, 0, 0, 0, 0, time.UTC)) {
			t.Errorf("day precision in UTC+2 stored %s, want 2026-11-20", e.EventTime)
		}
	})

	t.Run("RejectedKeepsInput", func(t *testing.T) {
		before := len(s.entries(f.open.Ref))
		r := rita.send(path, url.Values{"text": {"Lateral movement"}, "event_time": {localInput(at)}, "technique": {"T1021.001"}, "indicator": {x.ID},
			"evidence": {"EV-42"}, "corrects": {"no-such-entry"}})
		if r.status != http.StatusBadRequest {
			t.Fatalf("rejected form: %d", r.status)
		}
		mustContain(t, r.body, "Lateral movement", `value="`+x.ID+`" checked`)
		if errs := fieldErrors(r.body); len(errs) != 2 {
			t.Errorf("field errors: %q, want evidence and corrects", errs)
		}
		if n := len(s.entries(f.open.Ref)); n != before {
			t.Errorf("a rejected form wrote %d entries", n-before)
		}
	})

	t.Run("NeedToKnow", func(t *testing.T) {
		secret := "/incidents/" + f.restricted.Ref + "/attack"
		if status, _ := s.signIn("viewer").get(secret); status != http.StatusNotFound {
			t.Errorf("viewer off the roster: %d, want 404", status)
		}
		rob := s.signIn("responder2")
		if r := rob.send(secret, url.Values{"text": {"x"}, "event_time": {localInput(at)}}); r.status != http.StatusNotFound {
			t.Errorf("responder off the roster recording: %d, want 404", r.status)
		}
		if status, _ := rita.get(secret); status != http.StatusOK {
			t.Errorf("responder on the roster: %d", status)
		}
	})
}
