package web_test

import (
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/warroom/warroom/internal/db/dbtest"
	"github.com/warroom/warroom/internal/web"
)

// pageMarkers say which template rendered a response: a page template
// without one here fails TestTemplates.
var pageMarkers = map[string]string{
	"login":               `<form method="post" action="/login"`,
	"error":               `<section class="error-page">`,
	"incidents":           `aria-label="Filter incidents"`,
	"declare":             `<h1>Declare an incident</h1>`,
	"warroom":             `<h1 id="incident-title">`,
	"task":                `<h2 id="hist-h">History</h2>`,
	"admin_people":        `<h2 id="people-h">People</h2>`,
	"admin_tokens":        `<h2 id="tok-h">`,
	"admin_sessions":      `<h2 id="ses-h">`,
	"plans":               `<h2 id="lib-h">Library</h2>`,
	"ack":                 `Acknowledge the page`,
	"admin_notifications": `<h2 id="del-h">Deliveries</h2>`,
	"plan":                `<h2 id="ver-h">Versions</h2>`,
	"contacts":            `<h1>Stakeholder directory</h1>`,
	"contact":             `<h2 id="reach-h">How to reach them</h2>`,
	"indicators":          `aria-label="Filter indicators"`,
	"extract":             `<h1>Extract indicators from text</h1>`,
	"evidence":            `<h1>Evidence locker</h1>`,
	"evidence_item":       `<h2 id="custody-h">Chain of custody</h2>`,
	"attack":              `<h2 id="story-h">`,
	"obligations":         `<h2 id="obl-h">`,
	"admin_obligations":   `<h2 id="orgrules-h">Your rules</h2>`,
}

var (
	scriptTagRE  = regexp.MustCompile(`<script[^>]*>`)
	inlineAttrRE = regexp.MustCompile(`<[^>]*\s(style|on[a-z]+)=[^>]*>`)
)

// needIncident are the pages an organisation without incidents cannot
// show: there they answer with the 404 error page.
var needIncident = []string{"task", "warroom", "indicators", "extract", "evidence", "evidence_item", "attack", "obligations"}

// renderCase is one request whose answer must be a clean page.
type renderCase struct {
	name   string
	page   string // the template that must have rendered it
	who    string // "" is signed out
	path   string
	form   url.Values // POSTed with the session's CSRF token when not nil
	status int
}

