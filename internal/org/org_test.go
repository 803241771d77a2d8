package org_test

import (
	"context"
	"io"
	"log/slog"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/warroom/warroom/internal/actor"
	"github.com/warroom/warroom/internal/db"
	"github.com/warroom/warroom/internal/db/dbtest"
	"github.com/warroom/warroom/internal/errs"
	"github.com/warroom/warroom/internal/org"
)

const password = "correct horse battery"

type clock struct{ t time.Time }

func (c *clock) Now() time.Time          { return c.t }
func (c *clock) Advance(d time.Duration) { c.t = c.t.Add(d) }

// env is one organisation, Acme, with its first admin, on a fresh database.
type env struct {
	svc   *org.Service
	clock *clock
	boot  org.BootstrapResult
	admin context.Context
}

func newEnv(t *testing.T, d *db.DB) *env {
	t.Helper()
	c := &clock{t: time.Date(2026, 11, 26, 9, 0, 0, 0, time.UTC)}
	e := &env{clock: c, svc: &org.Service{DB: d, Now: c.Now, Log: slog.New(slog.NewTextHandler(io.Discard, nil))}}
	var err error
	e.boot, err = e.svc.Bootstrap(context.Background(), org.BootstrapInput{OrgName: "Acme Corp", Email: "admin@acme.test", Name: "Ada Admin", Password: password})
	if err != nil {
		t.Fatal(err)
	}
	e.admin = e.as(t, "admin@acme.test", password)
	return e
}

// as signs in and returns a context acting as that person.
func (e *env) as(t *testing.T, email, pw string) context.Context {
	t.Helper()
	a, err := e.svc.Login(context.Background(), org.LoginInput{Email: email, Password: pw, RemoteAddr: "192.0.2.1"})
	if err != nil {
		t.Fatalf("login %s: %v", email, err)
	}
	return actor.With(context.Background(), a)
}

func (e *env) member(t *testing.T, email string, role actor.Role) context.Context {
	t.Helper()
	if _, _, err := e.svc.AddUser(e.admin, org.AddUserInput{Email: email, Role: role, Password: password}); err != nil {
		t.Fatal(err)
	}
	return e.as(t, email, password)
}

func wantCode(t *testing.T, err error, code errs.Code) {
	t.Helper()
	if got := errs.CodeOf(err); got != code {
		t.Fatalf("got error %v (code %q), want code %q", err, got, code)
	}
}

func wantInvalid(t *testing.T, err error, fields ...string) {
	t.Helper()
	wantCode(t, err, errs.Invalid)
	var got []string
	for _, f := range errs.FieldsOf(err) {
		got = append(got, f.Field)
	}
	if diff := cmp.Diff(fields, got); diff != "" {
		t.Fatalf("fields of %v (-want +got):\n%s", err, diff)
	}
}

