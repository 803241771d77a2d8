package web_test

import (
	"fmt"
	"html"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/warroom/warroom/internal/db"
	"github.com/warroom/warroom/internal/db/dbtest"
	"github.com/warroom/warroom/internal/incident"
)

var (
	refLinkRE = regexp.MustCompile(`<a class="ref" href="/incidents/([^"]+)">`)
	nextRE    = regexp.MustCompile(`<a class="button" href="([^"]+)">Next page</a>`)
	countRE   = regexp.MustCompile(`<a class="count" href="([^"]+)"><span class="count-n">(\d+)</span>`)
)

// listed returns the incident references a list page shows, sorted.
func listed(body string) []string {
	out := []string{}
	for _, m := range refLinkRE.FindAllStringSubmatch(body, -1) {
		out = append(out, m[1])
	}
	slices.Sort(out)
	return out
}

// counts reads the count tiles of a list page, keyed by their link.
func counts(body string) map[string]string {
	out := map[string]string{}
	for _, m := range countRE.FindAllStringSubmatch(body, -1) {
		out[html.UnescapeString(m[1])] = m[2]
	}
	return out
}

func TestIncidentList(t *testing.T) {
	t.Parallel()
	dbtest.ForEachDialect(t, func(t *testing.T, d *db.DB) {
		s := newSite(t, d)
		lockbit := s.declare("admin", incident.DeclareInput{Title: "LockBit on finance file servers", Type: "ransomware", Severity: "SEV1"})
		emotet := s.declare("responder", incident.DeclareInput{Title: "Emotet on a sales laptop", Type: "malware", Severity: "SEV3"})
		leak := s.declare("admin", incident.DeclareInput{Title: "Customer export leaked", Type: "data_breach", Severity: "SEV2"})
		if _, err := s.inc.Close(s.ctx("admin"), leak.Ref, "", 0); err != nil {
			t.Fatal(err)
		}
		payroll := s.declare("admin", incident.DeclareInput{Title: "Payroll data taken", Type: "insider_threat", Severity: "SEV2", Restricted: true})
		if _, err := s.inc.Assign(s.ctx("admin"), payroll.Ref, incident.AssignInput{Role: "hr", User: "rob@acme.test"}); err != nil {
			t.Fatal(err)
		}
		theirs := s.declare("outsider", incident.DeclareInput{Title: "Other's own incident"})
		refs := func(is ...incident.Incident) []string {
			out := []string{}
			for _, i := range is {
				out = append(out, i.Ref)
			}
			slices.Sort(out)
			return out
		}
		for _, c := range []struct {
			name, who, query string
			want             []string
			selected         []string // filter values the form shows chosen
		}{
			{"OpenByDefault", "admin", "", refs(lockbit, emotet, payroll), []string{`<option value="open" selected>`}},
			{"Closed", "admin", "?status=closed", refs(leak), []string{`<option value="closed" selected>`}},
			{"All", "admin", "?status=all", refs(lockbit, emotet, leak, payroll), []string{`<option value="all" selected>`}},
			{"Severity", "admin", "?severity=SEV1", refs(lockbit), []string{`<option value="SEV1" selected>`}},
			{"SeverityAll", "admin", "?status=all&severity=SEV2", refs(leak, payroll), nil},
			{"Type", "admin", "?status=all&type=data_breach", refs(leak), []string{`<option value="data_breach" selected>`}},
			{"Mine", "responder", "?mine=1", refs(emotet), []string{`name="mine" value="1" checked`}},
			{"MineOnlyOpen", "admin", "?mine=1", refs(lockbit, payroll), nil},
			{"QueryTitle", "admin", "?q=LOCKBIT", refs(lockbit), []string{`name="q" value="LOCKBIT"`}},
			{"QueryRef", "admin", "?status=all&q=" + strings.ToLower(leak.Ref), refs(leak), nil},
			{"QueryNoMatch", "admin", "?status=all&q=%25_", []string{}, []string{"Nothing matches these filters."}},
			{"RestrictedHiddenFromViewer", "viewer", "?status=all", refs(lockbit, emotet, leak), nil},
			{"RestrictedHiddenFromSearch", "viewer", "?status=all&q=payroll", []string{}, nil},
			{"RestrictedHiddenFromOthers", "responder", "", refs(lockbit, emotet), nil},
			{"RestrictedShownToRoster", "responder2", "", refs(lockbit, emotet, payroll), nil},
			{"OtherOrganisation", "outsider", "?status=all", refs(theirs), nil},
		} {
			t.Run(c.name, func(t *testing.T) {
				st, body := s.signIn(c.who).get("/" + c.query)
				if st != http.StatusOK {
					t.Fatalf("GET /%s: %d", c.query, st)
				}
				if d := cmp.Diff(c.want, listed(body)); d != "" {
					t.Errorf("incidents listed (-want +got):\n%s", d)
				}
				mustContain(t, body, c.selected...)
				if c.who != "outsider" {
					mustNotContain(t, body, theirs.Title)
				}
				if c.who == "viewer" || c.who == "responder" {
					mustNotContain(t, body, payroll.Title, payroll.Ref)
				}
			})
		}
		t.Run("Counts", func(t *testing.T) {
			for who, want := range map[string]map[string]string{
				// Payroll is restricted: counted only for those who may see it.
				"admin": {"/?status=open": "3", "/?status=open&severity=SEV1": "1", "/?status=open&severity=SEV2": "1",
					"/?status=open&severity=SEV3": "1", "/?status=open&severity=SEV4": "0", "/?status=open&mine=1": "2", "/?status=closed": "1"},
				"viewer": {"/?status=open": "2", "/?status=open&severity=SEV1": "1", "/?status=open&severity=SEV2": "0",
					"/?status=open&severity=SEV3": "1", "/?status=open&severity=SEV4": "0", "/?status=open&mine=1": "0", "/?status=closed": "1"},
				"responder2": {"/?status=open": "3", "/?status=open&severity=SEV1": "1", "/?status=open&severity=SEV2": "1",
					"/?status=open&severity=SEV3": "1", "/?status=open&severity=SEV4": "0", "/?status=open&mine=1": "1", "/?status=closed": "1"},
				"outsider": {"/?status=open": "1", "/?status=open&severity=SEV1": "1", "/?status=open&severity=SEV2": "0",
					"/?status=open&severity=SEV3": "0", "/?status=open&severity=SEV4": "0", "/?status=open&mine=1": "1", "/?status=closed": "0"},
			} {
				_, body := s.signIn(who).get("/?status=closed")
				if d := cmp.Diff(want, counts(body)); d != "" {
					t.Errorf("counts for %s (-want +got):\n%s", who, d)
				}
			}
		})
		t.Run("ErrInvalidFilter", func(t *testing.T) {
			for _, q := range []string{"?severity=SEV9", "?type=alien", "?sort=random", "?status=pending", "?cursor=bogus"} {
				if st, body := s.signIn("admin").get("/" + q); st != http.StatusBadRequest || errorCode(body) != "400" {
					t.Errorf("GET /%s: %d, want the 400 page", q, st)
				}
			}
		})
	})
}

