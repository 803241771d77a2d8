package notify_test

import (
	"context"
	"testing"

	"github.com/warroom/warroom/internal/actor"
	"github.com/warroom/warroom/internal/db"
	"github.com/warroom/warroom/internal/db/dbtest"
	"github.com/warroom/warroom/internal/errs"
	"github.com/warroom/warroom/internal/incident"
	"github.com/warroom/warroom/internal/notify"
	"github.com/warroom/warroom/internal/plan"
)

// TestAcknowledgeIncidentPage: the war room's Acknowledge works on a page
// of the incident named, under that incident's need-to-know, all in one
// transaction: a page of another incident is not found through this one,
// and a viewer may not acknowledge.
func TestAcknowledgeIncidentPage(t *testing.T) {
	dbtest.ForEachDialect(t, func(t *testing.T, d *db.DB) {
		w := newWorld(t, d, t0)
		ctx := context.Background()
		var adminID string
		if err := d.Read(ctx, func(tx *db.Tx) error {
			return tx.QueryRowContext(ctx, `SELECT id FROM users WHERE email = 'ada@acme.test'`).Scan(&adminID)
		}); err != nil {
			t.Fatal(err)
		}
		admin := actor.With(ctx, &actor.Actor{UserID: adminID, OrgID: w.orgID, Email: "ada@acme.test", Name: "Ada Admin", Role: actor.Admin})
		viewer := actor.With(ctx, &actor.Actor{UserID: adminID, OrgID: w.orgID, Email: "ada@acme.test", Name: "Ada", Role: actor.Viewer})
		other, err := (&incident.Service{DB: d, Now: w.clock.Now, Log: discard()}).Declare(admin,
			incident.DeclareInput{Title: "Phishing", Type: "malware", Severity: "SEV3", Plan: "none"})
		if err != nil {
			t.Fatal(err)
		}
		var pageA, pageB string
		w.write(t, func(tx *db.Tx) error {
			for _, x := range []struct {
				id  *string
				inc string
			}{{&pageA, w.incident.ID}, {&pageB, other.ID}} {
				p, _, err := notify.NewPage(ctx, tx, notify.Page{OrgID: w.orgID, IncidentID: x.inc, Source: "test", StartedAt: t0,
					Spec: notify.Spec{Levels: []notify.Level{{Roles: []string{"incident_commander"}}}}})
				if err != nil {
					return err
				}
				*x.id = p.ID
			}
			return nil
		})
		svc := &notify.Service{DB: d, Now: w.clock.Now, Escalator: &notify.Escalator{DB: d, Now: w.clock.Now, Resolve: plan.Resolver{}, OnEvent: plan.RecordEvent}}

		if _, err := svc.AcknowledgePage(admin, w.incident.Ref, pageB); errs.CodeOf(err) != errs.NotFound {
			t.Errorf("another incident's page through this one: %v", err)
		}
		if _, err := svc.AcknowledgePage(viewer, w.incident.Ref, pageA); errs.CodeOf(err) != errs.Forbidden {
			t.Errorf("viewer: %v", err)
		}
		p, err := svc.AcknowledgePage(admin, w.incident.Ref, pageA)
		if err != nil || p.AcknowledgedAt == nil || p.AcknowledgedBy != "Ada Admin" {
			t.Fatalf("acknowledge: %+v, %v", p, err)
		}
		ps, err := svc.IncidentPages(admin, other.Ref)
		if err != nil || len(ps) != 1 || ps[0].ID != pageB || ps[0].AcknowledgedAt != nil {
			t.Errorf("the other incident's page: %+v, %v", ps, err)
		}
	})
}
