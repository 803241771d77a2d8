package notify_test

import (
	"context"
	"errors"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/warroom/warroom/internal/db"
	"github.com/warroom/warroom/internal/db/dbtest"
	"github.com/warroom/warroom/internal/errs"
	"github.com/warroom/warroom/internal/notify"
)

// levelResolver answers with fixed recipients per level, standing in for
// the roster, the contact directory and the organisation's webhooks.
type levelResolver struct {
	info   notify.IncidentInfo
	levels map[int][]notify.Recipient
}

func (r *levelResolver) Describe(context.Context, *db.Tx, notify.Page) (notify.IncidentInfo, error) {
	return r.info, nil
}

func (r *levelResolver) Recipients(_ context.Context, _ *db.Tx, _ notify.Page, level int) ([]notify.Recipient, error) {
	return r.levels[level], nil
}

// eventLog records what OnEvent was told, one line per event.
type eventLog struct {
	mu     sync.Mutex
	events []string
	fail   error
}

func (l *eventLog) record(_ context.Context, _ *db.Tx, e notify.Event) error {
	if l.fail != nil {
		return l.fail
	}
	var names []string
	for _, r := range e.Recipients {
		names = append(names, r.Name)
	}
	line := string(e.Kind) + " " + e.At.Sub(t0).String() + " level " + string(rune('0'+e.Level)) + ": " + strings.Join(names, ", ")
	if e.By != "" {
		line += "by " + e.By
	}
	l.mu.Lock()
	l.events = append(l.events, line)
	l.mu.Unlock()
	return nil
}

func (l *eventLog) take() []string {
	l.mu.Lock()
	defer l.mu.Unlock()
	out := l.events
	l.events = nil
	return out
}

var twoLevels = notify.Spec{
	Channels:      []string{"email", "webhook"},
	RenotifyEvery: notify.Duration(15 * time.Minute),
	Levels: []notify.Level{
		{After: 0, Roles: []string{"incident_commander"}},
		{After: notify.Duration(30 * time.Minute), Roles: []string{"incident_commander"}, Contacts: []string{"ciso-mobile"}},
	},
}

