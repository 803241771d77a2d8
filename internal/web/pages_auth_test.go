package web_test

import (
	"html"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/warroom/warroom/internal/api"
	"github.com/warroom/warroom/internal/db/dbtest"
	"github.com/warroom/warroom/internal/incident"
	"github.com/warroom/warroom/internal/org"
	"github.com/warroom/warroom/internal/web"
)

func signInForm(email, pw, next string) url.Values {
	return url.Values{"email": {email}, "password": {pw}, "next": {next}}
}

func TestSignIn(t *testing.T) {
	t.Parallel()
	s := newSite(t, dbtest.OpenSQLite(t))

	t.Run("OK", func(t *testing.T) {
		b := s.anonymous()
		r := b.do(http.MethodPost, "/login", signInForm("RITA@acme.test", password, "/admin/tokens?x=1"), nil)
		if r.status != http.StatusSeeOther || r.location != "/admin/tokens?x=1" {
			t.Fatalf("sign in: %d -> %q, want 303 -> /admin/tokens?x=1", r.status, r.location)
		}
		if c := cookieNamed(r.cookies, api.SessionCookie); c == nil || !strings.HasPrefix(c.Value, org.SessionPrefix) {
			t.Fatalf("no session cookie: %v", r.cookies)
		}
		page := b.do(http.MethodGet, "/admin/tokens", nil, nil)
		if page.status != http.StatusOK {
			t.Fatalf("the page after signing in: %d", page.status)
		}
		mustContain(t, page.body, `<span class="who-name">Rita Responder</span>`, `action="/logout"`)
		if n := len(s.sessionsOf("responder")); n != 1 {
			t.Errorf("rita has %d sessions, want 1", n)
		}
	})

	t.Run("OffSiteNext", func(t *testing.T) {
		for _, c := range []struct{ name, next string }{
			{"ProtocolRelative", "//evil.example/x"},
			{"Backslash", `/\evil.example`},
			{"Absolute", "https://evil.example/"},
			{"Relative", "evil.example"},
			{"Empty", ""},
			// Browsers remove tabs and newlines from URLs (WHATWG URL
			// parsing), so "/<TAB>/evil.example" is followed as //evil.example.
			{"Tab", "/\t/evil.example"},
		} {
			t.Run(c.name, func(t *testing.T) {
				r := s.anonymous().do(http.MethodPost, "/login", signInForm("rita@acme.test", password, c.next), nil)
				if r.status != http.StatusSeeOther || r.location != "/" {
					t.Errorf("next %q: %d -> %q, want 303 -> /", c.next, r.status, r.location)
				}
			})
		}
	})

	t.Run("ErrWrongPassword", func(t *testing.T) {
		for _, c := range []struct{ name, email, pw string }{
			{"WrongPassword", "rita@acme.test", "not her password"},
			{"UnknownPerson", "nobody@acme.test", password},
		} {
			t.Run(c.name, func(t *testing.T) {
				r := s.anonymous().do(http.MethodPost, "/login", signInForm(c.email, c.pw, "/admin"), nil)
				if r.status != http.StatusUnauthorized {
					t.Fatalf("status %d, want 401", r.status)
				}
				checkPage(t, "login", r)
				mustContain(t, r.body, `<p class="form-error" role="alert">email or password is incorrect</p>`,
					`value="`+c.email+`"`, `<input type="hidden" name="next" value="/admin">`)
				mustNotContain(t, r.body, c.pw)
				if cookieNamed(r.cookies, api.SessionCookie) != nil {
					t.Error("a refused sign-in set a session cookie")
				}
			})
		}
	})

	t.Run("SignedInGetLogin", func(t *testing.T) {
		b := s.signIn("responder")
		for next, want := range map[string]string{"/admin": "/admin", "//evil.example": "/", "": "/"} {
			r := b.do(http.MethodGet, "/login?next="+url.QueryEscape(next), nil, nil)
			if r.status != http.StatusSeeOther || r.location != want {
				t.Errorf("GET /login?next=%q signed in: %d -> %q, want 303 -> %q", next, r.status, r.location, want)
			}
		}
	})

	t.Run("PrivatePageSignedOut", func(t *testing.T) {
		for _, c := range []struct{ name, path string }{
			{"List", "/"},
			{"Tokens", "/admin/tokens"},
			{"Task", "/incidents/IR-2026-0001/tasks/1"},
			{"QueryKept", "/?status=closed&severity=SEV1"},
		} {
			t.Run(c.name, func(t *testing.T) {
				b := s.anonymous()
				r := b.do(http.MethodGet, c.path, nil, nil)
				if r.status != http.StatusSeeOther {
					t.Fatalf("GET %s signed out: %d, want 303", c.path, r.status)
				}
				u, err := url.Parse(r.location)
				if err != nil || u.Path != "/login" || u.Query().Get("next") != c.path {
					t.Fatalf("GET %s signed out goes to %q, want /login with next=%s", c.path, r.location, c.path)
				}
				// The sign-in page carries next through to the form.
				login := b.do(http.MethodGet, r.location, nil, nil)
				mustContain(t, login.body, `<input type="hidden" name="next" value="`+html.EscapeString(c.path)+`">`)
				done := b.do(http.MethodPost, "/login", signInForm("rita@acme.test", password, u.Query().Get("next")), nil)
				if done.location != c.path {
					t.Errorf("after signing in: -> %q, want %q", done.location, c.path)
				}
			})
		}
	})

	t.Run("ErrPostSignedOut", func(t *testing.T) {
		for path, form := range map[string]url.Values{
			"/incidents":    {"title": {"Forged"}, "type": {"malware"}, "severity": {"SEV4"}},
			"/admin/tokens": {"name": {"forged"}},
			"/admin/people": {"email": {"mallory@evil.example"}, "role": {"admin"}},
		} {
			r := s.anonymous().do(http.MethodPost, path, form, nil)
			if r.status != http.StatusUnauthorized || errorCode(r.body) != "401" {
				t.Errorf("POST %s signed out: %d (%q), want the 401 page", path, r.status, errorCode(r.body))
			}
		}
		p, err := s.inc.List(s.ctx("admin"), incident.Filter{})
		if err != nil || len(p.Items) != 0 {
			t.Errorf("incidents after signed-out posts: %d, %v", len(p.Items), err)
		}
		if toks, _ := s.orgs.Tokens(s.ctx("admin")); len(toks) != 0 {
			t.Errorf("tokens after signed-out posts: %d", len(toks))
		}
		if ms, _ := s.orgs.Members(s.ctx("admin")); len(ms) != 4 {
			t.Errorf("members after signed-out posts: %d, want 4", len(ms))
		}
	})
}