// TestTemplates renders every page template through HTTP, with an empty
// organisation and a busy one, as each kind of person: every answer must
// have the right status, no template error or leftover, and be
// well-formed HTML. A page template that no case renders fails the test.
func TestTemplates(t *testing.T) {
	t.Parallel()
	names, err := web.PageNames()
	if err != nil {
		t.Fatal(err)
	}
	slices.Sort(names)
	for _, n := range names {
		if pageMarkers[n] == "" {
			t.Errorf("page template %q has no marker in pageMarkers and no render case", n)
		}
	}

	t.Run("Empty", func(t *testing.T) {
		s := newSite(t, dbtest.OpenSQLite(t))
		cases := commonCases()
		for _, who := range []string{"admin", "viewer"} {
			cases = append(cases,
				renderCase{"WarRoomNotFound", "error", who, "/incidents/IR-2026-0001", nil, 404},
				renderCase{"TaskNotFound", "error", who, "/incidents/IR-2026-0001/tasks/1", nil, 404},
				renderCase{"IndicatorsNotFound", "error", who, "/incidents/IR-2026-0001/indicators", nil, 404},
				renderCase{"EvidenceNotFound", "error", who, "/incidents/IR-2026-0001/evidence/EV-1", nil, 404},
				renderCase{"AttackNotFound", "error", who, "/incidents/IR-2026-0001/attack", nil, 404},
				renderCase{"ObligationsNotFound", "error", who, "/incidents/IR-2026-0001/obligations", nil, 404})
		}
		got := renderAll(t, s, cases)
		want := slices.DeleteFunc(slices.Clone(names), func(n string) bool { return slices.Contains(needIncident, n) })
		if d := cmp.Diff(want, got); d != "" {
			t.Errorf("pages rendered with an empty organisation (-want +got):\n%s", d)
		}
	})

	t.Run("Full", func(t *testing.T) {
		s := newSite(t, dbtest.OpenSQLite(t))
		f := s.MustFill()
		open, closed, secret := f.open.Ref, f.closed.Ref, f.restricted.Ref
		cases := commonCases()
		for _, who := range []string{"admin", "responder", "viewer"} {
			for _, q := range []string{"", "?kind=decision", "?kind=attacker_activity", "?kind=correction", "?kind=nonsense"} {
				cases = append(cases, renderCase{"WarRoom" + q, "warroom", who, "/incidents/" + open + q, nil, 200})
			}
			cases = append(cases, renderCase{"ClosedWarRoom", "warroom", who, "/incidents/" + closed, nil, 200})
			for n := 1; n <= 5; n++ {
				cases = append(cases, renderCase{fmt.Sprint("Task", n), "task", who, fmt.Sprintf("/incidents/%s/tasks/%d", open, n), nil, 200})
			}
			cases = append(cases, renderCase{"TaskNotFound", "error", who, "/incidents/" + open + "/tasks/99", nil, 404})
			cases = append(cases, analysisCases(who, open, secret)...)
			cases = append(cases, attackCases(who, open, secret)...)
			cases = append(cases, obligationCases(who, open, secret)...)
		}
		cases = append(cases,
			renderCase{"RestrictedToAdmin", "warroom", "admin", "/incidents/" + secret, nil, 200},
			renderCase{"RestrictedToRoster", "warroom", "responder", "/incidents/" + secret, nil, 200},
			renderCase{"RestrictedToOthers", "error", "viewer", "/incidents/" + secret, nil, 404},
			renderCase{"OtherOrg", "error", "outsider", "/incidents/" + open, nil, 404},
			// Every war room form, rejected, shown again with its errors.
			renderCase{"QuickStale", "warroom", "responder", "/incidents/" + open, url.Values{"form": {"quick"}, "version": {"1"}, "severity": {"SEV4"}}, 412},
			renderCase{"SummaryInvalid", "warroom", "responder", "/incidents/" + open, url.Values{"form": {"summary"}, "title": {""}, "summary": {hostile}, "tags": {hostile}}, 400},
			renderCase{"CloseStale", "warroom", "responder", "/incidents/" + open + "/close", url.Values{"version": {"1"}, "note": {"done"}}, 412},
			renderCase{"NoteBadTime", "warroom", "responder", "/incidents/" + open + "/notes", url.Values{"text": {hostile}, "kind": {"decision"}, "event_time": {"yesterday"}}, 400},
			renderCase{"NoteFuture", "warroom", "responder", "/incidents/" + open + "/notes", url.Values{"text": {"x"}, "event_time": {localInput(time.Now().Add(48 * time.Hour))}}, 400},
			renderCase{"MilestoneMissing", "warroom", "responder", "/incidents/" + open + "/milestones", url.Values{"kind": {"contained"}}, 400},
			renderCase{"AssignUnknown", "warroom", "responder", "/incidents/" + open + "/roster", url.Values{"role": {"scribe"}, "user": {"nobody@acme.test"}}, 400},
			renderCase{"HandoverToSelf", "warroom", "responder", "/incidents/" + open + "/roster/handover", url.Values{"role": {"incident_commander"}, "user": {"rita@acme.test"}}, 400},
			renderCase{"ReleaseNotHeld", "warroom", "responder", "/incidents/" + open + "/roster/release", url.Values{"role": {"hr"}, "user": {"rita@acme.test"}}, 400},
			renderCase{"TaskBadDeps", "warroom", "responder", "/incidents/" + open + "/tasks", url.Values{"title": {hostile}, "depends_on": {"1, two"}}, 400},
			renderCase{"TaskStatusInvalid", "warroom", "responder", "/incidents/" + open + "/tasks/2", url.Values{"form": {"status"}, "status": {"sleeping"}}, 400},
			renderCase{"TaskEditInvalid", "task", "responder", "/incidents/" + open + "/tasks/2", url.Values{"title": {""}, "depends_on": {"1"}, "due_at": {""}}, 400},
			renderCase{"RoleInvalid", "admin_people", "admin", "/admin/roles", url.Values{"key": {"Bad Key"}, "name": {hostile}}, 400},
			renderCase{"LastAdmin", "admin_people", "admin", "/admin/people/" + s.actors["admin"].UserID, url.Values{"role": {"viewer"}}, 400},
		)
		got := renderAll(t, s, cases)
		if d := cmp.Diff(names, got); d != "" {
			t.Errorf("pages rendered with a busy organisation (-want +got):\n%s", d)
		}
	})
}

