package plan_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/warroom/warroom/internal/actor"
	"github.com/warroom/warroom/internal/db"
	"github.com/warroom/warroom/internal/db/dbtest"
	"github.com/warroom/warroom/internal/incident"
	"github.com/warroom/warroom/internal/notify"
	"github.com/warroom/warroom/internal/plan"
)

const pagedPlan = `id: paged
version: 1
title: Paged plan
applies_to: {types: [malware]}
steps:
  - {id: triage, title: Triage, phase: detection_analysis, role: incident_commander, due: 1h}
escalation:
  - severities: [SEV1, SEV2]
    channels: [email, webhook]
    renotify_every: 15m
    levels:
      - {after: 0m, roles: [incident_commander]}
      - {after: 30m, roles: [forensics_analyst]}
`

// TestEscalationFromPlan: declaring a SEV2 incident under a plan with an
// escalation block pages the commander by email (and the organisation's
// webhooks), escalates when nobody acknowledges, records it all on the
// timeline, and closing the incident stops the page.
func TestEscalationFromPlan(t *testing.T) {
	dbtest.ForEachDialect(t, func(t *testing.T, d *db.DB) {
		w := newWorld(t, d)
		ctx := context.Background()
		if _, _, err := w.plans.Import(w.ic, "paged.yaml", []byte(pagedPlan)); err != nil {
			t.Fatal(err)
		}
		orgID := actor.From(w.ic).OrgID
		err := d.Write(ctx, func(tx *db.Tx) error {
			_, err := notify.CreateWebhook(ctx, tx, *w.clock, notify.NewWebhook{OrgID: orgID, Name: "soc-chat", URL: "https://chat.example.com/hooks/abc", Format: notify.FormatSlack})
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		low, _ := w.incidents.Declare(w.ic, incident.DeclareInput{Title: "Adware", Type: "malware", Severity: "SEV4"})
		i, err := w.incidents.Declare(w.ic, incident.DeclareInput{Title: "Emotet", Type: "malware", Severity: "SEV2"})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := w.incidents.Assign(w.ic, i.Ref, incident.AssignInput{Role: "forensics_analyst", User: w.fran}); err != nil {
			t.Fatal(err)
		}
		esc := &notify.Escalator{DB: d, Now: func() time.Time { return *w.clock }, Resolve: plan.Resolver{PublicURL: "https://warroom.example.com"}, OnEvent: plan.RecordEvent}
		deliveries := func(id string) []notify.Delivery {
			t.Helper()
			var out []notify.Delivery
			err := d.Read(ctx, func(tx *db.Tx) (err error) {
				out, err = notify.ListDeliveries(ctx, tx, notify.DeliveryFilter{OrgID: orgID, IncidentID: id})
				return err
			})
			if err != nil {
				t.Fatal(err)
			}
			return out
		}
		if err := esc.Tick(ctx); err != nil {
			t.Fatal(err)
		}
		got := deliveries(i.ID)
		var targets []string
		for _, dl := range got {
			targets = append(targets, dl.Target)
		}
		if len(got) != 2 || !strings.Contains(strings.Join(targets, " "), "ic@acme.test") {
			t.Fatalf("level 0 deliveries: %v", targets)
		}
		if n := len(deliveries(low.ID)); n != 0 {
			t.Fatalf("a SEV4 incident outside the block's severities paged %d times", n)
		}
		*w.clock = w.clock.Add(31 * time.Minute)
		if err := esc.Tick(ctx); err != nil {
			t.Fatal(err)
		}
		var sawFran bool
		for _, dl := range deliveries(i.ID) {
			sawFran = sawFran || dl.Target == w.fran
		}
		if !sawFran {
			t.Fatal("not escalated to the forensics analyst after 30 minutes")
		}
		tl, _ := w.incidents.Timeline(w.ic, i.Ref, incident.TimelineFilter{Kinds: []string{string(notify.PageStarted), string(notify.PageEscalated)}})
		if len(tl.Items) != 2 || !strings.Contains(tl.Items[0].Text, "Ida (incident_commander)") {
			t.Fatalf("page events on the timeline: %+v", tl.Items)
		}
		closed := incident.Closed
		if _, err := w.incidents.Update(w.ic, i.Ref, incident.Patch{Status: &closed}, 0); err != nil {
			t.Fatal(err)
		}
		before := len(deliveries(i.ID))
		*w.clock = w.clock.Add(2 * time.Hour)
		if err := esc.Tick(ctx); err != nil {
			t.Fatal(err)
		}
		if after := len(deliveries(i.ID)); after != before {
			t.Fatalf("a closed incident kept paging: %d -> %d messages", before, after)
		}
	})
}
