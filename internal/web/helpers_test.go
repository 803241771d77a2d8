package web_test

import (
	"context"
	"fmt"
	"github.com/warroom/warroom/internal/db"
	"github.com/warroom/warroom/internal/notify"
	"html"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/warroom/warroom/internal/api"
	"github.com/warroom/warroom/internal/contact"
	"github.com/warroom/warroom/internal/incident"
	"github.com/warroom/warroom/internal/org"
)

// response is a page with what the handler tests look at besides the body.
type response struct {
	status   int
	body     string
	header   http.Header
	location string // the raw Location header
	cookies  []*http.Cookie
}

// do sends a request (a form when form is not nil) with extra headers,
// without following redirects, keeping the browser's cookies.
func (b *browser) do(method, path string, form url.Values, header map[string]string) response {
	b.t.Helper()
	var body io.Reader
	if form != nil {
		body = strings.NewReader(form.Encode())
	}
	req, err := http.NewRequest(method, b.base+path, body)
	if err != nil {
		b.t.Fatal(err)
	}
	if form != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	for k, v := range header {
		req.Header.Set(k, v)
	}
	// Straight to the transport, with the jar by hand: the client would
	// refuse a Location it cannot parse, and some tests are about exactly
	// such headers.
	for _, c := range b.c.Jar.Cookies(req.URL) {
		req.AddCookie(c)
	}
	resp, err := http.DefaultTransport.RoundTrip(req)
	if err != nil {
		b.t.Fatal(err)
	}
	b.c.Jar.SetCookies(req.URL, resp.Cookies())
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	return response{status: resp.StatusCode, body: string(raw), header: resp.Header, location: resp.Header.Get("Location"), cookies: resp.Cookies()}
}

// send posts form to action with the CSRF token of the session, read from
// the incident list.
func (b *browser) send(action string, form url.Values) response {
	b.t.Helper()
	form.Set("csrf", b.csrf("/"))
	return b.do(http.MethodPost, action, form, nil)
}

// anonymous is a browser that has not signed in.
func (s *site) anonymous() *browser {
	jar, _ := cookiejar.New(nil)
	return &browser{t: s.t, base: s.srv.URL, c: &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}}
}

// sessionCookie returns the browser's session cookie value, "" when none.
func (b *browser) sessionCookie() string {
	u, _ := url.Parse(b.base)
	for _, c := range b.c.Jar.Cookies(u) {
		if c.Name == api.SessionCookie {
			return c.Value
		}
	}
	return ""
}

// cookieNamed finds a Set-Cookie of a response.
func cookieNamed(cs []*http.Cookie, name string) *http.Cookie {
	for _, c := range cs {
		if c.Name == name {
			return c
		}
	}
	return nil
}

// mustContain fails unless body contains every one of want.
func mustContain(t testing.TB, body string, want ...string) {
	t.Helper()
	for _, w := range want {
		if !strings.Contains(body, w) {
			t.Errorf("the page does not contain %q", w)
		}
	}
}

// mustNotContain fails when body contains any of bad.
func mustNotContain(t testing.TB, body string, bad ...string) {
	t.Helper()
	for _, b := range bad {
		if strings.Contains(body, b) {
			t.Errorf("the page contains %q", b)
		}
	}
}

var errorCodeRE = regexp.MustCompile(`<p class="error-code">(\d+)</p>`)

// errorCode is the status shown on an error page, "" on other pages.
func errorCode(body string) string {
	if m := errorCodeRE.FindStringSubmatch(body); m != nil {
		return m[1]
	}
	return ""
}

// incidentOf reads an incident back through the service as who.
func (s *site) incidentOf(who, ref string) incident.Incident {
	s.t.Helper()
	i, err := s.inc.Get(s.ctx(who), ref)
	if err != nil {
		s.t.Fatalf("get %s: %v", ref, err)
	}
	return i
}

// entries reads an incident's whole timeline, oldest first.
func (s *site) entries(ref string) []incident.Entry {
	s.t.Helper()
	p, err := s.inc.Timeline(s.ctx("admin"), ref, incident.TimelineFilter{Limit: 500})
	if err != nil {
		s.t.Fatalf("timeline of %s: %v", ref, err)
	}
	return p.Items
}

// taskOf reads a task back through the service.
func (s *site) taskOf(ref string, n int64) incident.Task {
	s.t.Helper()
	tk, err := s.inc.Task(s.ctx("admin"), ref, n)
	if err != nil {
		s.t.Fatalf("task %d of %s: %v", n, ref, err)
	}
	return tk
}

