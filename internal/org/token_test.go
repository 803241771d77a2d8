package org_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/warroom/warroom/internal/actor"
	"github.com/warroom/warroom/internal/db"
	"github.com/warroom/warroom/internal/db/dbtest"
	"github.com/warroom/warroom/internal/errs"
	"github.com/warroom/warroom/internal/org"
)

func TestTokens(t *testing.T) {
	dbtest.ForEachDialect(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		rita := e.member(t, "rita@acme.test", actor.Responder)
		ritaID := actor.From(rita).UserID
		auth := func(secret string) (*actor.Actor, error) {
			return e.svc.AuthenticateToken(context.Background(), secret, "198.51.100.7")
		}
		names := func(t *testing.T, ctx context.Context) []string {
			t.Helper()
			ts, err := e.svc.Tokens(ctx)
			if err != nil {
				t.Fatal(err)
			}
			var out []string
			for _, tok := range ts {
				out = append(out, tok.UserEmail+":"+tok.Name)
			}
			return out
		}
		secret, tok, err := e.svc.CreateToken(rita, org.TokenInput{Name: " ci pipeline "})
		if err != nil {
			t.Fatal(err)
		}
		t.Run("OK", func(t *testing.T) {
			if !strings.HasPrefix(secret, org.TokenPrefix) || len(secret) < 40 {
				t.Fatalf("secret %q", secret)
			}
			want := org.Token{ID: tok.ID, UserID: ritaID, UserEmail: "rita@acme.test", Name: "ci pipeline",
				CreatedAt: e.clock.Now(), ExpiresAt: new(e.clock.Now().Add(90 * 24 * time.Hour))}
			if diff := cmp.Diff(want, tok); diff != "" {
				t.Fatalf("token (-want +got):\n%s", diff)
			}
			e.clock.Advance(time.Minute)
			a, err := auth(secret)
			if err != nil {
				t.Fatal(err)
			}
			wantActor := &actor.Actor{UserID: ritaID, OrgID: e.boot.Org.ID, Email: "rita@acme.test", Name: "rita",
				Role: actor.Responder, RemoteAddr: "198.51.100.7", Via: "token", CredentialID: tok.ID}
			if diff := cmp.Diff(wantActor, a); diff != "" {
				t.Fatalf("actor (-want +got):\n%s", diff)
			}
			ts, err := e.svc.Tokens(rita)
			want.LastUsedAt = new(e.clock.Now())
			if diff := cmp.Diff([]org.Token{want}, ts); err != nil || diff != "" {
				t.Fatalf("tokens %v (-want +got):\n%s", err, diff)
			}
		})
		t.Run("OKLastUsedAtOncePerMinute", func(t *testing.T) {
			used := e.clock.Now()
			lastUsed := func() time.Time {
				ts, _ := e.svc.Tokens(rita)
				return *ts[0].LastUsedAt
			}
			e.clock.Advance(30 * time.Second)
			if _, err := auth(secret); err != nil || !lastUsed().Equal(used) {
				t.Fatalf("last used %v after 30s, want %v (%v)", lastUsed(), used, err)
			}
			e.clock.Advance(31 * time.Second)
			if _, err := auth(secret); err != nil || !lastUsed().Equal(e.clock.Now()) {
				t.Fatalf("last used %v after 61s, want %v (%v)", lastUsed(), e.clock.Now(), err)
			}
		})
		t.Run("OKAdminSeesAll", func(t *testing.T) {
			e.clock.Advance(time.Second)
			if _, _, err := e.svc.CreateToken(e.admin, org.TokenInput{Name: "admin cli"}); err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff([]string{"rita@acme.test:ci pipeline"}, names(t, rita)); diff != "" {
				t.Fatalf("responder (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff([]string{"admin@acme.test:admin cli", "rita@acme.test:ci pipeline"}, names(t, e.admin)); diff != "" {
				t.Fatalf("admin (-want +got):\n%s", diff)
			}
		})
		t.Run("OKRoleChangeReflected", func(t *testing.T) {
			if _, err := e.svc.SetMemberRole(e.admin, "rita@acme.test", actor.Viewer); err != nil {
				t.Fatal(err)
			}
			if a, err := auth(secret); err != nil || a.Role != actor.Viewer {
				t.Fatalf("actor %+v, %v", a, err)
			}
		})
		t.Run("OKLocal", func(t *testing.T) {
			s, _, err := e.svc.CreateToken(context.Background(), org.TokenInput{Name: "backup", Email: "RITA@acme.test", Org: "acme-corp"})
			if err != nil {
				t.Fatal(err)
			}
			if a, err := auth(s); err != nil || a.UserID != ritaID || a.OrgID != e.boot.Org.ID {
				t.Fatalf("actor %+v, %v", a, err)
			}
		})
		t.Run("ErrUnauthorizedRevoked", func(t *testing.T) {
			s, tk, err := e.svc.CreateToken(rita, org.TokenInput{Name: "laptop"})
			if err != nil {
				t.Fatal(err)
			}
			rob := e.member(t, "rob@acme.test", actor.Responder)
			wantCode(t, e.svc.RevokeToken(rob, tk.ID), errs.NotFound)
			if _, err := auth(s); err != nil {
				t.Fatalf("someone else's refused revoke revoked it: %v", err)
			}
			if err := e.svc.RevokeToken(rita, tk.ID); err != nil {
				t.Fatal(err)
			}
			_, err = auth(s)
			wantCode(t, err, errs.Unauthorized)
		})
		t.Run("ErrUnauthorizedExpired", func(t *testing.T) {
			s, tk, err := e.svc.CreateToken(rita, org.TokenInput{Name: "short", ExpiresAt: new(e.clock.Now().Add(time.Hour))})
			if err != nil || !tk.ExpiresAt.Equal(e.clock.Now().Add(time.Hour)) {
				t.Fatalf("token %+v, %v", tk, err)
			}
			e.clock.Advance(time.Hour - time.Second)
			if _, err := auth(s); err != nil {
				t.Fatalf("one second before expiry: %v", err)
			}
			e.clock.Advance(time.Second)
			_, err = auth(s)
			wantCode(t, err, errs.Unauthorized)
		})
		t.Run("ErrUnauthorizedUnknown", func(t *testing.T) {
			for _, s := range []string{"", "wrt_", org.TokenPrefix + strings.Repeat("A", 43), strings.TrimPrefix(secret, org.TokenPrefix)} {
				_, err := auth(s)
				wantCode(t, err, errs.Unauthorized)
			}
		})
		t.Run("ErrInvalid", func(t *testing.T) {
			_, _, err := e.svc.CreateToken(rita, org.TokenInput{Name: " ", ExpiresAt: new(e.clock.Now())})
			wantInvalid(t, err, "name", "expires_at")
		})
		t.Run("OKNoExpiry", func(t *testing.T) {
			s, tk, err := e.svc.CreateToken(rita, org.TokenInput{Name: "forever", NoExpiry: true})
			if err != nil || tk.ExpiresAt != nil {
				t.Fatalf("token %+v, %v", tk, err)
			}
			e.clock.Advance(1000 * 24 * time.Hour)
			if _, err := auth(s); err != nil {
				t.Fatal(err)
			}
			_, err = auth(secret) // the default lifetime is 90 days
			wantCode(t, err, errs.Unauthorized)
		})
	})
}
