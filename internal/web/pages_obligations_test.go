package web_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/warroom/warroom/internal/db/dbtest"
)

// TestObligationsPage saves facts through the form, reads the evaluated
// obligations with their countdown, records a submission with its proof,
// and checks rejected forms and need-to-know.
func TestObligationsPage(t *testing.T) {
	t.Parallel()
	s := newSite(t, dbtest.OpenSQLite(t))
	f := s.MustFill()
	path := "/incidents/" + f.open.Ref + "/obligations"
	rita := s.signIn("responder")
	det := time.Now().UTC().Add(-24 * time.Hour).Truncate(time.Second)
	facts := "organisation:\n  jurisdictions: [US]\nincident:\n  affected:\n    - {jurisdiction: US-TX, count: 300}\n  data_types: [ssn]\n  events:\n    breach_determination: " + det.Format(time.RFC3339) + "\n"

	t.Run("SaveFacts", func(t *testing.T) {
		before := len(s.entries(f.open.Ref))
		r := rita.send(path+"/facts", url.Values{"facts": {facts}, "version": {"0"}})
		if r.status != http.StatusSeeOther || r.location != path+"?done=obligation-facts" {
			t.Fatalf("save: %d -> %q (%s)", r.status, r.location, errorMessage(r.body))
		}
		es := s.entries(f.open.Ref)
		if len(es) != before+1 || es[len(es)-1].Kind != "obligation_facts_updated" {
			t.Fatalf("timeline: %d new entries", len(es)-before)
		}
		_, body := rita.get(path)
		mustContain(t, body, `id="o-us-tx-521-053-attorney-general"`, "Texas Attorney General", "30 calendar days after the breach determination",
			`id="o-us-tx-521-053-individuals"`, " · in ", "Not legal advice", "US-TX")
		if strings.Contains(body, `id="o-eu-gdpr-art33-supervisory-authority"`) {
			t.Error("a rule that does not apply is listed without all=1")
		}
		_, all := rita.get(path + "?all=1")
		mustContain(t, all, `id="o-eu-gdpr-art33-supervisory-authority"`, "outside the territory")
	})

	t.Run("StaleFactsKeepInput", func(t *testing.T) {
		r := rita.send(path+"/facts", url.Values{"facts": {facts + "# mine\n"}, "version": {"0"}})
		if r.status != http.StatusPreconditionFailed {
			t.Fatalf("stale facts: %d", r.status)
		}
		mustContain(t, r.body, "# mine", "someone else changed them")
	})

	t.Run("RejectedFactsNameTheField", func(t *testing.T) {
		r := rita.send(path+"/facts", url.Values{"facts": {strings.Replace(facts, "count: 300", "count: -3", 1)}, "version": {"1"}})
		if r.status != http.StatusBadRequest {
			t.Fatalf("bad facts: %d", r.status)
		}
		mustContain(t, r.body, "incident.affected[0].count", "count: -3")
	})

	t.Run("RecordSubmission", func(t *testing.T) {
		at := time.Now().UTC().Add(-time.Hour).Truncate(time.Minute)
		r := rita.send(path+"/us-tx-521-053-attorney-general/status", url.Values{"status": {"submitted"}, "submitted_at": {at.Format("2006-01-02T15:04")},
			"submitted_at_tz": {"0"}, "reference": {"TX-2026-0042"}, "proof_evidence": {"EV-1"}})
		if r.status != http.StatusSeeOther || !strings.HasPrefix(r.location, path+"?done=obligation-status#o-us-tx") {
			t.Fatalf("submit: %d -> %q (%s)", r.status, r.location, errorMessage(r.body))
		}
		es := s.entries(f.open.Ref)
		if e := es[len(es)-1]; e.Kind != "obligation_status_changed" || !strings.Contains(e.Text, "TX-2026-0042") || !strings.Contains(e.Text, "EV-1") {
			t.Fatalf("timeline entry: %+v", e.Entry)
		}
		_, body := rita.get(path)
		mustContain(t, body, "TX-2026-0042", `href="/incidents/`+f.open.Ref+`/evidence/EV-1"`)
		// Dealt with: how it stood against the deadline, not a countdown.
		entry := regexpFind(body, `(?s)(<li class="entry obligation[^"]*" id="o-us-tx-521-053-attorney-general">.*?</li>)`)
		mustContain(t, entry, "· submitted on time</span>")
		mustNotContain(t, entry, "overdue", " · in ")
	})

	t.Run("NotRequiredNeedsRationale", func(t *testing.T) {
		r := rita.send(path+"/us-tx-521-053-individuals/status", url.Values{"status": {"not_required"}, "reference": {"X-1"}})
		if r.status != http.StatusBadRequest {
			t.Fatalf("not required without rationale: %d", r.status)
		}
		if errs := fieldErrors(r.body); len(errs) != 2 {
			t.Errorf("field errors %q, want rationale and reference", errs)
		}
	})

	t.Run("NeedToKnow", func(t *testing.T) {
		secret := "/incidents/" + f.restricted.Ref + "/obligations"
		if status, _ := s.signIn("viewer").get(secret); status != http.StatusNotFound {
			t.Errorf("viewer off the roster: %d, want 404", status)
		}
		rob := s.signIn("responder2")
		if r := rob.send(secret+"/facts", url.Values{"facts": {facts}}); r.status != http.StatusNotFound {
			t.Errorf("responder off the roster saving facts: %d, want 404", r.status)
		}
		if r := s.signIn("viewer").send(path+"/facts", url.Values{"facts": {facts}, "version": {"1"}}); r.status != http.StatusForbidden {
			t.Errorf("viewer saving facts: %d, want 403", r.status)
		}
	})
}