// state is what a refused POST must leave as it was: every incident's
// version and timeline length, tasks, roster, plans, contacts, people,
// roles, tokens and sessions, as the admin sees them.
func (s *site) state() string {
	s.t.Helper()
	ctx := s.ctx("admin")
	var b strings.Builder
	p, err := s.inc.List(ctx, incident.Filter{Limit: 500})
	if err != nil {
		s.t.Fatal(err)
	}
	for _, i := range p.Items {
		fmt.Fprintf(&b, "incident %s v%d seq%d %s\n", i.Ref, i.Version, i.LastSeq, i.Status)
		ts, err := s.inc.Tasks(ctx, i.Ref, incident.TaskFilter{})
		if err != nil {
			s.t.Fatal(err)
		}
		for _, tk := range ts {
			fmt.Fprintf(&b, "  task %d v%d %s\n", tk.Number, tk.Version, tk.Status)
		}
		ro, err := s.inc.Roster(ctx, i.Ref)
		if err != nil {
			s.t.Fatal(err)
		}
		for _, as := range ro.Current {
			fmt.Fprintf(&b, "  role %s %s\n", as.Role, as.UserEmail)
		}
		fmt.Fprintf(&b, "  timeline %d\n", len(s.entries(i.Ref)))
	}
	err = s.db.Read(context.Background(), func(tx *db.Tx) error {
		hooks, err := notify.ListWebhooks(context.Background(), tx, s.actors["admin"].OrgID)
		if err != nil {
			return err
		}
		for _, h := range hooks {
			fmt.Fprintf(&b, "webhook %s %v\n", h.Name, h.Enabled)
		}
		ds, err := notify.ListDeliveries(context.Background(), tx, notify.DeliveryFilter{OrgID: s.actors["admin"].OrgID})
		if err != nil {
			return err
		}
		for _, d := range ds {
			fmt.Fprintf(&b, "delivery %s %s\n", d.ID, d.Status)
		}
		rows, err := tx.QueryContext(context.Background(), `SELECT id, acknowledged_at IS NOT NULL FROM pages ORDER BY id`)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var id string
			var acked bool
			if err := rows.Scan(&id, &acked); err != nil {
				return err
			}
			fmt.Fprintf(&b, "page %s %v\n", id, acked)
		}
		if err := rows.Err(); err != nil {
			return err
		}
		var rulesVersion int64
		err = tx.QueryRowContext(context.Background(), `SELECT COALESCE(MAX(version), 0) FROM obligation_rules`).Scan(&rulesVersion)
		fmt.Fprintf(&b, "obligation rules v%d\n", rulesVersion)
		return err
	})
	if err != nil {
		s.t.Fatal(err)
	}
	ps, err := s.plans.List(ctx)
	if err != nil {
		s.t.Fatal(err)
	}
	for _, p := range ps {
		fmt.Fprintf(&b, "plan %s v%d\n", p.PlanID, p.Version)
	}
	cs, err := s.contacts.List(ctx, contact.Filter{})
	if err != nil {
		s.t.Fatal(err)
	}
	for _, c := range cs {
		fmt.Fprintf(&b, "contact %s v%d stale=%v\n", c.Key, c.Version, c.Stale)
	}
	ms, err := s.orgs.Members(ctx)
	if err != nil {
		s.t.Fatal(err)
	}
	for _, m := range ms {
		fmt.Fprintf(&b, "member %s %s\n", m.Email, m.Role)
	}
	rs, err := s.orgs.Roles(ctx)
	if err != nil {
		s.t.Fatal(err)
	}
	fmt.Fprintf(&b, "roles %d\n", len(rs))
	toks, err := s.orgs.Tokens(ctx)
	if err != nil {
		s.t.Fatal(err)
	}
	for _, tk := range toks {
		fmt.Fprintf(&b, "token %s revoked=%v\n", tk.Name, tk.RevokedAt != nil)
	}
	ses, err := s.orgs.Sessions(ctx)
	if err != nil {
		s.t.Fatal(err)
	}
	for _, x := range ses {
		fmt.Fprintf(&b, "session %s %s revoked=%v\n", x.ID, x.UserEmail, x.RevokedAt != nil)
	}
	return b.String()
}

// sessionsOf lists the sessions of one person, as the admin sees them.
func (s *site) sessionsOf(who string) []org.Session {
	s.t.Helper()
	all, err := s.orgs.Sessions(s.ctx("admin"))
	if err != nil {
		s.t.Fatal(err)
	}
	var out []org.Session
	for _, x := range all {
		if x.UserEmail == s.emails[who] {
			out = append(out, x)
		}
	}
	return out
}

// localInput formats t as a datetime-local field value in UTC.
func localInput(t time.Time) string { return t.UTC().Format("2006-01-02T15:04") }

var fieldErrorRE = regexp.MustCompile(`<span class="field-error">([^<]*)</span>`)

// fieldErrors lists the field errors shown in a page or part of one.
func fieldErrors(body string) []string {
	var out []string
	for _, m := range fieldErrorRE.FindAllStringSubmatch(body, -1) {
		out = append(out, html.UnescapeString(m[1]))
	}
	return out
}

// regexpFind returns the first group of pattern in s, or "".
func regexpFind(s, pattern string) string {
	m := regexp.MustCompile(pattern).FindStringSubmatch(s)
	if m == nil {
		return ""
	}
	return m[1]
}
