package ioc_test

import (
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"slices"
	"testing"
	"time"

	"github.com/warroom/warroom/internal/actor"
	"github.com/warroom/warroom/internal/db"
	"github.com/warroom/warroom/internal/db/dbtest"
	"github.com/warroom/warroom/internal/errs"
	"github.com/warroom/warroom/internal/incident"
	"github.com/warroom/warroom/internal/ioc"
	"github.com/warroom/warroom/internal/org"
)

// world is Acme (admin, responder, viewer, nonmember) with a public
// incident A, a second public incident B and a restricted incident R
// whose roster has the responder and the viewer but not the nonmember;
// and Other (outsider, an admin of another organisation) with its own
// incident O.
type world struct {
	t         *testing.T
	incidents *incident.Service
	iocs      *ioc.Service
	now       *time.Time
	ctx       map[string]context.Context
	a, b, r   incident.Incident
	o         incident.Incident
}

func newWorld(t *testing.T, d *db.DB) *world {
	t.Helper()
	now := time.Date(2026, 11, 26, 9, 0, 0, 0, time.UTC)
	clock := func() time.Time { return now }
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	orgs := &org.Service{DB: d, Now: clock, Log: log}
	w := &world{t: t, incidents: &incident.Service{DB: d, Now: clock, Log: log}, iocs: &ioc.Service{DB: d, Now: clock, Log: log},
		now: &now, ctx: map[string]context.Context{}}
	bg := context.Background()
	acme, err := orgs.Bootstrap(bg, org.BootstrapInput{OrgName: "Acme", Email: "ada@acme.test", Name: "Ada", Password: "correct horse battery"})
	if err != nil {
		t.Fatal(err)
	}
	w.ctx["admin"] = actor.With(bg, &actor.Actor{UserID: acme.Admin.ID, OrgID: acme.Org.ID, Email: acme.Admin.Email, Name: "Ada", Role: actor.Admin})
	for name, role := range map[string]actor.Role{"responder": actor.Responder, "viewer": actor.Viewer, "nonmember": actor.Responder} {
		m, _, err := orgs.AddUser(w.ctx["admin"], org.AddUserInput{Email: name + "@acme.test", Name: name, Role: role, Password: "correct horse battery"})
		if err != nil {
			t.Fatal(err)
		}
		w.ctx[name] = actor.With(bg, &actor.Actor{UserID: m.ID, OrgID: acme.Org.ID, Email: m.Email, Name: name, Role: role})
	}
	other, err := orgs.Bootstrap(bg, org.BootstrapInput{OrgName: "Other", Email: "boss@other.test", Password: "correct horse battery"})
	if err != nil {
		t.Fatal(err)
	}
	w.ctx["outsider"] = actor.With(bg, &actor.Actor{UserID: other.Admin.ID, OrgID: other.Org.ID, Email: other.Admin.Email, Role: actor.Admin})
	w.a = w.declare("admin", "Phishing wave", false)
	w.b = w.declare("admin", "Ransomware on file servers", false)
	w.r = w.declare("admin", "Insider case", true)
	w.o = w.declare("outsider", "Their incident", false)
	for _, p := range []struct{ role, user string }{{"scribe", "responder@acme.test"}, {"investigator", "viewer@acme.test"}} {
		if _, err := w.incidents.Assign(w.ctx["admin"], w.r.Ref, incident.AssignInput{Role: p.role, User: p.user}); err != nil {
			t.Fatal(err)
		}
	}
	return w
}

func (w *world) declare(who, title string, restricted bool) incident.Incident {
	w.t.Helper()
	i, err := w.incidents.Declare(w.ctx[who], incident.DeclareInput{Title: title, Type: "malware", Severity: "SEV2", TLP: "green",
		Restricted: restricted, Plan: "none"})
	if err != nil {
		w.t.Fatal(err)
	}
	return i
}

// MustAdd adds an indicator through the service as who.
func (w *world) MustAdd(who, ref string, in ioc.Input) ioc.Indicator {
	w.t.Helper()
	x, _, err := w.iocs.Add(w.ctx[who], ref, in)
	if err != nil {
		w.t.Fatalf("add %s %s to %s: %v", in.Type, in.Value, ref, err)
	}
	return x
}

// entries returns the incident's timeline entries of the indicator kinds.
func (w *world) entries(ref string) []incident.Entry {
	w.t.Helper()
	p, err := w.incidents.Timeline(w.ctx["admin"], ref, incident.TimelineFilter{Kinds: []string{ioc.KindAdded, ioc.KindMerged, ioc.KindUpdated, ioc.KindDeleted}, Limit: 500})
	if err != nil {
		w.t.Fatal(err)
	}
	return p.Items
}

func fieldsOf(err error) []string {
	var out []string
	for _, f := range errs.FieldsOf(err) {
		out = append(out, f.Field)
	}
	slices.Sort(out)
	return out
}

func ptr[T any](v T) *T { return &v }

