package incident_test

import (
	"context"
	"io"
	"log/slog"
	"testing"
	"time"

	"github.com/warroom/warroom/internal/actor"
	"github.com/warroom/warroom/internal/db"
	"github.com/warroom/warroom/internal/errs"
	"github.com/warroom/warroom/internal/incident"
	"github.com/warroom/warroom/internal/org"
)

// world is an organisation with one person per org role, plus a second
// organisation, on a fresh database.
type world struct {
	db         *db.DB
	orgs       *org.Service
	incidents  *incident.Service
	clock      *clock
	admin      context.Context
	responder  context.Context
	responder2 context.Context
	viewer     context.Context
	outsider   context.Context // admin of another organisation
}

type clock struct{ t time.Time }

func (c *clock) Now() time.Time          { return c.t }
func (c *clock) Advance(d time.Duration) { c.t = c.t.Add(d) }

func newWorld(t testing.TB, d *db.DB) *world {
	t.Helper()
	ctx := context.Background()
	c := &clock{t: time.Date(2026, 11, 26, 9, 0, 0, 0, time.UTC)}
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	w := &world{db: d, clock: c, orgs: &org.Service{DB: d, Now: c.Now, Log: log}, incidents: &incident.Service{DB: d, Now: c.Now, Log: log}}
	boot, err := w.orgs.Bootstrap(ctx, org.BootstrapInput{OrgName: "Acme Corp", Email: "admin@acme.test", Name: "Ada Admin", Password: "correct horse battery"})
	if err != nil {
		t.Fatal(err)
	}
	adminActor := &actor.Actor{UserID: boot.Admin.ID, OrgID: boot.Org.ID, Email: boot.Admin.Email, Name: boot.Admin.Name, Role: actor.Admin}
	w.admin = actor.With(ctx, adminActor)
	w.responder = w.member(t, "rita@acme.test", "Rita Responder", actor.Responder)
	w.responder2 = w.member(t, "rob@acme.test", "Rob Responder", actor.Responder)
	w.viewer = w.member(t, "vic@acme.test", "Vic Viewer", actor.Viewer)
	other, err := w.orgs.Bootstrap(ctx, org.BootstrapInput{OrgName: "Other Inc", Email: "boss@other.test", Password: "correct horse battery"})
	if err != nil {
		t.Fatal(err)
	}
	w.outsider = actor.With(ctx, &actor.Actor{UserID: other.Admin.ID, OrgID: other.Org.ID, Email: other.Admin.Email, Role: actor.Admin})
	return w
}

func (w *world) member(t testing.TB, email, name string, role actor.Role) context.Context {
	t.Helper()
	m, _, err := w.orgs.AddUser(w.admin, org.AddUserInput{Email: email, Name: name, Role: role, Password: "correct horse battery"})
	if err != nil {
		t.Fatal(err)
	}
	a := actor.From(w.admin)
	return actor.With(context.Background(), &actor.Actor{UserID: m.ID, OrgID: a.OrgID, Email: m.Email, Name: m.Name, Role: role})
}

// MustDeclare declares an incident through the service, so validation and
// the record run as in production.
func MustDeclare(t testing.TB, s *incident.Service, ctx context.Context, in incident.DeclareInput) incident.Incident {
	t.Helper()
	if in.Title == "" {
		in.Title = "Ransomware on file servers"
	}
	if in.Type == "" {
		in.Type = "ransomware"
	}
	if in.Severity == "" {
		in.Severity = "SEV2"
	}
	i, err := s.Declare(ctx, in)
	if err != nil {
		t.Fatalf("declare: %v", err)
	}
	return i
}

// wantInvalid fails unless err is an Invalid error that names every one of
// fields, so a caller learns which input was wrong.
func wantInvalid(t *testing.T, err error, fields ...string) {
	t.Helper()
	wantCode(t, err, errs.Invalid)
	got := map[string]bool{}
	for _, f := range errs.FieldsOf(err) {
		got[f.Field] = true
	}
	for _, f := range fields {
		if !got[f] {
			t.Errorf("error %v does not name field %q", err, f)
		}
	}
}

// userID returns the ID of the person acting in ctx.
func userID(ctx context.Context) string { return actor.From(ctx).UserID }

// entriesOf returns the timeline entries of the given kinds, oldest first.
func entriesOf(t *testing.T, w *world, ctx context.Context, ref string, kinds ...string) []incident.Entry {
	t.Helper()
	p, err := w.incidents.Timeline(ctx, ref, incident.TimelineFilter{Kinds: kinds, Limit: 500})
	if err != nil {
		t.Fatalf("timeline of %s: %v", ref, err)
	}
	return p.Items
}
