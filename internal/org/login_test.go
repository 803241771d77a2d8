package org_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/warroom/warroom/internal/actor"
	"github.com/warroom/warroom/internal/db"
	"github.com/warroom/warroom/internal/db/dbtest"
	"github.com/warroom/warroom/internal/errs"
	"github.com/warroom/warroom/internal/org"
)

func TestLogin(t *testing.T) {
	dbtest.ForEachDialect(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		rita := actor.From(e.member(t, "rita@acme.test", actor.Responder))
		login := func(email, pw, addr string) (*actor.Actor, error) {
			return e.svc.Login(context.Background(), org.LoginInput{Email: email, Password: pw, RemoteAddr: addr})
		}
		wantBadCredentials := func(t *testing.T, err error) {
			t.Helper()
			wantCode(t, err, errs.Unauthorized)
			if msg := errs.MessageOf(err); msg != "email or password is incorrect" {
				t.Fatalf("message %q", msg)
			}
		}
		t.Run("OK", func(t *testing.T) {
			a, err := login("  RITA@acme.test ", password, "192.0.2.7")
			if err != nil {
				t.Fatal(err)
			}
			want := &actor.Actor{UserID: rita.UserID, OrgID: e.boot.Org.ID, Email: "rita@acme.test", Name: "rita", Role: actor.Responder, RemoteAddr: "192.0.2.7"}
			if diff := cmp.Diff(want, a); diff != "" {
				t.Fatalf("(-want +got):\n%s", diff)
			}
		})
		t.Run("ErrUnauthorized", func(t *testing.T) {
			for name, in := range map[string][2]string{
				"WrongPassword": {"rita@acme.test", "correct horse battery!"},
				"UnknownUser":   {"nobody@acme.test", password},
				"NoEmail":       {"", password},
				"NoPassword":    {"rita@acme.test", ""},
			} {
				t.Run(name, func(t *testing.T) {
					a, err := login(in[0], in[1], "192.0.2.8")
					if a != nil {
						t.Fatalf("got an actor %+v", a)
					}
					wantBadCredentials(t, err)
				})
			}
			_, err := e.svc.Login(context.Background(), org.LoginInput{Email: "rita@acme.test", Password: password, Org: "other-inc"})
			wantCode(t, err, errs.Unauthorized)
		})
		t.Run("ErrTooManyRequestsPerEmail", func(t *testing.T) {
			e.clock.Advance(time.Hour) // past the failures of the subtests before
			for n := range 10 {
				_, err := login("rita@acme.test", "wrong password", fmt.Sprintf("198.51.100.%d", n))
				wantBadCredentials(t, err)
			}
			_, err := login("rita@acme.test", password, "192.0.2.9")
			wantCode(t, err, errs.TooManyRequests)
			if _, err := login("admin@acme.test", password, "192.0.2.9"); err != nil {
				t.Fatalf("another account is locked out too: %v", err)
			}
			e.clock.Advance(15*time.Minute - time.Second)
			_, err = login("rita@acme.test", password, "192.0.2.9")
			wantCode(t, err, errs.TooManyRequests)
			e.clock.Advance(time.Second)
			if _, err := login("rita@acme.test", password, "192.0.2.9"); err != nil {
				t.Fatalf("still locked out after the window: %v", err)
			}
		})
		t.Run("OKSuccessClearsFailures", func(t *testing.T) {
			for range 9 {
				_, err := login("rita@acme.test", "wrong password", "198.51.100.1")
				wantBadCredentials(t, err)
			}
			if _, err := login("rita@acme.test", password, "198.51.100.1"); err != nil {
				t.Fatal(err)
			}
			_, err := login("rita@acme.test", "wrong password", "198.51.100.1")
			wantBadCredentials(t, err)
			if _, err := login("rita@acme.test", password, "198.51.100.1"); err != nil {
				t.Fatalf("failures before a successful sign-in still count: %v", err)
			}
		})
		t.Run("ErrTooManyRequestsPerAddress", func(t *testing.T) {
			for n := range 50 {
				_, err := login(fmt.Sprintf("guess%d@acme.test", n), password, "203.0.113.9")
				wantBadCredentials(t, err)
			}
			_, err := login("admin@acme.test", password, "203.0.113.9")
			wantCode(t, err, errs.TooManyRequests)
			if _, err := login("admin@acme.test", password, "203.0.113.10"); err != nil {
				t.Fatalf("another address is locked out too: %v", err)
			}
		})
	})
}
