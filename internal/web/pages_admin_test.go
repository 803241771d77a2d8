package web_test

import (
	"context"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/warroom/warroom/internal/actor"
	"github.com/warroom/warroom/internal/db"
	"github.com/warroom/warroom/internal/db/dbtest"
	"github.com/warroom/warroom/internal/org"
)

// roleOf is a member's organisation role, read through the service.
func (s *site) roleOf(email string) actor.Role {
	s.t.Helper()
	ms, err := s.orgs.Members(s.ctx("admin"))
	if err != nil {
		s.t.Fatal(err)
	}
	for _, m := range ms {
		if m.Email == email {
			return m.Role
		}
	}
	return ""
}

func TestPeoplePage(t *testing.T) {
	t.Parallel()
	dbtest.ForEachDialect(t, func(t *testing.T, d *db.DB) {
		s := newSite(t, d)
		admin := s.signIn("admin")

		t.Run("OK", func(t *testing.T) {
			_, body := admin.get("/admin")
			mustContain(t, body, "<td>Ada Admin</td><td>ada@acme.test</td>", "<td>Rita Responder</td><td>rita@acme.test</td>",
				"<td>Vic Viewer</td><td>vic@acme.test</td>", `<form method="post" action="/admin/people/`+s.actors["responder"].UserID+`"`,
				`<strong>Incident commander</strong> <code>incident_commander</code>`, `<span class="muted">Acme</span>`)
			mustNotContain(t, body, "boss@other.test")
			st, body := s.signIn("responder").get("/admin")
			if st != http.StatusOK || strings.Count(body, `name="csrf"`) != 1 {
				t.Errorf("a responder's people page: %d, with admin forms", st)
			}
			mustContain(t, body, "<td>Rita Responder</td><td>rita@acme.test</td>", "<td>Responder</td>", "<td>Admin</td>")
		})

		t.Run("AddPerson", func(t *testing.T) {
			r := admin.send("/admin/people", url.Values{"email": {"Nina@Acme.test"}, "name": {"Nina New"}, "role": {"responder"}, "password": {""}})
			if r.status != http.StatusOK {
				t.Fatalf("add: %d (%s)", r.status, errorMessage(r.body))
			}
			m := regexp.MustCompile(`<code class="secret-value" data-copy>([^<]+)</code>`).FindStringSubmatch(r.body)
			if m == nil {
				t.Fatalf("no generated password on the page")
			}
			pw := m[1]
			mustContain(t, r.body, `<div class="flash" role="status">nina@acme.test can now sign in</div>`, "<td>Nina New</td><td>nina@acme.test</td>")
			a, err := s.orgs.Login(context.Background(), org.LoginInput{Email: "nina@acme.test", Password: pw, RemoteAddr: "192.0.2.1"})
			if err != nil || a.Role != actor.Responder || a.Name != "Nina New" {
				t.Fatalf("signing in with the generated password: %+v, %v", a, err)
			}
			if r := s.anonymous().do(http.MethodPost, "/login", signInForm("nina@acme.test", pw, "/"), nil); r.status != http.StatusSeeOther {
				t.Errorf("signing in on the page with the generated password: %d", r.status)
			}
			if _, body := admin.get("/admin"); strings.Contains(body, pw) {
				t.Errorf("the people page shows the password again")
			}
		})

		t.Run("ErrAddPerson", func(t *testing.T) {
			r := admin.send("/admin/people", url.Values{"email": {"not-an-address"}, "name": {"Kept Name"}, "role": {"responder"}, "password": {"short"}})
			if r.status != http.StatusBadRequest {
				t.Fatalf("status %d, want 400", r.status)
			}
			if got := fieldErr(r.body, "p-email"); !strings.Contains(got, "is not a valid email address") {
				t.Errorf("email's error %q", got)
			}
			mustContain(t, r.body, `value="Kept Name"`, `<span class="field-error">must be at least 12 characters</span>`)
			mustNotContain(t, r.body, `value="short"`)
		})

		t.Run("ErrAddPersonForbidden", func(t *testing.T) {
			for _, who := range []string{"responder", "viewer"} {
				r := s.signIn(who).send("/admin/people", url.Values{"email": {"mallory@acme.test"}, "role": {"admin"}})
				if r.status != http.StatusForbidden || s.roleOf("mallory@acme.test") != "" {
					t.Errorf("%s adds a person: %d, mallory's role %q", who, r.status, s.roleOf("mallory@acme.test"))
				}
			}
		})

		t.Run("ChangeRole", func(t *testing.T) {
			r := admin.send("/admin/people/"+s.actors["viewer"].UserID, url.Values{"role": {"responder"}})
			if r.status != http.StatusSeeOther || r.location != "/admin?done=role-changed" {
				t.Fatalf("role change: %d -> %q (%s)", r.status, r.location, errorMessage(r.body))
			}
			if got := s.roleOf("vic@acme.test"); got != actor.Responder {
				t.Errorf("vic is %s, want responder", got)
			}
			if r := s.signIn("responder").send("/admin/people/"+s.actors["responder"].UserID, url.Values{"role": {"admin"}}); r.status != http.StatusForbidden {
				t.Errorf("a responder makes herself admin: %d, want 403", r.status)
			}
			if got := s.roleOf("rita@acme.test"); got != actor.Responder {
				t.Errorf("rita is %s", got)
			}
		})

		t.Run("ErrLastAdmin", func(t *testing.T) {
			id := s.actors["admin"].UserID
			r := admin.send("/admin/people/"+id, url.Values{"role": {"responder"}})
			if r.status != http.StatusBadRequest {
				t.Fatalf("demoting the last admin: %d, want 400 with the form", r.status)
			}
			row := regexp.MustCompile(`(?s)<select id="role-` + id + `".*?</td>`).FindString(r.body)
			mustContain(t, row, `<p class="form-error" role="alert">ada@acme.test is the last admin of the organisation; make someone else admin first</p>`)
			if got := s.roleOf("ada@acme.test"); got != actor.Admin {
				t.Errorf("ada is %s", got)
			}
		})

		t.Run("AddRole", func(t *testing.T) {
			r := admin.send("/admin/roles", url.Values{"key": {"privacy_officer"}, "name": {"Privacy officer"}, "description": {"GDPR questions"}})
			if r.status != http.StatusSeeOther || r.location != "/admin?done=role-added#roles" {
				t.Fatalf("add role: %d -> %q (%s)", r.status, r.location, errorMessage(r.body))
			}
			roles, _ := s.orgs.Roles(s.ctx("admin"))
			var got []string
			for _, role := range roles {
				if !role.Builtin {
					got = append(got, role.Key+"|"+role.Name+"|"+role.Description)
				}
			}
			if d := cmp.Diff([]string{"privacy_officer|Privacy officer|GDPR questions"}, got); d != "" {
				t.Errorf("custom roles (-want +got):\n%s", d)
			}
			_, body := admin.get("/admin")
			mustContain(t, body, `<strong>Privacy officer</strong> <code>privacy_officer</code> <span class="badge">custom</span>`)
		})

		t.Run("ErrAddRole", func(t *testing.T) {
			r := admin.send("/admin/roles", url.Values{"key": {"Privacy Officer"}, "name": {"Kept role name"}})
			if r.status != http.StatusBadRequest {
				t.Fatalf("bad key: %d, want 400", r.status)
			}
			if got := fieldErr(r.body, "r-key"); !strings.Contains(got, "must be 2-48 characters of lower-case letters") {
				t.Errorf("key's error %q", got)
			}
			mustContain(t, r.body, `value="Privacy Officer"`, `value="Kept role name"`)
			if r := s.signIn("responder").send("/admin/roles", url.Values{"key": {"sneaky"}, "name": {"Sneaky"}}); r.status != http.StatusForbidden {
				t.Errorf("a responder adds a role: %d, want 403", r.status)
			}
		})
	})
}

