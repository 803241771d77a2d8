package obligation_test

import (
	"context"
	"io"
	"log/slog"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/warroom/warroom/internal/actor"
	"github.com/warroom/warroom/internal/db"
	"github.com/warroom/warroom/internal/db/dbtest"
	"github.com/warroom/warroom/internal/errs"
	"github.com/warroom/warroom/internal/evidence"
	"github.com/warroom/warroom/internal/incident"
	"github.com/warroom/warroom/internal/obligation"
	"github.com/warroom/warroom/internal/org"
)

// world is Acme (admin, responder, viewer, nonmember) with a public
// incident A and a restricted incident R (roster: responder and viewer),
// and Other (outsider) in another organisation.
type world struct {
	t         *testing.T
	incidents *incident.Service
	svc       *obligation.Service
	ev        *evidence.Service
	ctx       map[string]context.Context
	a, r      incident.Incident
	now       *time.Time
	clock     func() time.Time
}

func newWorld(t *testing.T, d *db.DB) *world {
	t.Helper()
	now := time.Date(2026, 3, 11, 12, 0, 0, 0, time.UTC)
	clock := func() time.Time { return now }
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	orgs := &org.Service{DB: d, Now: clock, Log: log}
	rules, err := obligation.Builtin()
	if err != nil {
		t.Fatal(err)
	}
	w := &world{t: t, incidents: &incident.Service{DB: d, Now: clock, Log: log},
		svc: &obligation.Service{DB: d, Now: clock, Log: log, Rules: rules},
		ev:  &evidence.Service{DB: d, Now: clock, Log: log, Blobs: &evidence.Blobs{Dir: filepath.Join(t.TempDir(), "blobs")}},
		ctx: map[string]context.Context{}, now: &now, clock: clock}
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
	for _, x := range []struct {
		p          *incident.Incident
		title      string
		restricted bool
	}{{&w.a, "Data theft", false}, {&w.r, "Insider case", true}} {
		i, err := w.incidents.Declare(w.ctx["admin"], incident.DeclareInput{Title: x.title, Type: "data_breach", Severity: "SEV2", TLP: "green", Restricted: x.restricted, Plan: "none"})
		if err != nil {
			t.Fatal(err)
		}
		*x.p = i
	}
	for _, p := range []struct{ role, user string }{{"scribe", "responder@acme.test"}, {"investigator", "viewer@acme.test"}} {
		if _, err := w.incidents.Assign(w.ctx["admin"], w.r.Ref, incident.AssignInput{Role: p.role, User: p.user}); err != nil {
			t.Fatal(err)
		}
	}
	return w
}

func sampleFacts() obligation.Facts {
	return obligation.Facts{
		Organisation: obligation.OrganisationFacts{Jurisdictions: []string{"US", "EU-DE"}, EntityTypes: []string{"sec_registrant"}},
		Incident: obligation.IncidentFacts{Affected: []obligation.Affected{{Jurisdiction: "US-TX", Count: 600}, {Jurisdiction: "EU-FR", Count: 12000}},
			DataTypes: []string{"name", "ssn"}, Events: map[string]string{"awareness": "2026-03-10T09:00:00Z", "breach_determination": "2026-03-10T15:00:00-05:00"}},
	}
}

func (w *world) kinds(ref string) []string {
	w.t.Helper()
	p, err := w.incidents.Timeline(w.ctx["admin"], ref, incident.TimelineFilter{Limit: 200})
	if err != nil {
		w.t.Fatal(err)
	}
	var out []string
	for _, e := range p.Items {
		out = append(out, e.Kind)
	}
	return out
}

func count(list []string, s string) int {
	n := 0
	for _, x := range list {
		if x == s {
			n++
		}
	}
	return n
}

