package evidence_test

import (
	"bytes"
	"context"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/warroom/warroom/internal/actor"
	"github.com/warroom/warroom/internal/db"
	"github.com/warroom/warroom/internal/errs"
	"github.com/warroom/warroom/internal/evidence"
	"github.com/warroom/warroom/internal/incident"
	"github.com/warroom/warroom/internal/org"
)

// world is Acme (admin, responder, viewer, nonmember — a responder off
// the restricted roster — and bystander, a viewer off it) and Other
// (outsider, an admin of another organisation), with a public incident P
// and a restricted incident R whose roster holds the responder and the
// viewer. The locker stores blobs in a temporary directory.
type world struct {
	t         testing.TB
	db        *db.DB
	orgs      *org.Service
	incidents *incident.Service
	ev        *evidence.Service
	now       time.Time
	ctx       map[string]context.Context
	p, r      incident.Incident
}

func newWorld(t testing.TB, d *db.DB) *world {
	t.Helper()
	bg := context.Background()
	w := &world{t: t, db: d, now: time.Date(2026, 11, 26, 9, 0, 0, 0, time.UTC), ctx: map[string]context.Context{}}
	clock := func() time.Time { return w.now }
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	w.orgs = &org.Service{DB: d, Now: clock, Log: log}
	w.incidents = &incident.Service{DB: d, Now: clock, Log: log}
	w.ev = &evidence.Service{DB: d, Now: clock, Log: log, Blobs: &evidence.Blobs{Dir: filepath.Join(t.TempDir(), "blobs")}}
	acme, err := w.orgs.Bootstrap(bg, org.BootstrapInput{OrgName: "Acme", Email: "admin@acme.test", Name: "Ada", Password: "correct horse battery"})
	if err != nil {
		t.Fatal(err)
	}
	w.ctx["admin"] = actor.With(bg, &actor.Actor{UserID: acme.Admin.ID, OrgID: acme.Org.ID, Email: acme.Admin.Email, Name: "Ada", Role: actor.Admin})
	for name, role := range map[string]actor.Role{"responder": actor.Responder, "viewer": actor.Viewer, "nonmember": actor.Responder, "bystander": actor.Viewer} {
		m, _, err := w.orgs.AddUser(w.ctx["admin"], org.AddUserInput{Email: name + "@acme.test", Name: name, Role: role, Password: "correct horse battery"})
		if err != nil {
			t.Fatal(err)
		}
		w.ctx[name] = actor.With(bg, &actor.Actor{UserID: m.ID, OrgID: acme.Org.ID, Email: m.Email, Name: name, Role: role})
	}
	other, err := w.orgs.Bootstrap(bg, org.BootstrapInput{OrgName: "Other", Email: "boss@other.test", Password: "correct horse battery"})
	if err != nil {
		t.Fatal(err)
	}
	w.ctx["outsider"] = actor.With(bg, &actor.Actor{UserID: other.Admin.ID, OrgID: other.Org.ID, Email: other.Admin.Email, Role: actor.Admin})
	w.p = w.declare(incident.DeclareInput{Title: "Phishing wave", Type: "business_email_compromise", Severity: "SEV3"})
	w.r = w.declare(incident.DeclareInput{Title: "Insider case", Type: "insider_threat", Severity: "SEV2", Restricted: true})
	for who, role := range map[string]string{"responder": "scribe", "viewer": "investigator"} {
		if _, err := w.incidents.Assign(w.ctx["admin"], w.r.Ref, incident.AssignInput{Role: role, User: who + "@acme.test"}); err != nil {
			t.Fatal(err)
		}
	}
	return w
}

func (w *world) declare(in incident.DeclareInput) incident.Incident {
	w.t.Helper()
	in.Plan = "none"
	i, err := w.incidents.Declare(w.ctx["admin"], in)
	if err != nil {
		w.t.Fatal(err)
	}
	return i
}

// MustUpload uploads content as who through the service.
func (w *world) MustUpload(who, ref string, m evidence.Meta, content []byte) evidence.Evidence {
	w.t.Helper()
	e, err := w.ev.Upload(w.ctx[who], ref, m, bytes.NewReader(content))
	if err != nil {
		w.t.Fatalf("upload %s: %v", m.Name, err)
	}
	return e
}

// blobFiles lists every file under the blob directory (stored and temporary).
func (w *world) blobFiles() []string {
	w.t.Helper()
	var out []string
	_ = filepath.WalkDir(w.ev.Blobs.Dir, func(p string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			out = append(out, p)
		}
		return nil
	})
	return out
}

// audits counts the organisation's audit rows with action.
func (w *world) audits(action string) int {
	w.t.Helper()
	evs, err := w.orgs.Audit(w.ctx["admin"], 1000)
	if err != nil {
		w.t.Fatal(err)
	}
	n := 0
	for _, e := range evs {
		if e.Action == action {
			n++
		}
	}
	return n
}

func wantCode(t *testing.T, err error, code errs.Code) {
	t.Helper()
	if errs.CodeOf(err) != code {
		t.Fatalf("got %v (code %q), want code %q", err, errs.CodeOf(err), code)
	}
}

func wantFields(t *testing.T, err error, fields ...string) {
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

// refuseRead fails the test if anything reads it: refused uploads must not
// consume the stream.
type refuseRead struct{ t testing.TB }

func (r refuseRead) Read([]byte) (int, error) {
	r.t.Error("the upload stream was read although the upload is refused")
	return 0, io.EOF
}