func TestTokensPage(t *testing.T) {
	t.Parallel()
	s := newSite(t, dbtest.OpenSQLite(t))
	admin, rita := s.signIn("admin"), s.signIn("responder")
	secretRE := regexp.MustCompile(`<code class="secret-value" data-copy>(` + org.TokenPrefix + `[^<]+)</code>`)

	var created org.Token
	t.Run("Create", func(t *testing.T) {
		r := admin.send("/admin/tokens", url.Values{"name": {"SIEM integration"}, "expires": {"30"}})
		if r.status != http.StatusCreated {
			t.Fatalf("create: %d (%s)", r.status, errorMessage(r.body))
		}
		m := secretRE.FindStringSubmatch(r.body)
		if m == nil {
			t.Fatal("no token secret on the page")
		}
		a, err := s.orgs.AuthenticateToken(context.Background(), m[1], "192.0.2.1")
		if err != nil || a.Email != "ada@acme.test" {
			t.Fatalf("the shown secret does not authenticate: %v", err)
		}
		toks, _ := s.orgs.Tokens(s.ctx("admin"))
		if len(toks) != 1 || toks[0].Name != "SIEM integration" || toks[0].ExpiresAt == nil ||
			toks[0].ExpiresAt.Sub(time.Now().Add(30*24*time.Hour)).Abs() > time.Minute {
			t.Fatalf("tokens %+v, want SIEM integration expiring in 30 days", toks)
		}
		created = toks[0]
		_, list := admin.get("/admin/tokens")
		mustContain(t, list, "<td>SIEM integration</td>")
		mustNotContain(t, list, m[1], "secret-value")
	})

	t.Run("NeverExpires", func(t *testing.T) {
		if r := admin.send("/admin/tokens", url.Values{"name": {"forever"}, "expires": {"never"}}); r.status != http.StatusCreated {
			t.Fatalf("create: %d", r.status)
		}
		toks, _ := s.orgs.Tokens(s.ctx("admin"))
		if toks[0].Name != "forever" || toks[0].ExpiresAt != nil {
			t.Errorf("newest token %+v, want forever without expiry", toks[0])
		}
	})

	t.Run("ErrCreate", func(t *testing.T) {
		r := admin.send("/admin/tokens", url.Values{"name": {"  "}, "expires": {"7"}})
		if r.status != http.StatusBadRequest || !strings.Contains(fieldErr(r.body, "tok-name"), "give the token a name") || secretRE.MatchString(r.body) {
			t.Errorf("nameless token: %d, error %q", r.status, fieldErr(r.body, "tok-name"))
		}
	})

	t.Run("ResponderSeesOwn", func(t *testing.T) {
		if r := rita.send("/admin/tokens", url.Values{"name": {"rita cli"}}); r.status != http.StatusCreated {
			t.Fatalf("rita creates a token: %d", r.status)
		}
		_, body := rita.get("/admin/tokens")
		mustContain(t, body, "<td>rita cli</td><td>rita@acme.test</td>", "Your tokens")
		mustNotContain(t, body, "<td>SIEM integration</td>", "<td>forever</td>")
		_, body = admin.get("/admin/tokens")
		mustContain(t, body, "<td>rita cli</td>", "<td>SIEM integration</td>")
		r := rita.send("/admin/tokens/"+created.ID+"/revoke", url.Values{})
		if r.status != http.StatusNotFound {
			t.Errorf("rita revokes ada's token: %d, want 404", r.status)
		}
	})

	t.Run("Revoke", func(t *testing.T) {
		r := admin.send("/admin/tokens/"+created.ID+"/revoke", url.Values{})
		if r.status != http.StatusSeeOther || r.location != "/admin/tokens?done=token-revoked" {
			t.Fatalf("revoke: %d -> %q (%s)", r.status, r.location, errorMessage(r.body))
		}
		toks, _ := s.orgs.Tokens(s.ctx("admin"))
		for _, tk := range toks {
			if (tk.ID == created.ID) != (tk.RevokedAt != nil) {
				t.Errorf("token %s revoked=%v", tk.Name, tk.RevokedAt != nil)
			}
		}
		_, body := admin.get("/admin/tokens")
		mustContain(t, body, `<tr class="revoked">`, "Revoked <time")
		if r := admin.send("/admin/tokens/no-such-token/revoke", url.Values{}); r.status != http.StatusNotFound {
			t.Errorf("revoking an unknown token: %d, want 404", r.status)
		}
	})
}