func TestFactsOnTheIncident(t *testing.T) {
	dbtest.ForEachDialect(t, func(t *testing.T, d *db.DB) {
		w := newWorld(t, d)
		t.Run("OK", func(t *testing.T) {
			empty, err := w.svc.Facts(w.ctx["viewer"], w.a.Ref)
			if err != nil || empty.Version != 0 || empty.Facts.Incident.Events == nil {
				t.Fatalf("before any facts: %+v %v", empty, err)
			}
			got, err := w.svc.PutFacts(w.ctx["responder"], w.a.Ref, sampleFacts(), 0)
			if err != nil || got.Version != 1 {
				t.Fatalf("put: %+v %v", got, err)
			}
			again, err := w.svc.PutFacts(w.ctx["admin"], w.a.Ref, sampleFacts(), 1)
			if err != nil || again.Version != 2 {
				t.Fatalf("put with If-Match: %+v %v", again, err)
			}
			read, err := w.svc.Facts(w.ctx["viewer"], w.a.Ref)
			if err != nil || read.Version != 2 || read.Facts.Incident.Affected[1].Count != 12000 || read.Facts.Incident.Events["awareness"] != "2026-03-10T09:00:00Z" {
				t.Fatalf("read back: %+v %v", read, err)
			}
			if n := count(w.kinds(w.a.Ref), obligation.KindFactsUpdated); n != 2 {
				t.Errorf("%d facts entries in the timeline, want 2", n)
			}
		})
		t.Run("ErrPreconditionFailed", func(t *testing.T) {
			for _, v := range []int64{0, 1} { // 0: a form opened before any facts were saved
				if _, err := w.svc.PutFacts(w.ctx["admin"], w.a.Ref, sampleFacts(), v); errs.CodeOf(err) != errs.PreconditionFailed {
					t.Errorf("stale version %d: %v", v, err)
				}
			}
		})
		t.Run("ErrInvalid changes nothing", func(t *testing.T) {
			before := len(w.kinds(w.a.Ref))
			f := sampleFacts()
			f.Incident.Affected[0].Count = -1
			f.Incident.Events["awareness"] = "2026-03-10T09:00:00"
			_, err := w.svc.PutFacts(w.ctx["admin"], w.a.Ref, f, obligation.AnyVersion)
			fields := map[string]bool{}
			for _, fe := range errs.FieldsOf(err) {
				fields[fe.Field] = true
			}
			if errs.CodeOf(err) != errs.Invalid || !fields["incident.affected[0].count"] || !fields["incident.events.awareness"] {
				t.Errorf("invalid facts: %v", err)
			}
			if after := len(w.kinds(w.a.Ref)); after != before {
				t.Error("invalid facts wrote to the timeline")
			}
			if got, _ := w.svc.Facts(w.ctx["admin"], w.a.Ref); got.Version != 2 {
				t.Errorf("version moved to %d", got.Version)
			}
		})
		t.Run("ErrForbidden for viewers", func(t *testing.T) {
			if _, err := w.svc.PutFacts(w.ctx["viewer"], w.a.Ref, sampleFacts(), obligation.AnyVersion); errs.CodeOf(err) != errs.Forbidden {
				t.Errorf("viewer put: %v", err)
			}
		})
		t.Run("ErrNotFound for the restricted incident and other tenants", func(t *testing.T) {
			if _, err := w.svc.PutFacts(w.ctx["responder"], w.r.Ref, sampleFacts(), 0); err != nil {
				t.Fatalf("roster member: %v", err)
			}
			for _, who := range []string{"nonmember", "outsider"} {
				if _, err := w.svc.Facts(w.ctx[who], w.r.Ref); errs.CodeOf(err) != errs.NotFound {
					t.Errorf("%s read restricted facts: %v", who, err)
				}
				if _, err := w.svc.PutFacts(w.ctx[who], w.r.Ref, sampleFacts(), obligation.AnyVersion); errs.CodeOf(err) != errs.NotFound {
					t.Errorf("%s wrote restricted facts: %v", who, err)
				}
				if _, err := w.svc.Obligations(w.ctx[who], w.r.Ref, true); errs.CodeOf(err) != errs.NotFound {
					t.Errorf("%s read restricted obligations: %v", who, err)
				}
			}
			if _, err := w.svc.Facts(w.ctx["outsider"], w.a.Ref); errs.CodeOf(err) != errs.NotFound {
				t.Errorf("outsider read another tenant's facts: %v", err)
			}
		})
	})
}