func TestBootstrap(t *testing.T) {
	dbtest.ForEachDialect(t, func(t *testing.T, d *db.DB) {
		c := &clock{t: time.Date(2026, 11, 26, 9, 0, 0, 0, time.UTC)}
		svc := &org.Service{DB: d, Now: c.Now, Log: slog.New(slog.NewTextHandler(io.Discard, nil))}
		ctx := context.Background()
		t.Run("OK", func(t *testing.T) {
			if empty, err := svc.IsEmpty(ctx); err != nil || !empty {
				t.Fatalf("IsEmpty before bootstrap: %v, %v", empty, err)
			}
			res, err := svc.Bootstrap(ctx, org.BootstrapInput{OrgName: "  Acme Corp  ", Email: " Admin@Acme.TEST", Name: "Ada Admin", Password: password})
			if err != nil {
				t.Fatal(err)
			}
			want := org.BootstrapResult{Org: org.Organization{ID: res.Org.ID, Slug: "acme-corp", Name: "Acme Corp", CreatedAt: c.Now()},
				Admin: org.User{ID: res.Admin.ID, Email: "admin@acme.test", Name: "Ada Admin", CreatedAt: c.Now()}, Password: password}
			if diff := cmp.Diff(want, res); diff != "" {
				t.Fatalf("(-want +got):\n%s", diff)
			}
			if empty, _ := svc.IsEmpty(ctx); empty {
				t.Fatal("IsEmpty after bootstrap")
			}
		})
		t.Run("OKGeneratedPassword", func(t *testing.T) {
			res, err := svc.Bootstrap(ctx, org.BootstrapInput{OrgName: "Beta", Email: "bea@beta.test"})
			if err != nil {
				t.Fatal(err)
			}
			if !res.PasswordGenerated || len(res.Password) != 20 || res.Admin.Name != "bea" {
				t.Fatalf("result %+v", res)
			}
			a, err := svc.Login(ctx, org.LoginInput{Email: "bea@beta.test", Password: res.Password})
			if err != nil || a.Role != actor.Admin || a.OrgID != res.Org.ID || a.UserID != res.Admin.ID {
				t.Fatalf("login with the generated password: %+v, %v", a, err)
			}
		})
		t.Run("OKExistingUserKeepsPassword", func(t *testing.T) {
			res, err := svc.Bootstrap(ctx, org.BootstrapInput{OrgName: "Gamma", Email: "admin@acme.test", Password: "another long password"})
			if err != nil || res.Password != "" || res.PasswordGenerated {
				t.Fatalf("result %+v, %v", res, err)
			}
			a, err := svc.Login(ctx, org.LoginInput{Email: "admin@acme.test", Password: password, Org: "gamma"})
			if err != nil || a.OrgID != res.Org.ID || a.Role != actor.Admin {
				t.Fatalf("login to gamma: %+v, %v", a, err)
			}
		})
		t.Run("ErrInvalid", func(t *testing.T) {
			for _, tc := range []struct {
				in     org.BootstrapInput
				fields []string
			}{
				{org.BootstrapInput{OrgName: "", Email: "not an email", Password: "short"}, []string{"org", "email", "password"}},
				{org.BootstrapInput{OrgName: "!!!", Email: "a@b.test"}, []string{"org"}},
				{org.BootstrapInput{OrgName: strings.Repeat("x", 201), Email: "a@b.test"}, []string{"org"}},
				{org.BootstrapInput{OrgName: "Delta", Email: "Ada <a@b.test>"}, []string{"email"}},
			} {
				_, err := svc.Bootstrap(ctx, tc.in)
				wantInvalid(t, err, tc.fields...)
			}
		})
		t.Run("ErrConflict", func(t *testing.T) {
			_, err := svc.Bootstrap(ctx, org.BootstrapInput{OrgName: "ACME corp", Email: "other@acme.test"})
			wantCode(t, err, errs.Conflict)
			_, err = svc.Login(ctx, org.LoginInput{Email: "other@acme.test", Password: password})
			wantCode(t, err, errs.Unauthorized) // nothing of the refused bootstrap was kept
		})
	})
}

func TestAddUser(t *testing.T) {
	dbtest.ForEachDialect(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		t.Run("OK", func(t *testing.T) {
			m, pw, err := e.svc.AddUser(e.admin, org.AddUserInput{Email: "Rita@acme.test", Name: "Rita Responder", Role: actor.Responder})
			if err != nil {
				t.Fatal(err)
			}
			if m.Email != "rita@acme.test" || m.Name != "Rita Responder" || m.Role != actor.Responder || len(pw) != 20 {
				t.Fatalf("member %+v, password %q", m, pw)
			}
			if a := actor.From(e.as(t, "rita@acme.test", pw)); a.Role != actor.Responder || a.UserID != m.ID {
				t.Fatalf("actor %+v", a)
			}
		})
		t.Run("OKLocal", func(t *testing.T) {
			m, _, err := e.svc.AddUser(context.Background(), org.AddUserInput{Org: "acme-corp", Email: "vic@acme.test", Role: actor.Viewer, Password: password})
			if err != nil || m.Role != actor.Viewer {
				t.Fatalf("%+v, %v", m, err)
			}
		})
		t.Run("OKDuplicateUpdatesRole", func(t *testing.T) {
			m, pw, err := e.svc.AddUser(e.admin, org.AddUserInput{Email: "rita@acme.test", Role: actor.Viewer, Password: "ignored for existing users"})
			if err != nil || m.Role != actor.Viewer || pw != "" || m.Name != "Rita Responder" {
				t.Fatalf("member %+v, password %q, %v", m, pw, err)
			}
			members, err := e.svc.Members(e.admin)
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, m := range members {
				got = append(got, m.Email+"="+string(m.Role))
			}
			want := []string{"admin@acme.test=admin", "rita@acme.test=viewer", "vic@acme.test=viewer"}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Fatalf("members (-want +got):\n%s", diff)
			}
		})
		t.Run("ErrForbidden", func(t *testing.T) {
			responder := e.member(t, "rob@acme.test", actor.Responder)
			_, _, err := e.svc.AddUser(responder, org.AddUserInput{Email: "eve@acme.test", Role: actor.Admin})
			wantCode(t, err, errs.Forbidden)
		})
		t.Run("ErrInvalid", func(t *testing.T) {
			_, _, err := e.svc.AddUser(e.admin, org.AddUserInput{Email: "eve@acme.test", Role: "owner"})
			wantInvalid(t, err, "role")
			_, _, err = e.svc.AddUser(e.admin, org.AddUserInput{Email: "eve", Role: "", Password: "short", Name: strings.Repeat("n", 201)})
			wantInvalid(t, err, "email", "role", "password", "name")
		})
		t.Run("ErrConflictLastAdmin", func(t *testing.T) {
			_, _, err := e.svc.AddUser(e.admin, org.AddUserInput{Email: "admin@acme.test", Role: actor.Viewer})
			wantCode(t, err, errs.Conflict)
		})
	})
}

