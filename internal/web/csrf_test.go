package web_test

import (
	"maps"
	"net/http"
	"net/url"
	"os"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/warroom/warroom/internal/api"
	"github.com/warroom/warroom/internal/db/dbtest"
)

// postRoutes reads the POST routes that Register lists in server.go, so a
// new one cannot miss the CSRF test.
func postRoutes(t *testing.T) []string {
	t.Helper()
	src, err := os.ReadFile("server.go")
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, m := range regexp.MustCompile(`"POST (/[^"]*)"`).FindAllStringSubmatch(string(src), -1) {
		out = append(out, m[1])
	}
	slices.Sort(out)
	return out
}

// TestCSRF posts a valid form to every POST route without the session's
// CSRF token, with another session's token, and with the right token from
// another site: each is refused with 403 and changes nothing. The same form
// from this site with the right token then goes through.
func TestCSRF(t *testing.T) {
	t.Parallel()
	s := newSite(t, dbtest.OpenSQLite(t))
	f := s.MustFill()
	open := "/incidents/" + f.open.Ref
	s.signIn("viewer")
	vicSession := s.sessionsOf("viewer")[0].ID
	past := localInput(time.Now().Add(-time.Hour))
	version := func(ref string) string { return itoa(s.incidentOf("admin", ref).Version) }

	routes := map[string]func() (string, url.Values){
		"/logout": func() (string, url.Values) { return "/logout", url.Values{} },
		"/plans": func() (string, url.Values) {
			return "/plans", url.Values{"source": {"id: forged-plan\nversion: 1\ntitle: Forged\nsteps:\n  - {id: one, title: One, phase: containment, role: scribe}\n"}}
		},
		"/contacts": func() (string, url.Values) {
			return "/contacts", url.Values{"key": {"forged"}, "name": {"Forged"}, "kind": {"other"}, "phone": {"+15555550100"}}
		},
		"/contacts/{key}": func() (string, url.Values) {
			return "/contacts/outside-counsel", url.Values{"name": {"Mallory"}, "kind": {"outside_counsel"}, "phone": {"+15555550666"}}
		},
		"/contacts/{key}/verify": func() (string, url.Values) { return "/contacts/cyber-insurer/verify", url.Values{} },
		"/contacts/{key}/delete": func() (string, url.Values) { return "/contacts/old-pr-firm/delete", url.Values{} },
		"/incidents": func() (string, url.Values) {
			return "/incidents", url.Values{"title": {"Forged"}, "type": {"malware"}, "severity": {"SEV4"}}
		},
		"/incidents/{ref}": func() (string, url.Values) {
			return open, url.Values{"form": {"quick"}, "version": {version(f.open.Ref)}, "severity": {"SEV4"}}
		},
		"/incidents/{ref}/close": func() (string, url.Values) {
			return "/incidents/" + f.restricted.Ref + "/close", url.Values{"version": {version(f.restricted.Ref)}, "note": {"forged close"}}
		},
		"/incidents/{ref}/notes": func() (string, url.Values) { return open + "/notes", url.Values{"text": {"forged note"}} },
		"/incidents/{ref}/milestones": func() (string, url.Values) {
			return open + "/milestones", url.Values{"kind": {"detected"}, "at": {past}}
		},
		"/incidents/{ref}/roster": func() (string, url.Values) {
			return open + "/roster", url.Values{"role": {"hr"}, "user": {"vic@acme.test"}}
		},
		"/incidents/{ref}/roster/handover": func() (string, url.Values) {
			return open + "/roster/handover", url.Values{"role": {"scribe"}, "user": {"ada@acme.test"}}
		},
		"/incidents/{ref}/roster/release": func() (string, url.Values) {
			return open + "/roster/release", url.Values{"role": {"investigator"}, "user": {"rob@acme.test"}}
		},
		"/incidents/{ref}/tasks": func() (string, url.Values) { return open + "/tasks", url.Values{"title": {"forged task"}} },
		"/incidents/{ref}/attack": func() (string, url.Values) {
			return open + "/attack", url.Values{"text": {"forged activity"}, "event_time": {past}, "tactic": {"TA0002"}}
		},
		"/incidents/{ref}/tasks/{number}": func() (string, url.Values) {
			return open + "/tasks/2", url.Values{"form": {"status"}, "status": {"done"}, "version": {itoa(s.taskOf(f.open.Ref, 2).Version)}}
		},
		"/admin/people": func() (string, url.Values) {
			return "/admin/people", url.Values{"email": {"mallory@acme.test"}, "role": {"admin"}}
		},
		"/admin/people/{user}": func() (string, url.Values) {
			return "/admin/people/" + s.actors["responder"].UserID, url.Values{"role": {"admin"}}
		},
		"/admin/roles": func() (string, url.Values) {
			return "/admin/roles", url.Values{"key": {"forged_role"}, "name": {"Forged"}}
		},
		"/admin/tokens": func() (string, url.Values) { return "/admin/tokens", url.Values{"name": {"forged"}} },
		"/admin/tokens/{id}/revoke": func() (string, url.Values) {
			return "/admin/tokens/" + f.tokens["forever"].ID + "/revoke", url.Values{}
		},
		"/admin/sessions/{id}/revoke": func() (string, url.Values) { return "/admin/sessions/" + vicSession + "/revoke", url.Values{} },
	}
	for route, form := range analysisForms(s, f) {
		routes[route] = form
	}
	for route, form := range obligationForms(f) {
		routes[route] = form
	}
	hook, failed, page := s.notificationFixtures(f.open.ID)
	routes["/admin/webhooks"] = func() (string, url.Values) {
		return "/admin/webhooks", url.Values{"name": {"forged"}, "url": {"https://chat.example.com/x"}, "format": {"slack"}}
	}
	routes["/admin/webhooks/{id}"] = func() (string, url.Values) {
		return "/admin/webhooks/" + hook, url.Values{"action": {"disable"}}
	}
	routes["/admin/deliveries/{id}/retry"] = func() (string, url.Values) { return "/admin/deliveries/" + failed + "/retry", url.Values{} }
	routes["/incidents/{ref}/pages/{id}/ack"] = func() (string, url.Values) { return open + "/pages/" + page + "/ack", url.Values{} }
	covered := slices.Sorted(maps.Keys(routes))
	covered = append(covered, "/login")       // TestCSRFSignIn
	covered = append(covered, "/ack/{token}") // TestAckLink: the token is the credential
	slices.Sort(covered)
	if d := cmp.Diff(postRoutes(t), covered); d != "" {
		t.Errorf("POST routes in server.go vs routes tested here (-server.go +tested):\n%s", d)
	}

	other := s.signIn("admin") // another session of the same person
	otherToken := other.csrf("/")
	for _, route := range slices.Sorted(maps.Keys(routes)) {
		t.Run(strings.ReplaceAll(strings.TrimPrefix(route, "/"), "/", "."), func(t *testing.T) {
			b := s.signIn("admin")
			token := b.csrf("/")
			garbage := []byte(token)
			garbage[0] ^= 1
			path, form := routes[route]()
			before := s.state()
			for _, c := range []struct {
				name, token string
				header      map[string]string
			}{
				{"NoToken", "", nil},
				{"OtherSessionsToken", otherToken, nil},
				{"GarbageToken", string(garbage), nil},
				{"CrossSiteOrigin", token, map[string]string{"Origin": "https://evil.example"}},
				{"CrossSiteOriginSamePort", token, map[string]string{"Origin": strings.Replace(s.srv.URL, "127.0.0.1", "evil.example", 1)}},
			} {
				sent := url.Values{}
				for k, v := range form {
					sent[k] = v
				}
				if c.token != "" {
					sent.Set("csrf", c.token)
				}
				r := b.do(http.MethodPost, path, sent, c.header)
				if r.status != http.StatusForbidden || errorCode(r.body) != "403" {
					t.Errorf("%s: POST %s answered %d (%s), want the 403 page", c.name, path, r.status, errorMessage(r.body))
				}
				if cookieNamed(r.cookies, api.SessionCookie) != nil {
					t.Errorf("%s: the refused POST touched the session cookie", c.name)
				}
			}
			if d := cmp.Diff(before, s.state()); d != "" {
				t.Fatalf("refused POSTs changed the state (-before +after):\n%s", d)
			}
			// The same form, sent properly, is accepted: the refusals above
			// were the token's doing, not the form's.
			form.Set("csrf", token)
			var r response
			if content, ok := streamedRoutes[route]; ok {
				// An upload is multipart, token first.
				fields := [][2]string{{"csrf", token}}
				for k := range form {
					if k != "csrf" {
						fields = append(fields, [2]string{k, form.Get(k)})
					}
				}
				r = b.upload(path, fields, "forged.txt", strings.NewReader(content))
			} else {
				r = b.do(http.MethodPost, path, form, map[string]string{"Origin": s.srv.URL})
			}
			if r.status >= 400 {
				t.Fatalf("the form with its token: %d (%s)", r.status, errorMessage(r.body))
			}
			if readOnlyPosts[route] {
				return
			}
			if s.state() == before {
				t.Errorf("the form with its token changed nothing")
			}
		})
	}
}

