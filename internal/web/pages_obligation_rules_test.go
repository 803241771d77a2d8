package web_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/warroom/warroom/internal/db/dbtest"
	"github.com/warroom/warroom/internal/obligation"
)

const customerContract = `version: 1
rules:
  - id: acme-customer-48h
    title: Notify the customer under the master services agreement
    jurisdiction: contract
    regime: MSA 2024-17
    recipient: {kind: customers, name: Contoso Ltd (customer)}
    applies: {personal_data: true}
    clock: {event: awareness}
    deadline: {hours: 48, basis: contract, text: Within 48 hours of becoming aware}
    citations: [{title: MSA 2024-17 clause 9.3, url: "https://intranet.example/msa.pdf"}]
    confidence: high
    status: in_force
`

// TestObligationsPageOrgRules: the organisation's own rules show on the
// Notifications tab and in the war room like the built-in ones, marked
// "your rule"; once removed, a rule with a recorded status stays listed,
// marked, without a form to change it.
func TestObligationsPageOrgRules(t *testing.T) {
	t.Parallel()
	s := newSite(t, dbtest.OpenSQLite(t))
	f := s.MustFill()
	rules, err := obligation.Builtin()
	if err != nil {
		t.Fatal(err)
	}
	svc := &obligation.Service{DB: s.db, Now: time.Now, Log: quiet(), Rules: rules}
	if _, err := svc.PutOrgRules(s.ctx("admin"), []byte(customerContract), 0); err != nil {
		t.Fatal(err)
	}
	room := "/incidents/" + f.open.Ref
	path := room + "/obligations"
	rita := s.signIn("responder")
	aware := time.Now().UTC().Add(-time.Hour).Truncate(time.Second)
	facts := "organisation:\n  jurisdictions: [US]\nincident:\n  affected:\n    - {jurisdiction: US-TX, count: 300}\n  data_types: [ssn]\n  events:\n    awareness: " +
		aware.Format(time.RFC3339) + "\n    breach_determination: " + aware.Format(time.RFC3339) + "\n"
	if r := rita.send(path+"/facts", url.Values{"facts": {facts}, "version": {"0"}}); r.status != http.StatusSeeOther {
		t.Fatalf("facts: %d %s", r.status, errorMessage(r.body))
	}

	_, body := rita.get(path)
	own := regexpFind(body, `(?s)(<li class="entry obligation[^"]*" id="o-acme-customer-48h">.*?)(?:<li class="entry|</ol>)`)
	mustContain(t, own, "Contoso Ltd (customer)", ">your rule</span>", "48 hours", "MSA 2024-17 clause 9.3",
		`action="`+path+`/acme-customer-48h/status"`)
	texas := regexpFind(body, `(?s)(<li class="entry obligation[^"]*" id="o-us-tx-521-053-attorney-general">.*?)(?:<li class="entry|</ol>)`)
	mustContain(t, texas, "Texas Attorney General")
	mustNotContain(t, texas, "your rule")
	_, body = rita.get(room)
	panel := regexpFind(body, `(?s)(<section class="card owed".*?</section>)`)
	mustContain(t, panel, "Contoso Ltd (customer)", "acme-customer-48h</code> · your rule")

	if r := rita.send(path+"/acme-customer-48h/status", url.Values{"status": {"drafting"}, "rationale": {"counsel drafting the letter"}}); r.status != http.StatusSeeOther {
		t.Fatalf("status: %d %s", r.status, errorMessage(r.body))
	}
	if _, err := svc.PutOrgRules(s.ctx("admin"), []byte("version: 1\nrules: []\n"), 1); err != nil {
		t.Fatal(err)
	}
	_, body = rita.get(path)
	gone := regexpFind(body, `(?s)(<li class="entry obligation[^"]*" id="o-acme-customer-48h">.*?)(?:<li class="entry|</ol>)`)
	mustContain(t, gone, "Contoso Ltd (customer)", ">rule removed</span>", "drafting", "counsel drafting the letter", "no longer defined")
	mustNotContain(t, gone, "your rule", "/acme-customer-48h/status")
	if r := rita.send(path+"/acme-customer-48h/status", url.Values{"status": {"drafting"}}); r.status != http.StatusNotFound {
		t.Errorf("status for a removed rule: %d, want 404", r.status)
	}
}

// TestAdminObligationRulesPage: an admin saves the organisation's rules
// from the browser (CRLF line ends are stored as LF), sees them listed,
// and a rejected document comes back with each problem's position and
// the text as typed.
func TestAdminObligationRulesPage(t *testing.T) {
	t.Parallel()
	s := newSite(t, dbtest.OpenSQLite(t))
	ada := s.signIn("admin")
	_, body := ada.get("/admin/obligations")
	mustContain(t, body, "No rules of your own", "yourorg-customer-48h", `name="version" value="0"`)

	bad := strings.Replace(customerContract, "event: awareness", "event: awarenes", 1)
	r := ada.send("/admin/obligations", url.Values{"version": {"0"}, "source": {bad}})
	if r.status != http.StatusBadRequest {
		t.Fatalf("bad document: %d", r.status)
	}
	mustContain(t, r.body, "organisation-rules.yaml:9:20", "unknown event", "event: awarenes")

	r = ada.send("/admin/obligations", url.Values{"version": {"0"}, "source": {strings.ReplaceAll(customerContract, "\n", "\r\n")}})
	if r.status != http.StatusSeeOther || r.location != "/admin/obligations?done=obligation-rules" {
		t.Fatalf("save: %d -> %q (%s)", r.status, r.location, errorMessage(r.body))
	}
	rules, _ := obligation.Builtin()
	svc := &obligation.Service{DB: s.db, Now: time.Now, Log: quiet(), Rules: rules}
	if doc, err := svc.OrgRules(s.ctx("admin")); err != nil || doc.Source != customerContract || doc.Version != 1 {
		t.Fatalf("stored document version %d (%v):\n%q", doc.Version, err, doc.Source)
	}
	_, body = ada.get("/admin/obligations")
	mustContain(t, body, "acme-customer-48h", "Contoso Ltd (customer)", "48 hours", `name="version" value="1"`, "your document version 1")
	if r := ada.send("/admin/obligations", url.Values{"version": {"0"}, "source": {"version: 1\nrules: []\n"}}); r.status != http.StatusPreconditionFailed {
		t.Errorf("stale save: %d", r.status)
	}
	if status, _ := s.signIn("responder").get("/admin/obligations"); status != http.StatusForbidden {
		t.Errorf("responder: %d, want 403", status)
	}
}
