package notify_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/warroom/warroom/internal/db"
	"github.com/warroom/warroom/internal/db/dbtest"
	"github.com/warroom/warroom/internal/errs"
	"github.com/warroom/warroom/internal/notify"
)

// hookedWorld is a world with a generic webhook whose receiver runs on the
// world's clock, so retries can be driven without sleeping.
func hookedWorld(t *testing.T, d *db.DB) (*world, *receiver, notify.Webhook) {
	t.Helper()
	w := newWorld(t, d, t0)
	rc := newReceiver(t)
	rc.now = w.clock.Now
	hook := w.webhook(t, rc.srv.URL, notify.FormatGeneric)
	rc.setSecret(hook.Secret)
	return w, rc, hook
}

func TestFailsThreeTimesThenDeliveredOnce(t *testing.T) {
	dbtest.ForEachDialect(t, func(t *testing.T, d *db.DB) {
		w, rc, hook := hookedWorld(t, d)
		rc.setFail(3)
		id := w.enqueue(t, notify.Message{Channel: notify.ChannelWebhook, Target: hook.ID})
		wk := w.worker(nil)
		for i, base := range []time.Duration{30 * time.Second, time.Minute, 2 * time.Minute} {
			if n, f := runOnce(t, wk); n != 0 || f != 1 {
				t.Fatalf("attempt %d: delivered %d, failed %d; want a failure", i+1, n, f)
			}
			dl := w.delivery(t, id)
			if dl.Status != notify.Pending || dl.Attempts != i+1 || !strings.Contains(dl.LastError, "500") {
				t.Fatalf("after attempt %d: %s, %d attempts, %q", i+1, dl.Status, dl.Attempts, dl.LastError)
			}
			wait := dl.NextAttemptAt.Sub(w.clock.Now())
			if wait < base || wait >= base+base/10 || wait != notify.Backoff(id, i+1).Truncate(time.Microsecond) {
				t.Errorf("after attempt %d the next is in %s; want %s plus under 10%% jitter", i+1, wait, base)
			}
			// Not a moment early.
			w.clock.Set(dl.NextAttemptAt.Add(-time.Second))
			if n, f := runOnce(t, wk); n+f != 0 {
				t.Fatalf("attempt %d came early", i+2)
			}
			w.clock.Set(dl.NextAttemptAt)
		}
		if n, f := runOnce(t, wk); n != 1 || f != 0 {
			t.Fatalf("fourth attempt: delivered %d, failed %d", n, f)
		}
		dl := w.delivery(t, id)
		if dl.Status != notify.Delivered || dl.Attempts != 4 || dl.LastError != "" {
			t.Errorf("delivery %s after %d attempts (%q); want delivered after 4", dl.Status, dl.Attempts, dl.LastError)
		}
		w.clock.Advance(24 * time.Hour)
		runOnce(t, wk)
		if requests, accepted := rc.counts(id); requests != 4 || accepted != 1 {
			t.Errorf("receiver saw %d requests, accepted %d; want 4 and exactly 1", requests, accepted)
		}
	})
}

func TestGivesUpAfterMaxAttemptsAndRetryRequeues(t *testing.T) {
	dbtest.ForEachDialect(t, func(t *testing.T, d *db.DB) {
		w, rc, hook := hookedWorld(t, d)
		rc.setFail(1000)
		id := w.enqueue(t, notify.Message{Channel: notify.ChannelWebhook, Target: hook.ID, MaxAttempts: 3})
		wk := w.worker(nil)
		for range 10 {
			runOnce(t, wk)
			w.clock.Advance(time.Hour)
		}
		dl := w.delivery(t, id)
		if dl.Status != notify.Failed || dl.Attempts != 3 || !strings.Contains(dl.LastError, "500") {
			t.Fatalf("delivery %s after %d attempts (%q); want failed after 3", dl.Status, dl.Attempts, dl.LastError)
		}
		if requests, _ := rc.counts(id); requests != 3 {
			t.Errorf("receiver saw %d requests, want 3", requests)
		}
		failed := w.deliveries(t, notify.DeliveryFilter{Status: notify.Failed})
		if len(failed) != 1 || failed[0].ID != id {
			t.Errorf("failed deliveries listed: %v", failed)
		}

		ctx := context.Background()
		if err := wk.Retry(ctx, "another-org", id); errs.CodeOf(err) != errs.NotFound {
			t.Errorf("Retry from another organisation: %v, want not found", err)
		}
		rc.setFail(0)
		if err := wk.Retry(ctx, w.orgID, id); err != nil {
			t.Fatal(err)
		}
		if dl := w.delivery(t, id); dl.Status != notify.Pending || dl.Attempts != 0 || !dl.NextAttemptAt.Equal(w.clock.Now()) {
			t.Errorf("after Retry: %s, %d attempts, due %s", dl.Status, dl.Attempts, dl.NextAttemptAt)
		}
		if n, _ := runOnce(t, wk); n != 1 {
			t.Fatal("a retried message was not delivered")
		}
		if err := wk.Retry(ctx, w.orgID, id); errs.CodeOf(err) != errs.Conflict {
			t.Errorf("Retry of a delivered message: %v, want conflict", err)
		}
		if _, accepted := rc.counts(id); accepted != 1 {
			t.Errorf("accepted %d times", accepted)
		}
	})
}

func TestDefaultsAndValidation(t *testing.T) {
	dbtest.ForEachDialect(t, func(t *testing.T, d *db.DB) {
		w := newWorld(t, d, t0)
		id := w.enqueue(t, notify.Message{Channel: notify.ChannelEmail, Target: "rita@acme.test", Text: strings.Repeat("x", 9000)})
		dl := w.delivery(t, id)
		if dl.MaxAttempts != 8 || dl.Status != notify.Pending || !dl.NextAttemptAt.Equal(t0) {
			t.Errorf("defaults: %+v", dl)
		}
		if n := len([]rune(dl.Body)); n != 8000 {
			t.Errorf("body of %d characters; want it cut to 8000", n)
		}
		ctx := context.Background()
		for name, m := range map[string]notify.Message{
			"BadAddress":        {OrgID: w.orgID, Channel: notify.ChannelEmail, Target: "Rita <rita@acme.test>"},
			"UnknownChannel":    {OrgID: w.orgID, Channel: "pigeon", Target: "x"},
			"OtherOrgsWebhook":  {OrgID: "another-org", Channel: notify.ChannelWebhook, Target: "x"},
			"NoSuchWebhookHere": {OrgID: w.orgID, Channel: notify.ChannelWebhook, Target: "nope"},
		} {
			err := d.Write(ctx, func(tx *db.Tx) error { _, err := notify.Enqueue(ctx, tx, t0, m); return err })
			if c := errs.CodeOf(err); c != errs.Invalid && c != errs.NotFound {
				t.Errorf("%s: %v; want invalid or not found", name, err)
			}
		}
	})
}
