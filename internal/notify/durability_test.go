package notify_test

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/warroom/warroom/internal/db"
	"github.com/warroom/warroom/internal/db/dbtest"
	"github.com/warroom/warroom/internal/notify"
)

// openDB opens and migrates the database cfg names, as a server start does.
func openDB(t testing.TB, cfg db.Config) *db.DB {
	t.Helper()
	d, err := db.Open(context.Background(), cfg, discard())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { d.Close() })
	if _, _, err := d.Migrate(context.Background()); err != nil {
		t.Fatal(err)
	}
	return d
}

func TestEnqueueRolledBackLeavesNoMessage(t *testing.T) {
	dbtest.ForEachDialect(t, func(t *testing.T, d *db.DB) {
		w := newWorld(t, d, t0)
		ctx := context.Background()
		boom := errors.New("the change failed")
		err := d.Write(ctx, func(tx *db.Tx) error {
			if _, err := notify.Enqueue(ctx, tx, t0, notify.Message{OrgID: w.orgID, Channel: notify.ChannelEmail, Target: "rita@acme.test"}); err != nil {
				return err
			}
			return boom
		})
		if !errors.Is(err, boom) {
			t.Fatal(err)
		}
		if got := w.deliveries(t, notify.DeliveryFilter{}); len(got) != 0 {
			t.Fatalf("%d messages after a rollback", len(got))
		}
		srv := startSMTP(t, nil)
		m, _ := notify.NewSMTP(notify.SMTPConfig{Host: srv.host, Port: srv.port, TLS: notify.TLSNone, From: "warroom@acme.test"})
		if n, f := runOnce(t, w.worker(m)); n+f != 0 || len(srv.received()) != 0 {
			t.Fatal("a rolled-back message was sent")
		}
	})
}

func TestRestartBetweenAttemptsLosesNothing(t *testing.T) {
	for name, cfg := range dbtest.Dialects(t) {
		t.Run(name, func(t *testing.T) {
			first := openDB(t, cfg)
			w := newWorld(t, first, t0)
			rc := newReceiver(t)
			rc.now = w.clock.Now
			hook := w.webhook(t, rc.srv.URL, notify.FormatGeneric)
			rc.setSecret(hook.Secret)
			rc.setFail(1)
			id := w.enqueue(t, notify.Message{Channel: notify.ChannelWebhook, Target: hook.ID})
			if _, f := runOnce(t, w.worker(nil)); f != 1 {
				t.Fatal("the first attempt did not fail")
			}
			// The process stops: worker and connections gone.
			if err := first.Close(); err != nil {
				t.Fatal(err)
			}

			w.db = openDB(t, cfg)
			w.clock.Advance(time.Minute)
			wk := w.worker(nil)
			if n, _ := runOnce(t, wk); n != 1 {
				t.Fatalf("after the restart the message was not delivered: %+v", w.delivery(t, id))
			}
			runOnce(t, wk)
			if requests, accepted := rc.counts(id); requests != 2 || accepted != 1 {
				t.Errorf("receiver saw %d requests, accepted %d; want 2 and 1", requests, accepted)
			}

			// A worker that died while delivering leaves its lease: the
			// message waits for the lease to expire, then goes out once.
			id2 := w.enqueue(t, notify.Message{Channel: notify.ChannelWebhook, Target: hook.ID})
			w.write(t, func(tx *db.Tx) error {
				_, err := tx.ExecContext(context.Background(), `UPDATE outbox SET locked_until = $1, locked_by = 'dead-worker', attempts = 1 WHERE id = $2`,
					db.Time(w.clock.Now().Add(10*time.Minute)), id2)
				return err
			})
			if n, f := runOnce(t, wk); n+f != 0 {
				t.Fatal("a leased message was taken before its lease expired")
			}
			w.clock.Advance(10 * time.Minute)
			if n, _ := runOnce(t, wk); n != 1 {
				t.Fatal("the message of a dead worker was not delivered after its lease")
			}
			if _, accepted := rc.counts(id2); accepted != 1 || w.delivery(t, id2).Attempts != 2 {
				t.Errorf("accepted %d, attempts %d", accepted, w.delivery(t, id2).Attempts)
			}
		})
	}
}

// TestReplicasDeliverEachMessageOnce runs two workers with their own
// connections (two server replicas) on one database at the same time.
func TestReplicasDeliverEachMessageOnce(t *testing.T) {
	for name, cfg := range dbtest.Dialects(t) {
		t.Run(name, func(t *testing.T) {
			one, two := openDB(t, cfg), openDB(t, cfg)
			w := newWorld(t, one, realNow())
			rc := newReceiver(t)
			hook := w.webhook(t, rc.srv.URL, notify.FormatGeneric)
			rc.setSecret(hook.Secret)
			const n = 40
			ids := make([]string, n)
			for i := range ids {
				ids[i] = w.enqueue(t, notify.Message{Channel: notify.ChannelWebhook, Target: hook.ID, Subject: fmt.Sprint("message ", i)})
			}
			var wg sync.WaitGroup
			var mu sync.Mutex
			total := 0
			for _, d := range []*db.DB{one, two} {
				wk := &notify.Worker{DB: d, Now: w.clock.Now, Log: discard(), Batch: 3}
				wg.Add(1)
				go func() {
					defer wg.Done()
					deadline := time.Now().Add(20 * time.Second)
					for time.Now().Before(deadline) {
						got, _, err := wk.RunOnce(context.Background())
						if err != nil {
							t.Error(err)
							return
						}
						mu.Lock()
						total += got
						done := total >= n
						mu.Unlock()
						if done {
							return
						}
					}
				}()
			}
			wg.Wait()
			if total != n {
				t.Fatalf("workers report %d deliveries, want %d", total, n)
			}
			requests, _ := rc.counts("")
			for _, id := range ids {
				if _, accepted := rc.counts(id); accepted != 1 {
					t.Errorf("message %s accepted %d times", id, accepted)
				}
			}
			if requests != n {
				t.Errorf("receiver saw %d requests for %d messages", requests, n)
			}
		})
	}
}