// TestCSRFSignIn covers the one form without a session: another site's
// Origin is refused even with the right password, and a signed-in person
// posting it needs the session's token like on any other form.
func TestCSRFSignIn(t *testing.T) {
	t.Parallel()
	s := newSite(t, dbtest.OpenSQLite(t))
	r := s.anonymous().do(http.MethodPost, "/login", signInForm("rita@acme.test", password, "/"), map[string]string{"Origin": "https://evil.example"})
	if r.status != http.StatusForbidden || cookieNamed(r.cookies, api.SessionCookie) != nil {
		t.Errorf("cross-site sign-in: %d, cookies %v; want 403 and no session", r.status, r.cookies)
	}
	if n := len(s.sessionsOf("responder")); n != 0 {
		t.Errorf("cross-site sign-in created %d sessions", n)
	}
	same := s.anonymous().do(http.MethodPost, "/login", signInForm("rita@acme.test", password, "/"), map[string]string{"Origin": s.srv.URL})
	if same.status != http.StatusSeeOther {
		t.Errorf("same-site sign-in: %d, want 303", same.status)
	}
	b := s.signIn("admin")
	if r := b.do(http.MethodPost, "/login", signInForm("rita@acme.test", password, "/"), nil); r.status != http.StatusForbidden {
		t.Errorf("signed-in POST /login without a token: %d, want 403", r.status)
	}
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }
