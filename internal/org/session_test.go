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

func TestSessions(t *testing.T) {
	dbtest.ForEachDialect(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		rita := e.member(t, "rita@acme.test", actor.Responder)
		start := func(t *testing.T) (string, org.Session) {
			t.Helper()
			secret, ses, err := e.svc.CreateSession(context.Background(), actor.From(rita), "Mozilla/5.0")
			if err != nil {
				t.Fatal(err)
			}
			return secret, ses
		}
		auth := func(secret string) (*actor.Actor, org.Session, error) {
			return e.svc.AuthenticateSession(context.Background(), secret, "192.0.2.50")
		}
		t.Run("OK", func(t *testing.T) {
			secret, ses, err := e.svc.CreateSession(context.Background(), actor.From(rita), strings.Repeat("u", 400))
			if err != nil {
				t.Fatal(err)
			}
			if !strings.HasPrefix(secret, org.SessionPrefix) || ses.CSRFToken == "" || len(ses.UserAgent) != 300 ||
				!ses.ExpiresAt.Equal(e.clock.Now().Add(org.SessionIdle)) || ses.RemoteAddr != "192.0.2.1" {
				t.Fatalf("secret %q, session %+v", secret, ses)
			}
			e.clock.Advance(2 * time.Minute)
			a, got, err := auth(secret)
			if err != nil {
				t.Fatal(err)
			}
			want := &actor.Actor{UserID: actor.From(rita).UserID, OrgID: e.boot.Org.ID, Email: "rita@acme.test", Name: "rita",
				Role: actor.Responder, RemoteAddr: "192.0.2.50", Via: "session", CredentialID: ses.ID}
			if diff := cmp.Diff(want, a); diff != "" {
				t.Fatalf("actor (-want +got):\n%s", diff)
			}
			if got.ID != ses.ID || got.CSRFToken != ses.CSRFToken || got.UserEmail != "rita@acme.test" ||
				!got.LastSeenAt.Equal(e.clock.Now()) || !got.ExpiresAt.Equal(e.clock.Now().Add(org.SessionIdle)) {
				t.Fatalf("session %+v", got)
			}
		})
		t.Run("ErrUnauthorizedIdle", func(t *testing.T) {
			secret, _ := start(t)
			e.clock.Advance(org.SessionIdle - time.Second)
			if _, _, err := auth(secret); err != nil {
				t.Fatalf("a second before idle expiry: %v", err)
			}
			e.clock.Advance(org.SessionIdle - time.Second) // use slid the expiry
			if _, _, err := auth(secret); err != nil {
				t.Fatalf("the expiry did not slide: %v", err)
			}
			e.clock.Advance(org.SessionIdle)
			_, _, err := auth(secret)
			wantCode(t, err, errs.Unauthorized)
		})
		t.Run("ErrUnauthorizedAbsolute", func(t *testing.T) {
			secret, ses := start(t)
			for e.clock.Now().Add(11 * time.Hour).Before(ses.CreatedAt.Add(org.SessionMax)) {
				e.clock.Advance(11 * time.Hour)
				if _, _, err := auth(secret); err != nil {
					t.Fatalf("after %v in use: %v", e.clock.Now().Sub(ses.CreatedAt), err)
				}
			}
			e.clock.t = ses.CreatedAt.Add(org.SessionMax) // well within the idle expiry
			_, _, err := auth(secret)
			wantCode(t, err, errs.Unauthorized)
		})
		t.Run("ErrUnauthorizedRevoked", func(t *testing.T) {
			secret, ses := start(t)
			wantCode(t, e.svc.RevokeSession(e.member(t, "rob@acme.test", actor.Responder), ses.ID), errs.NotFound)
			if _, _, err := auth(secret); err != nil {
				t.Fatalf("someone else's refused revoke ended it: %v", err)
			}
			if err := e.svc.RevokeSession(rita, ses.ID); err != nil {
				t.Fatal(err)
			}
			_, _, err := auth(secret)
			wantCode(t, err, errs.Unauthorized)
			list, err := e.svc.Sessions(e.admin)
			if err != nil {
				t.Fatal(err)
			}
			for _, s := range list {
				if s.ID == ses.ID && (s.RevokedAt == nil || !s.RevokedAt.Equal(e.clock.Now())) {
					t.Fatalf("revoked session listed as %+v", s)
				}
			}
		})
		t.Run("ErrUnauthorizedUnknown", func(t *testing.T) {
			for _, s := range []string{"", "wrs_nope", "wrt_" + strings.Repeat("A", 43)} {
				_, _, err := auth(s)
				wantCode(t, err, errs.Unauthorized)
			}
		})
		t.Run("OKRoleChangeReflected", func(t *testing.T) {
			secret, _ := start(t)
			if _, err := e.svc.SetMemberRole(e.admin, "rita@acme.test", actor.Viewer); err != nil {
				t.Fatal(err)
			}
			if a, _, err := auth(secret); err != nil || a.Role != actor.Viewer {
				t.Fatalf("actor %+v, %v", a, err)
			}
		})
	})
}