func TestSignOut(t *testing.T) {
	t.Parallel()
	s := newSite(t, dbtest.OpenSQLite(t))
	b := s.signIn("responder")
	other := s.signIn("responder") // another browser of hers stays signed in
	old := b.sessionCookie()
	r := b.send("/logout", url.Values{})
	if r.status != http.StatusSeeOther || r.location != "/login?done=signed-out" {
		t.Fatalf("sign out: %d -> %q", r.status, r.location)
	}
	c := cookieNamed(r.cookies, api.SessionCookie)
	if c == nil || c.Value != "" || c.MaxAge >= 0 || c.Path != "/" || !c.HttpOnly {
		t.Errorf("sign-out cookie %+v, want an emptied HttpOnly cookie with Path=/ and Max-Age<0", c)
	}
	revoked := 0
	for _, x := range s.sessionsOf("responder") {
		if x.RevokedAt != nil {
			revoked++
		}
	}
	if revoked != 1 {
		t.Errorf("%d of rita's sessions revoked, want 1", revoked)
	}
	// The old cookie, replayed, no longer works: not for pages, not for the API.
	replay := s.anonymous()
	u, _ := url.Parse(s.srv.URL)
	replay.c.Jar.SetCookies(u, []*http.Cookie{{Name: api.SessionCookie, Value: old}})
	if r := replay.do(http.MethodGet, "/", nil, nil); r.status != http.StatusSeeOther || !strings.HasPrefix(r.location, "/login") {
		t.Errorf("GET / with the old cookie: %d -> %q, want the sign-in page", r.status, r.location)
	}
	if r := replay.do(http.MethodGet, "/api/v1/me", nil, nil); r.status != http.StatusUnauthorized {
		t.Errorf("GET /api/v1/me with the old cookie: %d, want 401", r.status)
	}
	if got := b.do(http.MethodGet, "/login?done=signed-out", nil, nil); got.status != http.StatusOK || !strings.Contains(got.body, `<div class="flash" role="status">Signed out.</div>`) {
		t.Errorf("the sign-in page after signing out: %d", got.status)
	}
	if st, _ := other.get("/"); st != http.StatusOK {
		t.Errorf("her other browser: %d, want 200 (only one session ends)", st)
	}
}