func TestSetMemberRole(t *testing.T) {
	dbtest.ForEachDialect(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		rita := e.member(t, "rita@acme.test", actor.Responder)
		t.Run("ErrConflictLastAdmin", func(t *testing.T) {
			_, err := e.svc.SetMemberRole(e.admin, "admin@acme.test", actor.Responder)
			wantCode(t, err, errs.Conflict)
			if a := actor.From(e.as(t, "admin@acme.test", password)); a.Role != actor.Admin {
				t.Fatalf("refused demotion changed the role to %s", a.Role)
			}
		})
		t.Run("OK", func(t *testing.T) {
			m, err := e.svc.SetMemberRole(e.admin, actor.From(rita).UserID, actor.Admin)
			if err != nil || m.Role != actor.Admin || m.Email != "rita@acme.test" {
				t.Fatalf("%+v, %v", m, err)
			}
			if m, err = e.svc.SetMemberRole(e.admin, "ADMIN@acme.test", actor.Viewer); err != nil || m.Role != actor.Viewer {
				t.Fatalf("demoting one of two admins: %+v, %v", m, err)
			}
			if a := actor.From(e.as(t, "admin@acme.test", password)); a.Role != actor.Viewer {
				t.Fatalf("role after demotion %s", a.Role)
			}
			_, err = e.svc.SetMemberRole(e.as(t, "rita@acme.test", password), "rita@acme.test", actor.Responder)
			wantCode(t, err, errs.Conflict)
		})
		t.Run("ErrForbidden", func(t *testing.T) {
			_, err := e.svc.SetMemberRole(e.as(t, "admin@acme.test", password), "rita@acme.test", actor.Viewer)
			wantCode(t, err, errs.Forbidden)
		})
		t.Run("ErrInvalid", func(t *testing.T) {
			_, err := e.svc.SetMemberRole(e.as(t, "rita@acme.test", password), "admin@acme.test", "owner")
			wantInvalid(t, err, "role")
		})
		t.Run("ErrNotFound", func(t *testing.T) {
			_, err := e.svc.SetMemberRole(e.as(t, "rita@acme.test", password), "nobody@acme.test", actor.Viewer)
			wantCode(t, err, errs.NotFound)
		})
	})
}

// TestSetMemberRoleConcurrent: two admins demoting each other at the same
// moment must leave one admin.
func TestSetMemberRoleConcurrent(t *testing.T) {
	dbtest.ForEachDialect(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		for round := range 10 {
			rita := e.member(t, "rita@acme.test", actor.Admin)
			admin := e.as(t, "admin@acme.test", password)
			var wg sync.WaitGroup
			wg.Go(func() { _, _ = e.svc.SetMemberRole(admin, "rita@acme.test", actor.Viewer) })
			wg.Go(func() { _, _ = e.svc.SetMemberRole(rita, "admin@acme.test", actor.Viewer) })
			wg.Wait()
			members, err := e.svc.Members(admin)
			if err != nil {
				t.Fatal(err)
			}
			var admins []string
			for _, m := range members {
				if m.Role == actor.Admin {
					admins = append(admins, m.Email)
				}
			}
			if len(admins) != 1 {
				t.Fatalf("round %d: admins %v, want exactly one", round, admins)
			}
			// Put both back for the next round, through whoever is still admin.
			if _, err := e.svc.SetMemberRole(e.as(t, admins[0], password), "admin@acme.test", actor.Admin); err != nil {
				t.Fatal(err)
			}
		}
	})
}

