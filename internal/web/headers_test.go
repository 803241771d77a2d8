package web_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/warroom/warroom/internal/db/dbtest"
	"github.com/warroom/warroom/internal/incident"
)

// TestSecurityHeaders checks the headers that keep pages from running
// injected script, being framed or sniffed, on every kind of answer.
func TestSecurityHeaders(t *testing.T) {
	t.Parallel()
	s := newSite(t, dbtest.OpenSQLite(t))
	i := s.declare("admin", incident.DeclareInput{})
	admin, viewer := s.signIn("admin"), s.signIn("viewer")
	for _, c := range []struct {
		name   string
		b      *browser
		method string
		path   string
		form   url.Values
		status int
	}{
		{"SignIn", s.anonymous(), http.MethodGet, "/login", nil, 200},
		{"SignInRejected", s.anonymous(), http.MethodPost, "/login", signInForm("ada@acme.test", "wrong", "/"), 401},
		{"RedirectToSignIn", s.anonymous(), http.MethodGet, "/admin", nil, 303},
		{"Incidents", admin, http.MethodGet, "/", nil, 200},
		{"WarRoom", admin, http.MethodGet, "/incidents/" + i.Ref, nil, 200},
		{"Task", admin, http.MethodGet, "/incidents/" + i.Ref + "/tasks/1", nil, 404},
		{"People", admin, http.MethodGet, "/admin", nil, 200},
		{"Tokens", admin, http.MethodGet, "/admin/tokens", nil, 200},
		{"Sessions", admin, http.MethodGet, "/admin/sessions", nil, 200},
		{"NotFound", admin, http.MethodGet, "/nothing/here", nil, 404},
		{"Forbidden", viewer, http.MethodPost, "/incidents", url.Values{"title": {"x"}}, 403},
	} {
		t.Run(c.name, func(t *testing.T) {
			form := c.form
			if form != nil && c.b != nil && c.b.sessionCookie() != "" {
				form.Set("csrf", c.b.csrf("/"))
			}
			r := c.b.do(c.method, c.path, form, nil)
			if r.status != c.status {
				t.Errorf("status %d, want %d", r.status, c.status)
			}
			csp := directives(r.header.Get("Content-Security-Policy"))
			if got := csp["script-src"]; len(got) != 1 || got[0] != "'self'" {
				t.Errorf("script-src %q, want only 'self'", got)
			}
			for d, srcs := range csp {
				for _, src := range srcs {
					if src == "'unsafe-inline'" || src == "'unsafe-eval'" || src == "*" || strings.HasPrefix(src, "http") {
						t.Errorf("CSP %s allows %s", d, src)
					}
				}
			}
			for d, want := range map[string]string{"default-src": "'self'", "object-src": "'none'", "frame-ancestors": "'none'", "base-uri": "'none'", "form-action": "'self'"} {
				if got := csp[d]; len(got) != 1 || got[0] != want {
					t.Errorf("CSP %s %q, want %s", d, got, want)
				}
			}
			for h, want := range map[string]string{"X-Frame-Options": "DENY", "X-Content-Type-Options": "nosniff",
				"Referrer-Policy": "same-origin", "Cache-Control": "no-store"} {
				if got := r.header.Get(h); got != want {
					t.Errorf("%s: %q, want %q", h, got, want)
				}
			}
		})
	}
	t.Run("Static", func(t *testing.T) {
		for path, ctype := range map[string]string{"/static/app.js": "text/javascript", "/static/app.css": "text/css"} {
			r := admin.do(http.MethodGet, path, nil, nil)
			if r.status != 200 || !strings.HasPrefix(r.header.Get("Content-Type"), ctype) || r.header.Get("X-Content-Type-Options") != "nosniff" {
				t.Errorf("GET %s: %d, %q, nosniff %q", path, r.status, r.header.Get("Content-Type"), r.header.Get("X-Content-Type-Options"))
			}
		}
	})
}

// directives splits a Content-Security-Policy into its directives.
func directives(csp string) map[string][]string {
	out := map[string][]string{}
	for _, d := range strings.Split(csp, ";") {
		f := strings.Fields(d)
		if len(f) > 0 {
			out[f[0]] = f[1:]
		}
	}
	return out
}