func TestNotificationStatus(t *testing.T) {
	dbtest.ForEachDialect(t, func(t *testing.T, d *db.DB) {
		w := newWorld(t, d)
		if _, err := w.svc.PutFacts(w.ctx["admin"], w.a.Ref, sampleFacts(), 0); err != nil {
			t.Fatal(err)
		}
		if _, err := w.ev.Upload(w.ctx["admin"], w.a.Ref, evidence.Meta{Name: "tx-ag-receipt.pdf"}, strings.NewReader("portal receipt")); err != nil {
			t.Fatal(err)
		}
		rep, err := w.svc.Obligations(w.ctx["viewer"], w.a.Ref, false)
		if err != nil {
			t.Fatal(err)
		}
		got := map[string]obligation.IncidentObligation{}
		for _, o := range rep.Obligations {
			got[o.Rule] = o
			if o.Status == obligation.NotApplicable {
				t.Errorf("%s listed without all", o.Rule)
			}
		}
		// 72 hours from awareness; Texas AG 30 days from the determination
		// (10 March 15:00 EST is 10 March in Texas).
		if o := got["eu-gdpr-art33-supervisory-authority"]; o.Due != "2026-03-13T10:00:00+01:00" || o.Notification.Status != obligation.NotStarted {
			t.Errorf("GDPR: %+v", o)
		}
		if o := got["us-tx-521-053-attorney-general"]; o.Due != "2026-04-09T23:59:59-05:00" {
			t.Errorf("Texas AG: %+v", o)
		}
		if rep.FactsVersion != 1 {
			t.Errorf("facts version %d", rep.FactsVersion)
		}
		at := time.Date(2026, 3, 11, 10, 30, 0, 0, time.UTC)
		t.Run("OK submitted with proof", func(t *testing.T) {
			n, err := w.svc.SetStatus(w.ctx["responder"], w.a.Ref, "us-tx-521-053-attorney-general",
				obligation.StatusInput{Status: obligation.Submitted, SubmittedAt: &at, Reference: "TX-2026-0042", ProofEvidence: "EV-1"}, 0)
			if err != nil || n.Version != 1 || n.SubmittedBy != "responder" || !n.SubmittedAt.Equal(at) {
				t.Fatalf("submitted: %+v %v", n, err)
			}
			rep, _ := w.svc.Obligations(w.ctx["viewer"], w.a.Ref, false)
			for _, o := range rep.Obligations {
				if o.Rule == "us-tx-521-053-attorney-general" && (o.Notification.Status != obligation.Submitted || o.Notification.Reference != "TX-2026-0042") {
					t.Errorf("status not shown: %+v", o.Notification)
				}
			}
		})
		t.Run("OK not required with rationale, kept in the list even when not applicable", func(t *testing.T) {
			n, err := w.svc.SetStatus(w.ctx["admin"], w.a.Ref, "us-hipaa-164-404-individuals",
				obligation.StatusInput{Status: obligation.NotRequired, Rationale: "No PHI: the stolen share held HR data only (forensic report EV-1)"}, 0)
			if err != nil || n.Status != obligation.NotRequired {
				t.Fatalf("not required: %+v %v", n, err)
			}
			rep, _ := w.svc.Obligations(w.ctx["viewer"], w.a.Ref, false)
			var seen bool
			for _, o := range rep.Obligations {
				seen = seen || o.Rule == "us-hipaa-164-404-individuals"
			}
			if !seen {
				t.Error("a rule with a recorded status disappeared from the list")
			}
		})
		if n := count(w.kinds(w.a.Ref), obligation.KindStatusChanged); n != 2 {
			t.Errorf("%d status entries in the timeline, want 2", n)
		}
		for _, tc := range []struct {
			name, rule string
			in         obligation.StatusInput
			version    int64
			code       errs.Code
			field      string
		}{
			{"not required without rationale", "eu-gdpr-art33-supervisory-authority", obligation.StatusInput{Status: obligation.NotRequired}, 0, errs.Invalid, "rationale"},
			{"submitted without a time", "eu-gdpr-art33-supervisory-authority", obligation.StatusInput{Status: obligation.Submitted}, 0, errs.Invalid, "submitted_at"},
			{"unknown status", "eu-gdpr-art33-supervisory-authority", obligation.StatusInput{Status: "sent"}, 0, errs.Invalid, "status"},
			{"reference on a draft", "eu-gdpr-art33-supervisory-authority", obligation.StatusInput{Status: obligation.Drafting, Reference: "X"}, 0, errs.Invalid, "reference"},
			{"proof that is not an evidence reference", "eu-gdpr-art33-supervisory-authority", obligation.StatusInput{Status: obligation.Submitted, SubmittedAt: &at, ProofEvidence: "receipt.pdf"}, 0, errs.Invalid, "proof_evidence"},
			{"proof not in the locker", "eu-gdpr-art33-supervisory-authority", obligation.StatusInput{Status: obligation.Submitted, SubmittedAt: &at, ProofEvidence: "EV-9"}, 0, errs.Invalid, "proof_evidence"},
			{"unknown rule", "eu-gdpr-art99", obligation.StatusInput{Status: obligation.Drafting}, 0, errs.NotFound, ""},
			{"stale version", "us-tx-521-053-attorney-general", obligation.StatusInput{Status: obligation.Drafting}, 7, errs.PreconditionFailed, ""},
		} {
			t.Run("Err "+tc.name, func(t *testing.T) {
				before := len(w.kinds(w.a.Ref))
				_, err := w.svc.SetStatus(w.ctx["admin"], w.a.Ref, tc.rule, tc.in, tc.version)
				if errs.CodeOf(err) != tc.code {
					t.Fatalf("got %v, want %s", err, tc.code)
				}
				if tc.field != "" {
					var ok bool
					for _, fe := range errs.FieldsOf(err) {
						ok = ok || fe.Field == tc.field
					}
					if !ok {
						t.Errorf("no error on %s: %v", tc.field, err)
					}
				}
				if len(w.kinds(w.a.Ref)) != before {
					t.Error("a rejected change wrote to the timeline")
				}
			})
		}
		if _, err := w.svc.SetStatus(w.ctx["viewer"], w.a.Ref, "eu-gdpr-art33-supervisory-authority", obligation.StatusInput{Status: obligation.Drafting}, 0); errs.CodeOf(err) != errs.Forbidden {
			t.Errorf("viewer changed a status: %v", err)
		}
		if _, err := w.svc.SetStatus(w.ctx["nonmember"], w.r.Ref, "eu-gdpr-art33-supervisory-authority", obligation.StatusInput{Status: obligation.Drafting}, 0); errs.CodeOf(err) != errs.NotFound {
			t.Errorf("nonmember changed a restricted incident: %v", err)
		}
	})
}