func TestEscalation(t *testing.T) {
	dbtest.ForEachDialect(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		w, rc, hook := hookedWorld(t, d)
		srv := startSMTP(t, nil)
		mailer, _ := notify.NewSMTP(notify.SMTPConfig{Host: srv.host, Port: srv.port, TLS: notify.TLSNone, From: "warroom@acme.test"})
		ada := notify.Recipient{Channel: notify.ChannelEmail, Target: "ada@acme.test", Name: "Ada Admin (incident_commander)"}
		cleo := notify.Recipient{Channel: notify.ChannelEmail, Target: "cleo@acme.test", Name: "Cleo CISO (ciso-mobile)"}
		room := notify.Recipient{Channel: notify.ChannelWebhook, Format: notify.FormatGeneric, Target: hook.ID, Name: "War room channel"}
		sms := notify.Recipient{Channel: "sms", Target: "+15550100", Name: "not a channel of this page"}
		events := &eventLog{}
		esc := &notify.Escalator{DB: d, Now: w.clock.Now, Log: discard(), OnEvent: events.record, Resolve: &levelResolver{
			info:   w.info(),
			levels: map[int][]notify.Recipient{0: {ada, room, sms}, 1: {ada, cleo}},
		}}
		wk := w.worker(mailer)
		page, pageToken := startPage(t, w, "plan:ransomware:v1:0", twoLevels)

		// at moves the clock, ticks, delivers, and returns the events.
		at := func(d time.Duration) []string {
			t.Helper()
			w.clock.Set(t0.Add(d))
			if err := esc.Tick(ctx); err != nil {
				t.Fatal(err)
			}
			runOnce(t, wk)
			return events.take()
		}
		inbox := func() map[string][]parsedMail {
			out := map[string][]parsedMail{}
			for _, m := range srv.received() {
				out[m.to[0]] = append(out[m.to[0]], parseMail(t, m.data))
			}
			return out
		}
		steps := []struct {
			at   time.Duration
			want []string
		}{
			{0, []string{"page_started 0s level 0: Ada Admin (incident_commander), War room channel"}},
			{0, nil},
			{15*time.Minute - time.Second, nil},
			{15 * time.Minute, []string{"page_renotified 15m0s level 0: Ada Admin (incident_commander), War room channel"}},
			{30 * time.Minute, []string{
				"page_escalated 30m0s level 1: Cleo CISO (ciso-mobile)",
				"page_renotified 30m0s level 0: Ada Admin (incident_commander), War room channel"}},
			{40 * time.Minute, nil},
			{45 * time.Minute, []string{"page_renotified 45m0s level 1: Ada Admin (incident_commander), War room channel, Cleo CISO (ciso-mobile)"}},
		}
		for _, s := range steps {
			if diff := cmp.Diff(s.want, at(s.at)); diff != "" {
				t.Fatalf("at +%s (-want +got):\n%s", s.at, diff)
			}
		}
		mail := inbox()
		if len(mail["ada@acme.test"]) != 4 || len(mail["cleo@acme.test"]) != 2 {
			t.Fatalf("ada got %d emails, cleo %d; want 4 and 2", len(mail["ada@acme.test"]), len(mail["cleo@acme.test"]))
		}
		if requests, _ := rc.counts(""); requests != 4 {
			t.Errorf("the war room webhook got %d deliveries, want 4", requests)
		}
		first := mail["cleo@acme.test"][0]
		if s := first.get("Subject"); s != "[SEV1] "+w.incident.Ref+" — escalated to you: Ransomware on file servers" {
			t.Errorf("escalation subject %q", s)
		}
		if !strings.Contains(first.body, "for 30m, so it is escalated to you (level 2 of 2)") {
			t.Errorf("escalation text:\n%s", first.body)
		}

		// The 50-minute reminders are queued but not yet delivered when Cleo
		// acknowledges from the link in her first email.
		w.clock.Set(t0.Add(60 * time.Minute))
		if err := esc.Tick(ctx); err != nil {
			t.Fatal(err)
		}
		events.take()
		p, err := esc.Acknowledge(ctx, ackToken(t, first.body), "")
		if err != nil {
			t.Fatal(err)
		}
		if p.AcknowledgedBy != "Cleo CISO (ciso-mobile)" || !p.AcknowledgedAt.Equal(t0.Add(60*time.Minute)) || p.NextAt != nil {
			t.Errorf("acknowledged page %+v", p)
		}
		if ta, ok := p.TimeToAcknowledge(); !ok || ta != time.Hour {
			t.Errorf("time to acknowledge %s", ta)
		}
		if diff := cmp.Diff([]string{"page_acknowledged 1h0m0s level 1: by Cleo CISO (ciso-mobile)"}, events.take()); diff != "" {
			t.Errorf("events: %s", diff)
		}
		cancelled := w.deliveries(t, notify.DeliveryFilter{PageID: page.ID, Status: notify.Cancelled})
		if len(cancelled) != 3 || cancelled[0].LastError != "the page was acknowledged" {
			t.Errorf("%d queued reminders cancelled, want 3", len(cancelled))
		}

		// A second acknowledgement changes nothing and reports nothing.
		w.clock.Advance(time.Minute)
		again, err := esc.Acknowledge(ctx, pageToken, "Ada Admin")
		if err != nil {
			t.Fatal(err)
		}
		if again.AcknowledgedBy != p.AcknowledgedBy || !again.AcknowledgedAt.Equal(*p.AcknowledgedAt) || len(events.take()) != 0 {
			t.Errorf("second acknowledgement changed the page: %+v", again)
		}
		if _, err := esc.Acknowledge(ctx, "wrack_nonsense", "x"); errs.CodeOf(err) != errs.NotFound {
			t.Errorf("unknown token: %v, want not found", err)
		}

		// Nothing more is ever sent.
		for _, later := range []time.Duration{75 * time.Minute, 3 * time.Hour, 48 * time.Hour} {
			if got := at(later); len(got) != 0 {
				t.Errorf("at +%s after acknowledgement: %v", later, got)
			}
		}
		if m := inbox(); len(m["ada@acme.test"]) != 4 || len(m["cleo@acme.test"]) != 2 {
			t.Error("email was sent after the acknowledgement")
		}
	})
}

