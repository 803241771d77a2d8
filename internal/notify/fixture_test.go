package notify_test

import (
	"context"
	"io"
	"log/slog"
	"sync"
	"testing"
	"time"

	"github.com/warroom/warroom/internal/actor"
	"github.com/warroom/warroom/internal/db"
	"github.com/warroom/warroom/internal/incident"
	"github.com/warroom/warroom/internal/notify"
	"github.com/warroom/warroom/internal/org"
)

// world is an organisation with one incident on a fresh database, and a
// clock the test moves by hand.
type world struct {
	db       *db.DB
	clock    *clock
	log      *slog.Logger
	orgID    string
	incident incident.Incident
}

type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *clock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

func (c *clock) Set(t time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = t
}

var t0 = time.Date(2026, 11, 26, 9, 0, 0, 0, time.UTC)

func discard() *slog.Logger { return slog.New(slog.NewTextHandler(io.Discard, nil)) }

// newWorld bootstraps an organisation and declares an incident through
// the services, so the rows notify refers to are real.
func newWorld(t testing.TB, d *db.DB, start time.Time) *world {
	t.Helper()
	ctx := context.Background()
	c := &clock{t: start}
	orgs := &org.Service{DB: d, Now: c.Now, Log: discard()}
	boot, err := orgs.Bootstrap(ctx, org.BootstrapInput{OrgName: "Acme Corp", Email: "ada@acme.test", Name: "Ada Admin", Password: "correct horse battery"})
	if err != nil {
		t.Fatal(err)
	}
	admin := actor.With(ctx, &actor.Actor{UserID: boot.Admin.ID, OrgID: boot.Org.ID, Email: boot.Admin.Email, Name: boot.Admin.Name, Role: actor.Admin})
	incidents := &incident.Service{DB: d, Now: c.Now, Log: discard()}
	inc, err := incidents.Declare(admin, incident.DeclareInput{Title: "Ransomware on file servers", Type: "ransomware", Severity: "SEV1", Plan: "none"})
	if err != nil {
		t.Fatal(err)
	}
	return &world{db: d, clock: c, log: discard(), orgID: boot.Org.ID, incident: inc}
}

func (w *world) info() notify.IncidentInfo {
	return notify.IncidentInfo{Ref: w.incident.Ref, Title: w.incident.Title, Severity: string(w.incident.Severity),
		Link: "https://warroom.test/incidents/" + w.incident.Ref}
}

func (w *world) write(t testing.TB, fn func(tx *db.Tx) error) {
	t.Helper()
	if err := w.db.Write(context.Background(), fn); err != nil {
		t.Fatal(err)
	}
}

// enqueue commits one message about the world's incident and returns its ID.
func (w *world) enqueue(t testing.TB, m notify.Message) string {
	t.Helper()
	if m.OrgID == "" {
		m.OrgID = w.orgID
	}
	if m.IncidentID == "" {
		m.IncidentID = w.incident.ID
		m.Incident = w.info()
		m.Link = w.info().Link
	}
	if m.Subject == "" {
		m.Subject = "Ransomware on file servers"
	}
	if m.Text == "" {
		m.Text = "Something happened."
	}
	var id string
	w.write(t, func(tx *db.Tx) error {
		var err error
		id, err = notify.Enqueue(context.Background(), tx, w.clock.Now(), m)
		return err
	})
	return id
}

// webhook adds a webhook of the world's organisation.
func (w *world) webhook(t testing.TB, url string, format notify.Format) notify.Webhook {
	t.Helper()
	var h notify.Webhook
	w.write(t, func(tx *db.Tx) error {
		var err error
		h, err = notify.CreateWebhook(context.Background(), tx, w.clock.Now(), notify.NewWebhook{OrgID: w.orgID, Name: string(format) + " " + url, URL: url, Format: format})
		return err
	})
	return h
}

func (w *world) delivery(t testing.TB, id string) notify.Delivery {
	t.Helper()
	var d notify.Delivery
	err := w.db.Read(context.Background(), func(tx *db.Tx) error {
		var err error
		d, err = notify.GetDelivery(context.Background(), tx, w.orgID, id)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return d
}

func (w *world) deliveries(t testing.TB, f notify.DeliveryFilter) []notify.Delivery {
	t.Helper()
	f.OrgID = w.orgID
	var out []notify.Delivery
	err := w.db.Read(context.Background(), func(tx *db.Tx) error {
		var err error
		out, err = notify.ListDeliveries(context.Background(), tx, f)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func (w *world) worker(m notify.Mailer) *notify.Worker {
	return &notify.Worker{DB: w.db, Now: w.clock.Now, Mailer: m, Log: w.log, AckBase: "https://warroom.test/", DeliveryTimeout: 5 * time.Second}
}

// runOnce runs one round of w and fails the test on an error.
func runOnce(t testing.TB, wk *notify.Worker) (delivered, failed int) {
	t.Helper()
	d, f, err := wk.RunOnce(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return d, f
}
