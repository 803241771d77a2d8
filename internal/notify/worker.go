package notify

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"sync"
	"time"

	"github.com/warroom/warroom/internal/db"
	"github.com/warroom/warroom/internal/errs"
)

// Worker delivers the outbox. Run one per server process; on PostgreSQL
// several replicas may each run one.
type Worker struct {
	DB     *db.DB
	Now    func() time.Time
	Mailer Mailer       // nil: email messages fail with "email is not configured" and are retried
	HTTP   *http.Client // nil: NewHTTPClient()
	Log    *slog.Logger
	Batch  int // messages claimed per round; default 20
	// AckBase is the server's public URL, e.g. https://warroom.example.com;
	// messages of a page carry AckURL(AckBase, token). Empty: no links.
	AckBase string
	// DeliveryTimeout bounds one delivery; default 30s. The lease on a
	// batch is Batch × DeliveryTimeout plus a margin for clock skew.
	DeliveryTimeout time.Duration

	once   sync.Once
	client *http.Client
	kick   chan struct{}
}

func (w *Worker) batch() int {
	if w.Batch <= 0 {
		return 20
	}
	return w.Batch
}

func (w *Worker) timeout() time.Duration {
	if w.DeliveryTimeout <= 0 {
		return 30 * time.Second
	}
	return w.DeliveryTimeout
}

func (w *Worker) lease() time.Duration {
	return time.Duration(w.batch())*w.timeout() + 2*time.Minute
}

func (w *Worker) init() {
	w.once.Do(func() {
		w.client = w.HTTP
		if w.client == nil {
			w.client = NewHTTPClient()
		}
		w.kick = make(chan struct{}, 1)
	})
}

func (w *Worker) now() time.Time {
	if w.Now == nil {
		return time.Now()
	}
	return w.Now()
}

func (w *Worker) log() *slog.Logger {
	if w.Log == nil {
		return slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	return w.Log // cmd/warroom names the component
}

// RunOnce claims the messages that are due, delivers them and records each
// outcome. It returns how many were delivered and how many attempts failed
// (whether they will be retried or have now failed for good).
func (w *Worker) RunOnce(ctx context.Context) (delivered, failed int, err error) {
	w.init()
	batch, err := w.claim(ctx, w.now())
	if err != nil {
		return 0, 0, err
	}
	var errsOut []error
	for _, d := range batch {
		dctx, cancel := context.WithTimeout(ctx, w.timeout())
		at := w.now()
		derr := w.deliver(dctx, d, at)
		cancel()
		o := outcome{status: Delivered}
		if derr != nil {
			o = nextStep(derr, d.ID, d.Attempts, d.MaxAttempts, at)
			failed++
		} else {
			delivered++
		}
		msg := ""
		if derr != nil {
			msg = derr.Error()
		}
		// Record with a context of its own: a delivery that happened must
		// be recorded even if ctx was cancelled meanwhile (shutdown).
		rctx, rcancel := context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
		if err := w.finish(rctx, d, o, msg, w.now()); err != nil {
			errsOut = append(errsOut, err)
		}
		rcancel()
		// Ids, channel and outcome only: never targets' secrets or bodies.
		log := w.log().With("delivery_id", d.ID, "channel", string(d.Channel), "attempt", d.Attempts)
		switch {
		case derr == nil:
			log.Debug("notification delivered")
		case o.status == Pending:
			log.Info("notification delivery failed; will retry", "err", derr, "next_attempt_at", o.next)
		default:
			log.Warn("notification not delivered", "status", string(o.status), "err", derr)
		}
	}
	return delivered, failed, errors.Join(errsOut...)
}

// deliver sends one message.
func (w *Worker) deliver(ctx context.Context, d claimed, at time.Time) error {
	switch d.Channel {
	case ChannelEmail:
		if w.Mailer == nil {
			return errors.New("email is not configured on this server")
		}
		return w.Mailer.Send(ctx, Mail{ID: d.ID, To: d.Target, Subject: d.Subject, Text: emailText(d), Date: at})
	case ChannelWebhook:
		var hook Webhook
		err := w.DB.Read(ctx, func(tx *db.Tx) error {
			var err error
			hook, err = GetWebhook(ctx, tx, d.OrgID, d.Target)
			return err
		})
		switch {
		case errs.CodeOf(err) == errs.NotFound:
			return &cancelError{errors.New("the webhook was removed")}
		case err != nil:
			return err
		case !hook.Enabled:
			return &cancelError{errors.New("the webhook is disabled")}
		}
		// The format is the webhook's now, not when the message was
		// queued: an admin who fixes a wrong format fixes pending messages.
		d.Format = hook.Format
		return post(ctx, w.client, hook, d, at)
	}
	return permanent(fmt.Errorf("unknown channel %q", d.Channel))
}

// Kick asks a running Run to deliver now rather than at its next tick;
// call it after committing a transaction that enqueued messages. It never
// blocks.
func (w *Worker) Kick() {
	w.init()
	select {
	case w.kick <- struct{}{}:
	default:
	}
}

// Run delivers every interval (and when kicked) until ctx ends. A full
// batch is followed at once by another, so a backlog drains quickly.
func (w *Worker) Run(ctx context.Context, every time.Duration) {
	w.init()
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		for {
			n, f, err := w.RunOnce(ctx)
			if err != nil && ctx.Err() == nil {
				w.log().Error("deliver notifications", "err", err)
			}
			if err != nil || n+f < w.batch() || ctx.Err() != nil {
				break
			}
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		case <-w.kick:
		}
	}
}

// Retry puts a failed message back in the queue (the UI's Retry button)
// and kicks the worker.
func (w *Worker) Retry(ctx context.Context, orgID, id string) error {
	err := w.DB.Write(ctx, func(tx *db.Tx) error { return Retry(ctx, tx, w.now(), orgID, id) })
	if err == nil {
		w.Kick()
	}
	return err
}