func TestSessionsPage(t *testing.T) {
	t.Parallel()
	s := newSite(t, dbtest.OpenSQLite(t))
	admin, rita, rob := s.signIn("admin"), s.signIn("responder"), s.signIn("responder2")

	t.Run("OK", func(t *testing.T) {
		_, body := admin.get("/admin/sessions")
		mustContain(t, body, "Browser sessions in the organisation", "ada@acme.test <span class=\"badge\">this session</span>", "<td>rita@acme.test</td>", "<td>rob@acme.test</td>", "Go-http-client")
		mustNotContain(t, body, "boss@other.test")
		_, body = rita.get("/admin/sessions")
		mustContain(t, body, "Your browser sessions", "rita@acme.test <span class=\"badge\">this session</span>")
		mustNotContain(t, body, "ada@acme.test", "rob@acme.test")
	})

	t.Run("Revoke", func(t *testing.T) {
		id := s.sessionsOf("responder2")[0].ID
		if r := rita.send("/admin/sessions/"+id+"/revoke", url.Values{}); r.status != http.StatusNotFound {
			t.Errorf("rita ends rob's session: %d, want 404", r.status)
		}
		r := admin.send("/admin/sessions/"+id+"/revoke", url.Values{})
		if r.status != http.StatusSeeOther || r.location != "/admin/sessions?done=session-ended" {
			t.Fatalf("revoke: %d -> %q (%s)", r.status, r.location, errorMessage(r.body))
		}
		if st, _ := rob.get("/"); st != http.StatusSeeOther {
			t.Errorf("rob after his session ended: %d, want a redirect to sign in", st)
		}
		_, body := admin.get("/admin/sessions")
		mustContain(t, body, "<td>Ended</td>")
	})

	t.Run("RevokeOwn", func(t *testing.T) {
		id := s.sessionsOf("responder")[0].ID
		r := rita.send("/admin/sessions/"+id+"/revoke", url.Values{})
		if r.status != http.StatusSeeOther || !strings.HasPrefix(r.location, "/login") {
			t.Fatalf("ending her own session: %d -> %q", r.status, r.location)
		}
		if r := rita.do(http.MethodGet, "/admin/sessions", nil, nil); r.status != http.StatusSeeOther || !strings.HasPrefix(r.location, "/login?next=") {
			t.Errorf("after ending her own session: %d -> %q, want the sign-in page", r.status, r.location)
		}
		if st, _ := admin.get("/"); st != http.StatusOK {
			t.Errorf("ada's session: %d", st)
		}
	})
}