func roleKeys(t *testing.T, e *env, ctx context.Context) []string {
	t.Helper()
	rs, err := e.svc.Roles(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var keys []string
	for _, r := range rs {
		keys = append(keys, r.Key)
		if r.Builtin != (len(keys) <= len(org.BuiltinRoles)) {
			t.Errorf("role %s builtin=%v at position %d", r.Key, r.Builtin, len(keys))
		}
	}
	return keys
}

func TestRoles(t *testing.T) {
	dbtest.ForEachDialect(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		viewer := e.member(t, "vic@acme.test", actor.Viewer)
		var builtin []string
		for _, r := range org.BuiltinRoles {
			builtin = append(builtin, r.Key)
		}
		t.Run("OKBuiltinInCatalogueOrder", func(t *testing.T) {
			keys := roleKeys(t, e, viewer)
			if len(keys) != 15 || keys[0] != org.RoleIncidentCommander || keys[14] != "external_ir_provider" {
				t.Fatalf("%d roles: %v", len(keys), keys)
			}
			if diff := cmp.Diff(builtin, keys); diff != "" {
				t.Fatalf("(-want +got):\n%s", diff)
			}
		})
		t.Run("OKAddRole", func(t *testing.T) {
			e.clock.Advance(time.Hour)
			r, err := e.svc.AddRole(e.admin, org.IRRole{Key: " threat_intel ", Name: " Threat intelligence ", Description: "Tracks the actor", Builtin: true})
			want := org.IRRole{Key: "threat_intel", Name: "Threat intelligence", Description: "Tracks the actor", CreatedAt: e.clock.Now()}
			if diff := cmp.Diff(want, r); err != nil || diff != "" {
				t.Fatalf("%v (-want +got):\n%s", err, diff)
			}
			if _, err := e.svc.AddRole(e.admin, org.IRRole{Key: "aa_custom", Name: "First custom"}); err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(append(builtin, "aa_custom", "threat_intel"), roleKeys(t, e, viewer)); diff != "" {
				t.Fatalf("built-in roles first, then custom ones by key (-want +got):\n%s", diff)
			}
			rs, _ := e.svc.Roles(viewer)
			if diff := cmp.Diff(want, rs[len(rs)-1]); diff != "" {
				t.Fatalf("stored role (-want +got):\n%s", diff)
			}
		})
		t.Run("ErrConflict", func(t *testing.T) {
			for _, key := range []string{"scribe", "threat_intel"} {
				_, err := e.svc.AddRole(e.admin, org.IRRole{Key: key, Name: "Again"})
				wantCode(t, err, errs.Conflict)
			}
		})
		t.Run("ErrInvalid", func(t *testing.T) {
			for _, key := range []string{"", "x", "Threat", "1st", "has space", "dash-ed", strings.Repeat("k", 49)} {
				_, err := e.svc.AddRole(e.admin, org.IRRole{Key: key, Name: "Name"})
				wantInvalid(t, err, "key")
			}
			_, err := e.svc.AddRole(e.admin, org.IRRole{Key: "ok_key", Name: "  "})
			wantInvalid(t, err, "name")
		})
		t.Run("ErrForbidden", func(t *testing.T) {
			responder := e.member(t, "rob@acme.test", actor.Responder)
			_, err := e.svc.AddRole(responder, org.IRRole{Key: "sneaky", Name: "Sneaky"})
			wantCode(t, err, errs.Forbidden)
			if n := len(roleKeys(t, e, viewer)); n != 17 {
				t.Fatalf("%d roles, want 17", n)
			}
		})
		t.Run("OKPerOrganisation", func(t *testing.T) {
			other, err := e.svc.Bootstrap(context.Background(), org.BootstrapInput{OrgName: "Other Inc", Email: "boss@other.test", Password: password})
			if err != nil {
				t.Fatal(err)
			}
			a, err := e.svc.Login(context.Background(), org.LoginInput{Email: "boss@other.test", Password: password, Org: other.Org.Slug})
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(builtin, roleKeys(t, e, actor.With(context.Background(), a))); diff != "" {
				t.Fatalf("another organisation sees custom roles (-want +got):\n%s", diff)
			}
		})
	})
}