func TestEscalationEventErrorRollsBack(t *testing.T) {
	dbtest.ForEachDialect(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		w := newWorld(t, d, t0)
		events := &eventLog{fail: errors.New("timeline unavailable")}
		ada := notify.Recipient{Channel: notify.ChannelEmail, Target: "ada@acme.test", Name: "Ada"}
		esc := &notify.Escalator{DB: d, Now: w.clock.Now, OnEvent: events.record,
			Resolve: &levelResolver{info: w.info(), levels: map[int][]notify.Recipient{0: {ada}}}}
		page, _ := startPage(t, w, "test:rollback", oneLevel)
		if err := esc.Tick(ctx); err == nil {
			t.Fatal("Tick hid the OnEvent error")
		}
		if got := w.deliveries(t, notify.DeliveryFilter{}); len(got) != 0 {
			t.Fatalf("%d messages enqueued by a rolled-back step", len(got))
		}
		events.fail = nil
		if err := esc.Tick(ctx); err != nil {
			t.Fatal(err)
		}
		if got := w.deliveries(t, notify.DeliveryFilter{PageID: page.ID}); len(got) != 1 || got[0].Event != "page_started" {
			t.Fatalf("after the retry: %+v", got)
		}
	})
}

func TestPageSourceConflictAndStop(t *testing.T) {
	dbtest.ForEachDialect(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		w := newWorld(t, d, t0)
		ada := notify.Recipient{Channel: notify.ChannelEmail, Target: "ada@acme.test", Name: "Ada"}
		esc := &notify.Escalator{DB: d, Now: w.clock.Now,
			Resolve: &levelResolver{info: w.info(), levels: map[int][]notify.Recipient{0: {ada}, 1: {ada}}}}
		w.write(t, func(tx *db.Tx) error {
			in := notify.Page{OrgID: w.orgID, IncidentID: w.incident.ID, Source: "plan:x:v1:0", Spec: twoLevels, StartedAt: t0}
			if _, _, err := notify.NewPage(ctx, tx, in); err != nil {
				return err
			}
			if _, _, err := notify.NewPage(ctx, tx, in); errs.CodeOf(err) != errs.Conflict {
				t.Errorf("the same source twice: %v, want conflict", err)
			}
			// The conflict left the transaction usable (PostgreSQL aborts a
			// transaction on a failed statement).
			in.Source = "plan:x:v1:1"
			_, _, err := notify.NewPage(ctx, tx, in)
			return err
		})
		if err := esc.Tick(ctx); err != nil {
			t.Fatal(err)
		}
		var stopped int
		w.write(t, func(tx *db.Tx) error {
			var err error
			stopped, err = notify.Stop(ctx, tx, w.clock.Now(), w.orgID, w.incident.ID)
			return err
		})
		if stopped != 2 {
			t.Errorf("stopped %d pages, want 2", stopped)
		}
		if got := w.deliveries(t, notify.DeliveryFilter{Status: notify.Cancelled}); len(got) != 2 {
			t.Errorf("%d queued messages cancelled, want 2", len(got))
		}
		w.clock.Advance(2 * time.Hour)
		if err := esc.Tick(ctx); err != nil {
			t.Fatal(err)
		}
		if got := w.deliveries(t, notify.DeliveryFilter{Status: notify.Pending}); len(got) != 0 {
			t.Errorf("a stopped page sent %d more messages", len(got))
		}
	})
}