func TestSessionCookie(t *testing.T) {
	t.Parallel()
	for _, secure := range []bool{false, true} {
		name := map[bool]string{false: "Plain", true: "SecureCookies"}[secure]
		t.Run(name, func(t *testing.T) {
			s := newSite(t, dbtest.OpenSQLite(t))
			mux := http.NewServeMux()
			if err := (&web.Server{Orgs: s.orgs, Incidents: s.inc, Log: quiet(), Version: "test", SecureCookies: secure}).Register(mux); err != nil {
				t.Fatal(err)
			}
			srv := httptest.NewServer(mux)
			t.Cleanup(srv.Close)
			b := s.anonymous()
			b.base = srv.URL
			r := b.do(http.MethodPost, "/login", signInForm("rita@acme.test", password, "/"), nil)
			c := cookieNamed(r.cookies, api.SessionCookie)
			if r.status != http.StatusSeeOther || c == nil {
				t.Fatalf("sign in: %d, cookies %v", r.status, r.cookies)
			}
			if !c.HttpOnly || c.SameSite != http.SameSiteLaxMode || c.Path != "/" || c.Secure != secure || c.Domain != "" {
				t.Errorf("session cookie %+v: want HttpOnly, SameSite=Lax, Path=/, no Domain, Secure=%v", c, secure)
			}
			if d := time.Until(c.Expires); d < org.SessionMax-time.Hour || d > org.SessionMax+time.Hour {
				t.Errorf("session cookie expires in %s, want %s", d, org.SessionMax)
			}
			// Sign out with the cookie by hand: a jar keeps no Secure cookie for http.
			csrf := s.sessionCSRF(srv.URL, c.Value)
			out := b.do(http.MethodPost, "/logout", url.Values{"csrf": {csrf}}, map[string]string{"Cookie": api.SessionCookie + "=" + c.Value})
			gone := cookieNamed(out.cookies, api.SessionCookie)
			if out.status != http.StatusSeeOther || gone == nil || gone.Secure != secure || !gone.HttpOnly || gone.SameSite != http.SameSiteLaxMode {
				t.Errorf("sign-out: %d, cookie %+v", out.status, gone)
			}
		})
	}
}

// sessionCSRF reads the CSRF token of the session with cookie secret from
// a page of the server at base.
func (s *site) sessionCSRF(base, secret string) string {
	s.t.Helper()
	b := s.anonymous()
	b.base = base
	r := b.do(http.MethodGet, "/", nil, map[string]string{"Cookie": api.SessionCookie + "=" + secret})
	i := strings.Index(r.body, `name="csrf" value="`)
	if i < 0 {
		s.t.Fatalf("no CSRF token on / (%d)", r.status)
	}
	rest := r.body[i+len(`name="csrf" value="`):]
	return rest[:strings.IndexByte(rest, '"')]
}
