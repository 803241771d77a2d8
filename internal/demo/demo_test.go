package demo_test

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"testing"
	"time"

	"github.com/warroom/warroom/internal/actor"
	"github.com/warroom/warroom/internal/db"
	"github.com/warroom/warroom/internal/db/dbtest"
	"github.com/warroom/warroom/internal/demo"
	"github.com/warroom/warroom/internal/errs"
	"github.com/warroom/warroom/internal/incident"
	"github.com/warroom/warroom/internal/org"
)

// seeded is a demo database as a person signing in finds it.
type seeded struct {
	res       demo.Result
	now       time.Time
	incidents *incident.Service
	admin     context.Context
	byType    map[incident.Type]incident.Incident
	actors    map[string]context.Context // by email, from a real sign-in
}

func seed(t *testing.T, d *db.DB) *seeded {
	t.Helper()
	ctx := context.Background()
	now := time.Now().UTC()
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	res, err := demo.Seed(ctx, d, now, log, demo.Options{})
	if err != nil {
		t.Fatalf("seed: %v", err)
	}
	clock := func() time.Time { return now }
	s := &seeded{res: res, now: now, incidents: &incident.Service{DB: d, Now: clock, Log: log},
		byType: map[incident.Type]incident.Incident{}, actors: map[string]context.Context{}}
	orgs := &org.Service{DB: d, Now: clock, Log: log}
	for _, u := range res.Users {
		if len(u.Password) < org.MinPasswordLength {
			t.Errorf("%s: password %q is shorter than %d", u.Email, u.Password, org.MinPasswordLength)
		}
		a, err := orgs.Login(ctx, org.LoginInput{Email: u.Email, Password: u.Password, RemoteAddr: "192.0.2.10"})
		if err != nil {
			t.Fatalf("sign in as %s with the printed password: %v", u.Email, err)
		}
		if string(a.Role) != u.Role || a.OrgID != res.Org.ID {
			t.Errorf("%s signed in as %s in %s, want %s in %s", u.Email, a.Role, a.OrgID, u.Role, res.Org.ID)
		}
		s.actors[u.Email] = actor.With(ctx, a)
		if a.Role == actor.Admin {
			s.admin = s.actors[u.Email]
		}
	}
	if s.admin == nil {
		t.Fatal("no demo user is an admin")
	}
	page, err := s.incidents.List(s.admin, incident.Filter{Limit: 500})
	if err != nil {
		t.Fatal(err)
	}
	for _, i := range page.Items {
		// List leaves milestones out; Get has them.
		if s.byType[i.Type], err = s.incidents.Get(s.admin, i.Ref); err != nil {
			t.Fatal(err)
		}
	}
	return s
}

// holder returns the context of the current holder of role on ref.
func (s *seeded) holder(t *testing.T, ref, role string) context.Context {
	t.Helper()
	r, err := s.incidents.Roster(s.admin, ref)
	if err != nil {
		t.Fatal(err)
	}
	for _, as := range r.Current {
		if as.Role == role {
			if ctx, ok := s.actors[as.UserEmail]; ok {
				return ctx
			}
			t.Fatalf("%s holds %s on %s but is not a demo login", as.UserEmail, role, ref)
		}
	}
	t.Fatalf("nobody holds %s on %s", role, ref)
	return nil
}

func (s *seeded) timeline(t *testing.T, ref string) []incident.Entry {
	t.Helper()
	p, err := s.incidents.Timeline(s.admin, ref, incident.TimelineFilter{Limit: 500})
	if err != nil {
		t.Fatal(err)
	}
	if p.NextCursor != "" {
		t.Fatalf("timeline of %s has more than 500 entries", ref)
	}
	return p.Items
}