// TestIncidentListPages declares more incidents than a page holds and
// follows the Next page link, in every sort order.
func TestIncidentListPages(t *testing.T) {
	t.Parallel()
	s := newSite(t, dbtest.OpenSQLite(t))
	var all []string
	for n := range 53 {
		i := s.declare("responder", incident.DeclareInput{Title: fmt.Sprintf("Phishing report %02d", n), Severity: incident.Severities[n%4]})
		all = append(all, i.Ref)
	}
	slices.Sort(all)
	b := s.signIn("responder")
	for _, sort := range incident.Sorts {
		t.Run(sort, func(t *testing.T) {
			_, first := b.get("/?sort=" + sort)
			m := nextRE.FindStringSubmatch(first)
			if m == nil {
				t.Fatalf("no Next page link with %d incidents", len(all))
			}
			next := html.UnescapeString(m[1])
			u, err := url.Parse(next)
			if err != nil || u.Path != "/" || u.Query().Get("sort") != sort || u.Query().Get("cursor") == "" {
				t.Fatalf("Next page link %q: want / with the sort and a cursor", next)
			}
			st, second := b.get(next)
			if st != http.StatusOK {
				t.Fatalf("GET %s: %d", next, st)
			}
			if nextRE.MatchString(second) {
				t.Errorf("the last page has a Next page link")
			}
			p1, p2 := listed(first), listed(second)
			if len(p1) != 50 || len(p2) != 3 {
				t.Errorf("pages of %d and %d incidents, want 50 and 3", len(p1), len(p2))
			}
			got := slices.Concat(p1, p2)
			slices.Sort(got)
			if d := cmp.Diff(all, got); d != "" {
				t.Errorf("incidents over both pages (-want +got):\n%s", d)
			}
		})
	}
}

