package obligation_test

import (
	"context"
	"io"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/warroom/warroom/internal/actor"
	"github.com/warroom/warroom/internal/db"
	"github.com/warroom/warroom/internal/db/dbtest"
	"github.com/warroom/warroom/internal/incident"
	"github.com/warroom/warroom/internal/notify"
	"github.com/warroom/warroom/internal/obligation"
)

// TestReminders: 50, 75, 90 and 100 per cent of the time, once each, the
// highest only when several were crossed at once, none after the
// notification is submitted; roster holders by email and webhooks, but no
// webhook for a restricted incident.
func TestReminders(t *testing.T) {
	dbtest.ForEachDialect(t, func(t *testing.T, d *db.DB) {
		w := newWorld(t, d)
		start := time.Date(2026, 3, 10, 12, 0, 0, 0, time.UTC) // 07:00 in Texas
		*w.now = start
		if _, err := w.incidents.Assign(w.ctx["admin"], w.a.Ref, incident.AssignInput{Role: "regulatory_compliance", User: "responder@acme.test"}); err != nil {
			t.Fatal(err)
		}
		f := obligation.Facts{Organisation: obligation.OrganisationFacts{Jurisdictions: []string{"US"}},
			Incident: obligation.IncidentFacts{Affected: []obligation.Affected{{Jurisdiction: "US-TX", Count: 300}}, DataTypes: []string{"ssn"},
				Events: map[string]string{"breach_determination": start.Format(time.RFC3339)}}}
		for _, ref := range []string{w.a.Ref, w.r.Ref} {
			if _, err := w.svc.PutFacts(w.ctx["admin"], ref, f, obligation.AnyVersion); err != nil {
				t.Fatal(err)
			}
		}
		var orgID string
		err := d.Write(context.Background(), func(tx *db.Tx) error {
			orgID = actor.From(w.ctx["admin"]).OrgID
			_, err := notify.CreateWebhook(context.Background(), tx, start, notify.NewWebhook{OrgID: orgID, Name: "legal chat", URL: "https://chat.example.com/h", Format: notify.FormatSlack})
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		rules, _ := obligation.Builtin()
		rem := &obligation.Reminders{DB: d, Now: w.clock, Log: slog.New(slog.NewTextHandler(io.Discard, nil)), Rules: rules, PublicURL: "https://warroom.example"}
		subjects := func() map[string]int {
			out := map[string]int{}
			_ = d.Read(context.Background(), func(tx *db.Tx) error {
				ds, err := notify.ListDeliveries(context.Background(), tx, notify.DeliveryFilter{OrgID: orgID})
				for _, x := range ds {
					if x.Event == "obligation_reminder" {
						out[x.Incident.Ref+" "+string(x.Channel)+" "+x.Subject]++
					}
				}
				return err
			})
			return out
		}
		tick := func(at time.Time, want int) {
			t.Helper()
			*w.now = at
			n, err := rem.Tick(context.Background())
			if err != nil || n != want {
				t.Fatalf("tick at %s: %d messages (%v), want %d; outbox %v", at, n, err, want, subjects())
			}
		}
		// Texas AG: 30 days from 10 March, due end of 9 April (Chicago),
		// 2026-04-10T04:59:59Z; individuals 60 days.
		due := time.Date(2026, 4, 10, 4, 59, 59, 0, time.UTC)
		span := due.Sub(start)
		at := func(pct float64) time.Time { return start.Add(time.Duration(float64(span) * pct / 100)) }
		tick(at(40), 0)
		// 50%: incident A's commander (admin) and regulatory_compliance
		// (responder) by email plus the webhook; restricted R: its
		// commander only, no webhook.
		tick(at(50.1), 4)
		tick(at(50.2), 0)
		// 75% and 90% crossed while the server was down: one reminder (90%).
		tick(at(91), 4)
		got := subjects()
		for k := range got {
			if strings.HasPrefix(k, w.r.Ref+" webhook") {
				t.Errorf("a restricted incident reached a shared channel: %s", k)
			}
		}
		// Submitted on A: no 100% reminder for it; R still gets one. The
		// Texas individuals' 60 days pass 50% at the same time on both.
		sub := *w.now
		if _, err := w.svc.SetStatus(w.ctx["responder"], w.a.Ref, "us-tx-521-053-attorney-general", obligation.StatusInput{Status: obligation.Submitted, SubmittedAt: &sub}, 0); err != nil {
			t.Fatal(err)
		}
		tick(due.Add(time.Minute), 5)
		tick(due.Add(2*time.Minute), 0)
		// A closed incident is not reminded: at 75% only R is.
		a, err := w.incidents.Get(w.ctx["admin"], w.a.Ref)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := w.incidents.Close(w.ctx["admin"], w.a.Ref, "done", a.Version); err != nil {
			t.Fatal(err)
		}
		countA := func() int {
			n := 0
			for k, c := range subjects() {
				if strings.HasPrefix(k, w.a.Ref+" ") {
					n += c
				}
			}
			return n
		}
		before := countA()
		indDue := time.Date(2026, 5, 10, 4, 59, 59, 0, time.UTC)
		tick(start.Add(time.Duration(float64(indDue.Sub(start))*0.76)), 1)
		if after := countA(); after != before {
			t.Errorf("closed incident reminded: %d messages, was %d", after, before)
		}
	})
}