func TestSeed(t *testing.T) {
	dbtest.ForEachDialect(t, func(t *testing.T, d *db.DB) {
		s := seed(t, d)
		if len(s.res.Users) < 8 || s.res.Org.Name != demo.OrgName {
			t.Fatalf("seeded %q with %d people, want %q with at least 8", s.res.Org.Name, len(s.res.Users), demo.OrgName)
		}
		if len(s.byType) != 4 {
			t.Fatalf("admin sees incidents of %d types, want 4: %v", len(s.byType), s.byType)
		}
		t.Run("Ransomware", func(t *testing.T) { testRansomware(t, s) })
		t.Run("RansomwareAnalysis", func(t *testing.T) { testRansomwareAnalysis(t, d, s) })
		t.Run("BusinessEmailCompromise", func(t *testing.T) { testBEC(t, s) })
		t.Run("InsiderRestricted", func(t *testing.T) { testInsider(t, s) })
		t.Run("Phishing", func(t *testing.T) {
			i := s.byType["account_compromise"]
			if i.Severity != "SEV3" || i.Phase != "detection_analysis" || s.now.Sub(i.CreatedAt) > 2*time.Hour {
				t.Errorf("phishing incident is %s %s declared %s ago, want a fresh SEV3 in detection_analysis", i.Severity, i.Phase, s.now.Sub(i.CreatedAt))
			}
		})
		t.Run("NothingAfterNow", func(t *testing.T) {
			for _, i := range s.byType {
				if i.CreatedAt.After(s.now) || i.UpdatedAt.After(s.now) {
					t.Errorf("%s created %s, updated %s: after now %s", i.Ref, i.CreatedAt, i.UpdatedAt, s.now)
				}
				for k, m := range i.Milestones {
					if m.At.After(s.now) || m.SetAt.After(s.now) {
						t.Errorf("%s milestone %s at %s (set %s) is after now", i.Ref, k, m.At, m.SetAt)
					}
				}
				tasks, err := s.incidents.Tasks(s.admin, i.Ref, incident.TaskFilter{})
				if err != nil {
					t.Fatal(err)
				}
				// Due dates may lie ahead: they are deadlines, not history.
				for _, tk := range tasks {
					if tk.CreatedAt.After(s.now) || tk.UpdatedAt.After(s.now) {
						t.Errorf("%s task %d created %s, updated %s: after now", i.Ref, tk.Number, tk.CreatedAt, tk.UpdatedAt)
					}
				}
				r, err := s.incidents.Roster(s.admin, i.Ref)
				if err != nil {
					t.Fatal(err)
				}
				for _, as := range append(r.Current, r.History...) {
					if as.AssignedAt.After(s.now) || (as.ReleasedAt != nil && as.ReleasedAt.After(s.now)) {
						t.Errorf("%s: %s as %s assigned %s, released %v: after now", i.Ref, as.UserEmail, as.Role, as.AssignedAt, as.ReleasedAt)
					}
				}
				for _, e := range s.timeline(t, i.Ref) {
					if e.EventTime.After(s.now) || e.RecordedAt.After(s.now) {
						t.Errorf("%s entry %d (%s) happened %s, recorded %s: after now %s", i.Ref, e.Seq, e.Kind, e.EventTime, e.RecordedAt, s.now)
					}
				}
			}
		})
		t.Run("ChainsVerify", func(t *testing.T) {
			reports, err := s.incidents.VerifyAll(context.Background())
			if err != nil {
				t.Fatal(err)
			}
			if len(reports) != 4 {
				t.Errorf("verified %d chains, want 4", len(reports))
			}
			for _, r := range reports {
				if !r.OK || r.Entries == 0 {
					t.Errorf("chain of %s (%d entries) does not verify: %+v", r.Ref, r.Entries, r.Problem)
				}
			}
		})
		t.Run("ErrNotEmpty", func(t *testing.T) {
			_, err := demo.Seed(context.Background(), d, time.Now(), nil, demo.Options{})
			if !errors.Is(err, demo.ErrNotEmpty) {
				t.Errorf("second seed: got %v, want ErrNotEmpty", err)
			}
		})
	})
}

func testBEC(t *testing.T, s *seeded) {
	i := s.byType["business_email_compromise"]
	if i.Status != incident.Closed || i.Severity != "SEV2" {
		t.Errorf("BEC is %s %s, want a closed SEV2", i.Status, i.Severity)
	}
	for _, k := range incident.MilestoneKinds {
		if _, ok := i.Milestones[k]; !ok {
			t.Errorf("milestone %s not set", k)
		}
	}
	if age := s.now.Sub(i.Milestones["closed"].At); age < 13*24*time.Hour || age > 16*24*time.Hour {
		t.Errorf("BEC closed %s ago, want about two weeks", age)
	}
	tasks, err := s.incidents.Tasks(s.admin, i.Ref, incident.TaskFilter{})
	if err != nil {
		t.Fatal(err)
	}
	for _, tk := range tasks {
		if tk.Status != "done" {
			t.Errorf("task %d %q is %s, want done", tk.Number, tk.Title, tk.Status)
		}
	}
	if n := len(s.timeline(t, i.Ref)); len(tasks) == 0 || n < 10 {
		t.Errorf("%d tasks and %d entries, want some and >= 10", len(tasks), n)
	}
}

func testInsider(t *testing.T, s *seeded) {
	i := s.byType["insider_threat"]
	if !i.Restricted {
		t.Fatalf("%s is not restricted", i.Ref)
	}
	ransomware := s.byType["ransomware"].Ref
	techLead := s.holder(t, ransomware, "technical_lead")
	sponsor := s.holder(t, ransomware, "executive_sponsor")
	hr := s.holder(t, i.Ref, "hr")
	for name, ctx := range map[string]context.Context{"technical lead": techLead, "executive sponsor": sponsor} {
		if _, err := s.incidents.Get(ctx, i.Ref); errs.CodeOf(err) != errs.NotFound {
			t.Errorf("Get as the %s: got %v, want not found", name, err)
		}
	}
	if _, err := s.incidents.Get(hr, i.Ref); err != nil {
		t.Errorf("Get as HR: %v", err)
	}
	if _, err := s.incidents.Timeline(hr, i.Ref, incident.TimelineFilter{}); err != nil {
		t.Errorf("timeline as HR: %v", err)
	}
}