// fieldErr returns the field error shown right after the control with id,
// before the next form field begins; "" when there is none.
func fieldErr(body, id string) string {
	i := strings.Index(body, `id="`+id+`"`)
	if i < 0 {
		return "(no control " + id + ")"
	}
	rest := body[i:]
	if j := strings.Index(rest[1:], `<div class="field`); j >= 0 {
		rest = rest[:j+1]
	}
	if errs := fieldErrors(rest); len(errs) > 0 {
		return errs[0]
	}
	return ""
}

func TestDeclare(t *testing.T) {
	t.Parallel()
	dbtest.ForEachDialect(t, func(t *testing.T, d *db.DB) {
		s := newSite(t, d)
		rita := s.signIn("responder")
		day := time.Now().UTC().AddDate(0, 0, -2).Format("2006-01-02")
		at := func(hm string) time.Time {
			v, _ := time.Parse("2006-01-02T15:04", day+"T"+hm)
			return v
		}

		t.Run("OK", func(t *testing.T) {
			r := rita.send("/incidents", url.Values{"title": {"  LockBit on finance file servers "}, "type": {"ransomware"}, "severity": {"SEV2"},
				"tlp": {"green"}, "summary": {"FS01 encrypted"}, "tags": {"Finance, lockbit finance"}, "restricted": {"1"},
				"detected_at": {day + "T10:00"}, "detected_at_tz": {"60"}, "first_compromise_at": {day + "T08:30"}, "first_compromise_at_tz": {"60"}})
			m := regexp.MustCompile(`^/incidents/([A-Z0-9-]+)\?done=(declared)$`).FindStringSubmatch(r.location)
			if r.status != http.StatusSeeOther || m == nil {
				t.Fatalf("declare: %d -> %q (%s)", r.status, r.location, errorMessage(r.body))
			}
			i := s.incidentOf("responder", m[1])
			got := []any{i.Title, i.Type, i.Severity, i.TLP, i.Summary, i.Tags, i.Restricted, i.Status, i.Phase,
				i.Milestones["detected"].At, i.Milestones["first_compromise"].At}
			want := []any{"LockBit on finance file servers", incident.Type("ransomware"), incident.Severity("SEV2"), incident.TLP("green"),
				"FS01 encrypted", []string{"finance", "lockbit"}, true, incident.Open, incident.Phase("detection_analysis"), at("09:00"), at("07:30")}
			if d := cmp.Diff(want, got); d != "" {
				t.Errorf("declared incident (-want +got):\n%s", d)
			}
			ro, err := s.inc.Roster(s.ctx("responder"), i.Ref)
			if err != nil || len(ro.Current) != 1 || ro.Current[0].UserEmail != "rita@acme.test" || ro.Current[0].Role != "incident_commander" {
				t.Errorf("roster %+v, %v: want rita as incident commander", ro.Current, err)
			}
			st, page := rita.get(r.location)
			if st != http.StatusOK {
				t.Fatalf("the war room: %d", st)
			}
			mustContain(t, page, `<div class="flash" role="status">Incident declared. You are its incident commander.</div>`, `<h1 id="incident-title">LockBit on finance file servers</h1>`)
		})

		t.Run("TimeZones", func(t *testing.T) {
			for _, c := range []struct {
				tz   string
				want time.Time
			}{{"", at("10:00")}, {"0", at("10:00")}, {"60", at("09:00")}, {"-300", at("15:00")}, {"330", at("04:30")}, {"nonsense", at("10:00")}} {
				r := rita.send("/incidents", url.Values{"title": {"tz " + c.tz}, "type": {"malware"}, "severity": {"SEV4"},
					"detected_at": {day + "T10:00"}, "detected_at_tz": {c.tz}})
				ref := strings.TrimPrefix(strings.Split(r.location, "?")[0], "/incidents/")
				if r.status != http.StatusSeeOther {
					t.Fatalf("tz %q: %d (%s)", c.tz, r.status, errorMessage(r.body))
				}
				if got := s.incidentOf("responder", ref).Milestones["detected"].At; !got.Equal(c.want) {
					t.Errorf("10:00 with tz %q is stored as %s, want %s", c.tz, got, c.want)
				}
			}
		})

		t.Run("ErrInvalid", func(t *testing.T) {
			before := s.state()
			r := rita.send("/incidents", url.Values{"title": {""}, "type": {"alien_invasion"}, "severity": {"SEV2"}, "summary": {"keep <this>"},
				"tags": {"keep-me"}, "restricted": {"1"}, "tlp": {"red"}})
			if r.status != http.StatusBadRequest {
				t.Fatalf("status %d, want 400", r.status)
			}
			checkPage(t, "declare", r)
			mustContain(t, r.body, `<p class="form-error" role="alert">invalid input</p>`, `keep &lt;this&gt;</textarea>`, `id="tags" name="tags" value="keep-me"`,
				`<option value="SEV2" selected>`, `<option value="red" selected>`, `name="restricted" value="1" checked`)
			if got := fieldErr(r.body, "title"); got != "must be 1 to 200 characters" {
				t.Errorf("title's error %q", got)
			}
			if got := fieldErr(r.body, "type"); !strings.HasPrefix(got, `"alien_invasion" is not allowed`) {
				t.Errorf("type's error %q", got)
			}
			if got := fieldErr(r.body, "severity"); got != "" {
				t.Errorf("severity has an error %q", got)
			}
			if d := cmp.Diff(before, s.state()); d != "" {
				t.Errorf("a rejected declaration changed the state:\n%s", d)
			}
		})

		t.Run("ErrBadTime", func(t *testing.T) {
			r := rita.send("/incidents", url.Values{"title": {"Keep my title"}, "type": {"malware"}, "severity": {"SEV3"},
				"detected_at": {"yesterday noon"}, "first_compromise_at": {day + "T08:00"}})
			if r.status != http.StatusBadRequest {
				t.Fatalf("status %d, want 400", r.status)
			}
			mustContain(t, r.body, `value="Keep my title"`, `value="yesterday noon"`, `value="`+day+`T08:00"`)
			if got := fieldErr(r.body, "detected_at"); !strings.Contains(got, "is not a date and time") {
				t.Errorf("detected_at's error %q", got)
			}
			if got := fieldErr(r.body, "first_compromise_at"); got != "" {
				t.Errorf("first_compromise_at has an error %q", got)
			}
		})

		t.Run("ErrForbiddenForm", func(t *testing.T) {
			st, _ := s.signIn("viewer").get("/incidents/new")
			if st != http.StatusForbidden {
				t.Errorf("viewer GET /incidents/new: %d, want 403", st)
			}
		})

		t.Run("ErrForbidden", func(t *testing.T) {
			r := s.signIn("viewer").send("/incidents", url.Values{"title": {"Viewer's incident"}, "type": {"malware"}, "severity": {"SEV4"}})
			if r.status != http.StatusForbidden || errorCode(r.body) != "403" {
				t.Errorf("viewer declares: %d, want the 403 page", r.status)
			}
			p, _ := s.inc.List(s.ctx("admin"), incident.Filter{Query: "Viewer's incident"})
			if len(p.Items) != 0 {
				t.Errorf("the viewer's incident was declared")
			}
		})
	})
}
