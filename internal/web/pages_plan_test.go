package web_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/warroom/warroom/internal/db/dbtest"
	"github.com/warroom/warroom/internal/plan"
)

// TestPlanPages: the library, a plan's page, importing through the form
// (problems shown with line and column), and declaring with a plan.
func TestPlanPages(t *testing.T) {
	s := newSite(t, dbtest.OpenSQLite(t))
	s.inc.Planner = s.plans // as warroom serve wires it
	rita := s.signIn("responder")

	st, body := rita.get("/plans")
	if st != http.StatusOK {
		t.Fatalf("plans: %d", st)
	}
	mustContain(t, body, `href="/plans/ransomware"`, "v1")
	st, body = rita.get("/plans/ransomware")
	if st != http.StatusOK {
		t.Fatalf("plan page: %d", st)
	}
	mustContain(t, body, "Preserve", "Decision points", "id: ransomware")

	t.Run("ImportRejected", func(t *testing.T) {
		r := rita.send("/plans", url.Values{"source": {"id: x-plan\nversion: 1\ntitle: X\nsteps:\n  - {id: one, title: One, phase: containment, role: wizard}\n"}})
		if r.status != http.StatusBadRequest {
			t.Fatalf("status %d", r.status)
		}
		mustContain(t, r.body, "<code>plan.yaml:5:", "unknown role &#34;wizard&#34;")
	})
	t.Run("ImportOK", func(t *testing.T) {
		src := "id: tabletop\nversion: 1\ntitle: Tabletop drill\nsteps:\n  - {id: one, title: Brief the team, phase: detection_analysis, role: scribe, due: 1h}\n"
		r := rita.send("/plans", url.Values{"source": {src}})
		if r.status != http.StatusSeeOther || r.location != "/plans/tabletop?done=plan-imported" {
			t.Fatalf("import: %d -> %q", r.status, r.location)
		}
		r = rita.send("/plans", url.Values{"source": {src}})
		if r.location != "/plans/tabletop?done=plan-unchanged" {
			t.Fatalf("re-import: %q", r.location)
		}
		st, body := rita.get("/plans/tabletop?version=1")
		if st != http.StatusOK || !strings.Contains(body, "Brief the team") {
			t.Fatalf("imported plan page: %d", st)
		}
	})
	t.Run("ViewerCannotImport", func(t *testing.T) {
		r := s.signIn("viewer").send("/plans", url.Values{"source": {"id: v\nversion: 1\n"}})
		if r.status != http.StatusForbidden {
			t.Fatalf("viewer import: %d", r.status)
		}
	})
	t.Run("DeclareWithPlan", func(t *testing.T) {
		st, body := rita.get("/incidents/new")
		if st != http.StatusOK || !strings.Contains(body, `<option value="ransomware"`) || !strings.Contains(body, `<option value="none"`) {
			t.Fatalf("declare form offers no plans: %d", st)
		}
		r := rita.send("/incidents", url.Values{"title": {"Akira on the NAS"}, "type": {"ransomware"}, "severity": {"SEV1"}, "plan": {"ransomware"}})
		if r.status != http.StatusSeeOther {
			t.Fatalf("declare: %d %s", r.status, errorMessage(r.body))
		}
		path := strings.SplitN(r.location, "?", 2)[0]
		st, body = rita.get(path)
		if st != http.StatusOK {
			t.Fatalf("war room: %d", st)
		}
		starters, _ := plan.Starters()
		p, _ := plan.Parse("ransomware.yaml", starters["ransomware.yaml"], plan.BuiltinRoles())
		mustContain(t, body, `plan <a href="/plans/ransomware?version=1">ransomware v1</a>`, p.Steps[0].Title)
		// The plan's required roles nobody holds yet are gaps.
		if !strings.Contains(body, `class="gap-row"`) {
			t.Error("no required-role gap highlighted")
		}
	})
}
