package api_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/warroom/warroom/internal/api"
	"github.com/warroom/warroom/internal/db/dbtest"
)

// TestSessionCookieReadsOnly checks a browser session may read (the web
// UI's EventSource needs it) but never change anything: a cookie alone
// could be sent by another site.
func TestSessionCookieReadsOnly(t *testing.T) {
	e := newEnv(t, dbtest.OpenSQLite(t))
	secret, _, err := e.orgs.CreateSession(e.ctx("responder"), e.actors["responder"], "test browser")
	if err != nil {
		t.Fatal(err)
	}
	cookie := &http.Cookie{Name: api.SessionCookie, Value: secret}
	get, _ := http.NewRequest("GET", e.srv.URL+"/api/v1/me", nil)
	get.AddCookie(cookie)
	resp, err := http.DefaultClient.Do(get)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 200 {
		t.Fatalf("GET with a session: %d", resp.StatusCode)
	}
	post, _ := http.NewRequest("POST", e.srv.URL+"/api/v1/incidents", strings.NewReader(`{"title": "x", "type": "other", "severity": "SEV4"}`))
	post.Header.Set("Content-Type", "application/json")
	post.AddCookie(cookie)
	resp, err = http.DefaultClient.Do(post)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusUnauthorized {
		t.Fatalf("POST with only a session cookie: %d, want 401", resp.StatusCode)
	}
	bad, _ := http.NewRequest("GET", e.srv.URL+"/api/v1/me", nil)
	bad.AddCookie(&http.Cookie{Name: api.SessionCookie, Value: "wrs_forged"})
	resp, err = http.DefaultClient.Do(bad)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusUnauthorized {
		t.Fatalf("forged session: %d", resp.StatusCode)
	}
}