// commonCases are the pages that need no incident, each as every kind of
// person, with rejected and accepted forms.
func commonCases() []renderCase {
	cs := []renderCase{
		{"SignIn", "login", "", "/login", nil, 200},
		{"SignInNext", "login", "", "/login?next=/admin&done=signed-out", nil, 200},
		{"SignInRejected", "login", "", "/login", url.Values{"email": {"ada@acme.test"}, "password": {"wrong"}, "next": {"/"}}, 401},
		{"NotFoundSignedOut", "error", "", "/no/such/page", nil, 404},
		{"AckLink", "ack", "", "/ack/some-token", nil, 200},
	}
	for _, who := range []string{"admin", "responder", "viewer", "outsider"} {
		cs = append(cs,
			renderCase{"Incidents", "incidents", who, "/", nil, 200},
			renderCase{"IncidentsAll", "incidents", who, "/?status=all&sort=severity", nil, 200},
			renderCase{"IncidentsClosed", "incidents", who, "/?status=closed&sort=updated&done=role-changed", nil, 200},
			renderCase{"IncidentsFiltered", "incidents", who, "/?status=open&severity=SEV1&type=ransomware&mine=1&q=" + url.QueryEscape(hostile) + "&sort=oldest", nil, 200},
			renderCase{"IncidentsBadFilter", "error", who, "/?severity=SEV9", nil, 400},
			renderCase{"People", "admin_people", who, "/admin", nil, 200},
			renderCase{"Tokens", "admin_tokens", who, "/admin/tokens", nil, 200},
			renderCase{"Sessions", "admin_sessions", who, "/admin/sessions", nil, 200},
			renderCase{"NotFound", "error", who, "/no/such/page", nil, 404},
			renderCase{"Plans", "plans", who, "/plans", nil, 200},
		)
		if who == "admin" || who == "outsider" {
			cs = append(cs, renderCase{"Notifications", "admin_notifications", who, "/admin/notifications", nil, 200})
		} else {
			cs = append(cs, renderCase{"NotificationsForbidden", "error", who, "/admin/notifications", nil, 403})
		}
		cs = append(cs, orgRulesCases(who)...)
		cs = append(cs, renderCase{"Contacts", "contacts", who, "/contacts", nil, 200},
			renderCase{"ContactsFiltered", "contacts", who, "/contacts?kind=outside_counsel&stale=1&q=" + url.QueryEscape(hostile) + "&done=contact-verified", nil, 200},
			renderCase{"ContactsBadFilter", "error", who, "/contacts?kind=lawyer", nil, 400})
		if who == "outsider" {
			cs = append(cs, renderCase{"ContactOfAnotherOrg", "error", who, "/contacts/outside-counsel", nil, 404})
		} else {
			cs = append(cs, renderCase{"Contact", "contact", who, "/contacts/outside-counsel?done=contact-updated", nil, 200})
		}
		if who == "outsider" {
			cs = append(cs, renderCase{"PlanOfAnotherOrg", "error", who, "/plans/ransomware", nil, 404})
		} else {
			cs = append(cs, renderCase{"Plan", "plan", who, "/plans/ransomware", nil, 200},
				renderCase{"PlanVersion", "plan", who, "/plans/ransomware?version=1&diff=1", nil, 200})
		}
	}
	for _, who := range []string{"admin", "responder"} {
		cs = append(cs,
			renderCase{"Declare", "declare", who, "/incidents/new", nil, 200},
			renderCase{"DeclareInvalid", "declare", who, "/incidents", url.Values{"title": {hostile}, "type": {"nonsense"}, "severity": {""},
				"detected_at": {"soon"}, "summary": {hostile}, "tags": {hostile}, "restricted": {"1"}}, 400},
			renderCase{"DeclareFuture", "declare", who, "/incidents", url.Values{"title": {"x"}, "type": {"malware"}, "severity": {"SEV4"},
				"detected_at": {localInput(time.Now().Add(72 * time.Hour))}}, 400},
			renderCase{"TokenInvalid", "admin_tokens", who, "/admin/tokens", url.Values{"name": {""}}, 400},
			renderCase{"TokenCreated", "admin_tokens", who, "/admin/tokens", url.Values{"name": {"ci " + hostile}, "expires": {"30"}}, 201},
			renderCase{"PlanRejected", "plans", who, "/plans", url.Values{"source": {"id: x\nversion: 0\n" + "title: " + hostile}}, 400},
			renderCase{"ContactRejected", "contacts", who, "/contacts", url.Values{"key": {hostile}, "name": {hostile}, "kind": {hostile},
				"work_email": {hostile}, "phone": {hostile}, "signal": {hostile}, "notes": {hostile}, "verified": {"1"}}, 400},
			renderCase{"ContactNoChannel", "contacts", who, "/contacts", url.Values{"key": {"x"}, "name": {"X"}, "kind": {"other"}}, 400},
			renderCase{"ContactDuplicate", "contacts", who, "/contacts", url.Values{"key": {"outside-counsel"}, "name": {"X"}, "kind": {"other"}, "phone": {"+15555550100"}}, 409},
			renderCase{"ContactEditRejected", "contact", who, "/contacts/outside-counsel", url.Values{"name": {""}, "kind": {"outside_counsel"},
				"personal_email": {hostile}, "user": {"ghost@acme.test"}}, 400},
			renderCase{"ContactEditStale", "contact", who, "/contacts/outside-counsel", url.Values{"version": {"99"}, "name": {"Jo"}, "kind": {"outside_counsel"}}, 412},
			renderCase{"ContactVerifyStale", "contacts", who, "/contacts/outside-counsel/verify", url.Values{"version": {"99"}}, 412},
			renderCase{"ContactVerifyStaleOnPage", "contact", who, "/contacts/outside-counsel/verify", url.Values{"version": {"99"}, "back": {"contact"}}, 412},
			renderCase{"ContactMissing", "error", who, "/contacts/nobody", nil, 404},
		)
	}
	cs = append(cs,
		renderCase{"DeclareAsViewer", "error", "viewer", "/incidents", url.Values{"title": {"x"}, "type": {"malware"}, "severity": {"SEV4"}}, 403},
		renderCase{"ContactAsViewer", "error", "viewer", "/contacts", url.Values{"key": {"x"}, "name": {"X"}, "kind": {"other"}, "phone": {"+15555550100"}}, 403},
		renderCase{"ContactDeleteAsResponder", "error", "responder", "/contacts/outside-counsel/delete", url.Values{}, 403},
		renderCase{"ContactDeleteStale", "contact", "admin", "/contacts/outside-counsel/delete", url.Values{"version": {"99"}}, 412},
		renderCase{"PersonInvalid", "admin_people", "admin", "/admin/people", url.Values{"email": {"not an address"}, "role": {"responder"}, "password": {"short"}}, 400},
		renderCase{"PersonAdded", "admin_people", "admin", "/admin/people", url.Values{"email": {"new@acme.test"}, "name": {hostile}, "role": {"viewer"}}, 200},
	)
	return cs
}