func TestAdd(t *testing.T) {
	dbtest.ForEachDialect(t, func(t *testing.T, d *db.DB) {
		w := newWorld(t, d)

		t.Run("OK", func(t *testing.T) {
			x, created, err := w.iocs.Add(w.ctx["responder"], w.a.Ref, ioc.Input{Type: "domain", Value: " Evil-CDN.example. ", Source: "proxy logs",
				Tags: []string{"C2", "c2"}, Note: "beaconing every 60s"})
			if err != nil || !created {
				t.Fatalf("add: %v, created %v", err, created)
			}
			if x.Value != "evil-cdn.example" || x.TLP != "green" || x.Confidence != ioc.DefaultConfidence || !x.IsIOC || x.Version != 1 ||
				!slices.Equal(x.Tags, []string{"c2"}) || !x.FirstSeen.Equal(*w.now) || x.IncidentRef != w.a.Ref || len(x.SeenIn) != 0 {
				t.Errorf("added: %+v", x)
			}
			got, err := w.iocs.Get(w.ctx["viewer"], w.a.Ref, x.ID)
			if err != nil || got.Value != x.Value || got.Note != x.Note {
				t.Errorf("read back: %+v, %v", got, err)
			}
			es := w.entries(w.a.Ref)
			if len(es) != 1 || es[0].Kind != ioc.KindAdded || es[0].Text != "Indicator added: domain evil-cdn.example" {
				t.Fatalf("timeline: %+v", es)
			}
			var p map[string]any
			if err := json.Unmarshal(es[0].Payload, &p); err != nil || p["id"] != x.ID || p["value"] != "evil-cdn.example" {
				t.Errorf("payload %s", es[0].Payload)
			}
		})

		t.Run("OKMergesDuplicate", func(t *testing.T) {
			*w.now = w.now.Add(time.Hour)
			first := w.MustAdd("responder", w.a.Ref, ioc.Input{Type: "ipv4", Value: "45.137.21.9", IsIOC: ptr(false), Tags: []string{"scan"}, Note: "inbound scan"})
			*w.now = w.now.Add(time.Hour)
			x, created, err := w.iocs.Add(w.ctx["admin"], w.a.Ref, ioc.Input{Type: "ipv4", Value: "045.137.021.009", TLP: "red", Confidence: ptr(90),
				Tags: []string{"c2", "scan"}, Note: "C2 callback from WS-0142"})
			if err != nil || created {
				t.Fatalf("merge: %v, created %v", err, created)
			}
			if x.ID != first.ID || x.Version != 2 || !x.LastSeen.Equal(*w.now) || !x.FirstSeen.Equal(first.FirstSeen) ||
				!slices.Equal(x.Tags, []string{"scan", "c2"}) || x.Note != "inbound scan\n\nC2 callback from WS-0142" ||
				x.TLP != first.TLP || x.Confidence != first.Confidence || x.IsIOC {
				t.Errorf("merged: %+v", x)
			}
			// Seen earlier than recorded: first_seen moves back, last_seen stays.
			earlier := w.now.Add(-48 * time.Hour)
			x, _, err = w.iocs.Add(w.ctx["admin"], w.a.Ref, ioc.Input{Type: "ipv4", Value: "45.137.21.9", FirstSeen: &earlier, Note: "inbound scan"})
			if err != nil || !x.FirstSeen.Equal(earlier) || !x.LastSeen.Equal(*w.now) || x.Version != 3 || x.Note != "inbound scan\n\nC2 callback from WS-0142" {
				t.Errorf("merged backdated sighting: %+v, %v", x, err)
			}
			es := w.entries(w.a.Ref)
			if last := es[len(es)-1]; last.Kind != ioc.KindMerged || last.Text != "Artifact seen again: ipv4 45.137.21.9" {
				t.Errorf("last entry: %+v", last)
			}
		})

		t.Run("ErrInvalidNamesEveryField", func(t *testing.T) {
			future := w.now.Add(24 * time.Hour)
			_, _, err := w.iocs.Add(w.ctx["responder"], w.a.Ref, ioc.Input{Type: "domain", Value: "not a domain", TLP: "white", Confidence: ptr(101),
				Tags: []string{"Bad Tag"}, LastSeen: &future})
			want := []string{"confidence", "first_seen", "last_seen", "tags", "tlp", "value"}
			if errs.CodeOf(err) != errs.Invalid || !slices.Equal(fieldsOf(err), want) {
				t.Errorf("got %v (fields %v), want fields %v", err, fieldsOf(err), want)
			}
			_, _, err = w.iocs.Add(w.ctx["responder"], w.a.Ref, ioc.Input{Type: "fingerprint", Value: "x"})
			if !slices.Equal(fieldsOf(err), []string{"type"}) {
				t.Errorf("unknown type: %v", err)
			}
		})

		t.Run("ErrForbiddenViewer", func(t *testing.T) {
			_, _, err := w.iocs.Add(w.ctx["viewer"], w.a.Ref, ioc.Input{Type: "md5", Value: "44d88612fea8a8f36de82e1278abb02f"})
			if errs.CodeOf(err) != errs.Forbidden {
				t.Errorf("viewer adds: %v", err)
			}
		})

		t.Run("ErrNotFoundNeedToKnow", func(t *testing.T) {
			in := ioc.Input{Type: "md5", Value: "44d88612fea8a8f36de82e1278abb02f"}
			for _, c := range []struct{ who, ref string }{{"nonmember", w.r.Ref}, {"outsider", w.b.Ref}, {"admin", "IR-1999-0001"}} {
				if _, _, err := w.iocs.Add(w.ctx[c.who], c.ref, in); errs.CodeOf(err) != errs.NotFound {
					t.Errorf("%s adds to %s: %v", c.who, c.ref, err)
				}
				if _, err := w.iocs.List(w.ctx[c.who], c.ref, ioc.Filter{}); errs.CodeOf(err) != errs.NotFound {
					t.Errorf("%s lists %s: %v", c.who, c.ref, err)
				}
			}
			if _, _, err := w.iocs.Add(w.ctx["responder"], w.r.Ref, in); err != nil {
				t.Errorf("a responder on the roster adds: %v", err)
			}
		})
	})
}