// renderAll requests every case and checks the answer; it returns the
// page templates rendered, sorted.
func renderAll(t *testing.T, s *site, cases []renderCase) []string {
	t.Helper()
	browsers := map[string]*browser{"": s.anonymous()}
	seen := map[string]bool{}
	for _, c := range cases {
		b := browsers[c.who]
		if b == nil {
			b = s.signIn(c.who)
			browsers[c.who] = b
		}
		name := c.name
		if c.who != "" {
			name += "/" + c.who
		}
		t.Run(name, func(t *testing.T) {
			var r response
			if c.form != nil {
				form := url.Values{}
				for k, v := range c.form {
					form[k] = v
				}
				if c.who != "" {
					form.Set("csrf", b.csrf("/"))
				}
				r = b.do(http.MethodPost, c.path, form, nil)
			} else {
				r = b.do(http.MethodGet, c.path, nil, nil)
			}
			if r.status != c.status {
				t.Errorf("%s: status %d, want %d; error page says %q", c.path, r.status, c.status, errorMessage(r.body))
			}
			checkPage(t, c.page, r)
			seen[c.page] = true
		})
	}
	var out []string
	for n := range seen {
		out = append(out, n)
	}
	slices.Sort(out)
	return out
}

// checkPage checks an answer is the page template `page`, cleanly rendered.
func checkPage(t *testing.T, page string, r response) {
	t.Helper()
	if ct := r.header.Get("Content-Type"); ct != "text/html; charset=utf-8" {
		t.Errorf("Content-Type %q", ct)
	}
	if m := pageMarkers[page]; m == "" || !strings.Contains(r.body, m) {
		t.Errorf("the answer is not the %s page (marker %q); it begins:\n%.600s", page, m, r.body)
	}
	if page == "error" && errorCode(r.body) != fmt.Sprint(r.status) {
		t.Errorf("the error page shows %q for status %d", errorCode(r.body), r.status)
	}
	for _, bad := range []string{"<no value>", "&lt;no value&gt;", "ZgotmplZ", `<script>alert("x")`, "%!"} {
		if strings.Contains(r.body, bad) {
			i := strings.Index(r.body, bad)
			t.Errorf("the page contains %q: …%s…", bad, r.body[max(0, i-200):min(len(r.body), i+100)])
		}
	}
	// The Content-Security-Policy blocks inline script and style: a page
	// that relies on them is broken in the browser.
	for _, tag := range scriptTagRE.FindAllString(r.body, -1) {
		if !strings.Contains(tag, " src=") {
			t.Errorf("inline script %s (blocked by the CSP)", tag)
		}
	}
	if m := inlineAttrRE.FindString(r.body); m != "" {
		t.Errorf("inline %q attribute (blocked by the CSP)", m)
	}
	if !strings.HasSuffix(strings.TrimSpace(r.body), "</html>") {
		t.Errorf("the page is cut short: …%s", r.body[max(0, len(r.body)-200):])
	}
	for _, p := range checkHTML(r.body) {
		t.Errorf("malformed HTML: %s", p)
	}
}

// errorMessage is the message of an error page, for failure reports.
func errorMessage(body string) string {
	i := strings.Index(body, `<section class="error-page">`)
	if i < 0 {
		return ""
	}
	s := body[i:]
	if j := strings.Index(s, "</section>"); j >= 0 {
		s = s[:j]
	}
	return strings.Join(strings.Fields(s), " ")
}
