package notify

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"time"

	"github.com/warroom/warroom/internal/db"
	"github.com/warroom/warroom/internal/errs"
)

// Recipient is one place a page's message goes.
type Recipient struct {
	Channel Channel `json:"channel"`
	Format  Format  `json:"format,omitempty"` // webhooks: the webhook's format
	Target  string  `json:"target"`           // email address or webhook ID
	Name    string  `json:"name"`             // for people: "Ada Lovelace (incident_commander)"
}

func (r Recipient) key() string { return string(r.Channel) + "\x00" + r.Target }

// Resolver tells the escalator what a page is about and who to reach. The
// server implements it from the incident (ref, title, severity, link), its
// roster (role → user email), the contact directory (contact key → work
// email) and the organisation's enabled webhooks.
type Resolver interface {
	Describe(ctx context.Context, tx *db.Tx, p Page) (IncidentInfo, error)
	// Recipients returns who is reached at level (an index into
	// p.Spec.Levels). Recipients on channels the spec does not list are
	// dropped, and duplicates across levels are sent one message.
	Recipients(ctx context.Context, tx *db.Tx, p Page, level int) ([]Recipient, error)
}

// EventKind is what happened to a page.
type EventKind string

// The page events reported to OnEvent.
const (
	PageStarted      EventKind = "page_started"      // level 0 paged
	PageEscalated    EventKind = "page_escalated"    // a further level paged
	PageRenotified   EventKind = "page_renotified"   // everyone paged so far reminded
	PageAcknowledged EventKind = "page_acknowledged" // someone took it; nothing more is sent
)

// Event is reported to Escalator.OnEvent inside the transaction that
// caused it, so a timeline entry written there commits with it.
type Event struct {
	Kind       EventKind
	Page       Page // as it is after the event
	Level      int
	Recipients []Recipient // who was notified (none for PageAcknowledged)
	At         time.Time
	By         string // PageAcknowledged: who acknowledged
}

// Escalator runs pages: Tick pages, escalates and re-notifies; Acknowledge
// stops a page.
type Escalator struct {
	DB      *db.DB
	Now     func() time.Time
	Resolve Resolver
	Log     *slog.Logger
	// OnEvent, when set, is called for every event; an error rolls the
	// event (and the messages it enqueued) back.
	OnEvent func(ctx context.Context, tx *db.Tx, e Event) error
}

func (e *Escalator) now() time.Time {
	if e.Now == nil {
		return time.Now()
	}
	return e.Now()
}

func (e *Escalator) log() *slog.Logger {
	if e.Log == nil {
		return slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	return e.Log // cmd/warroom names the component
}

func (e *Escalator) emit(ctx context.Context, tx *db.Tx, ev Event) error {
	if e.OnEvent == nil {
		return nil
	}
	return e.OnEvent(ctx, tx, ev)
}

// errRaced means another replica (or an acknowledgement) changed the page
// first; its transaction is rolled back and nothing is sent.
var errRaced = errors.New("page changed concurrently")

// Tick acts on every page that is due: one transaction per page, so one
// page's failure (a resolver error) does not hold back the others.
func (e *Escalator) Tick(ctx context.Context) error {
	now := db.Time(e.now())
	var ids []string
	err := e.DB.Read(ctx, func(tx *db.Tx) error {
		var err error
		ids, err = queryIDs(ctx, tx, `SELECT id FROM pages WHERE next_at IS NOT NULL AND next_at <= $1 ORDER BY next_at, id LIMIT 500`, now)
		return err
	})
	if err != nil {
		return fmt.Errorf("find due pages: %w", err)
	}
	var failed []error
	for _, id := range ids {
		err := e.DB.Write(ctx, func(tx *db.Tx) error { return e.step(ctx, tx, id, now) })
		if err != nil && !errors.Is(err, errRaced) {
			e.log().Error("escalate page", "page_id", id, "err", err)
			failed = append(failed, fmt.Errorf("page %s: %w", id, err))
		}
	}
	return errors.Join(failed...)
}

// Run ticks every interval until ctx ends.
func (e *Escalator) Run(ctx context.Context, every time.Duration) {
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		_ = e.Tick(ctx) // logged per page
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

// step does what is due for one page.
func (e *Escalator) step(ctx context.Context, tx *db.Tx, id string, now time.Time) error {
	p, err := loadPage(ctx, tx, id)
	if err != nil {
		return err
	}
	if p.NextAt == nil || p.NextAt.After(now) || p.AcknowledgedAt != nil || p.StoppedAt != nil {
		return nil
	}
	s := schedule(p, now)
	// Compare-and-set on next_at: a concurrent Tick on another replica or
	// an acknowledgement makes this update miss, and the whole step rolls
	// back. On PostgreSQL the update also locks the row for the rest of
	// the step.
	res, err := tx.ExecContext(ctx, `UPDATE pages SET level = $1, next_renotify_at = $2, next_at = $3
		WHERE id = $4 AND next_at = $5 AND acknowledged_at IS NULL AND stopped_at IS NULL`,
		s.level, db.NullTime(s.nextRenotify), db.NullTime(s.nextAt), p.ID, db.Time(*p.NextAt))
	if err != nil {
		return fmt.Errorf("update page: %w", err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return errRaced
	}
	before := p.Level
	p.Level, p.NextRenotifyAt, p.NextAt = s.level, s.nextRenotify, s.nextAt
	info, err := e.Resolve.Describe(ctx, tx, p)
	if err != nil {
		return fmt.Errorf("describe page: %w", err)
	}
	earlier := upTo(before)
	// Someone on an earlier level who is named again on a new one is
	// already paged: they get the reminder, not a second page.
	paged := map[string]bool{}
	if len(s.levels) > 0 && before >= 0 {
		rs, err := e.recipients(ctx, tx, p, earlier, nil)
		if err != nil {
			return err
		}
		for _, r := range rs {
			paged[r.key()] = true
		}
	}
	sent := map[string]bool{}
	for _, lv := range s.levels {
		kind := PageEscalated
		if lv == 0 {
			kind = PageStarted
		}
		if err := e.notify(ctx, tx, p, info, kind, []int{lv}, func(k string) bool { return sent[k] || paged[k] }, sent, now); err != nil {
			return err
		}
	}
	if s.renotify {
		return e.notify(ctx, tx, p, info, PageRenotified, earlier, func(k string) bool { return sent[k] }, sent, now)
	}
	return nil
}

// upTo returns the levels 0..n.
func upTo(n int) []int {
	levels := make([]int, max(n+1, 0))
	for i := range levels {
		levels[i] = i
	}
	return levels
}

// recipients resolves levels into the recipients the spec allows, each
// once, leaving out those skip names.
func (e *Escalator) recipients(ctx context.Context, tx *db.Tx, p Page, levels []int, skip func(string) bool) ([]Recipient, error) {
	var out []Recipient
	seen := map[string]bool{}
	for _, lv := range levels {
		rs, err := e.Resolve.Recipients(ctx, tx, p, lv)
		if err != nil {
			return nil, fmt.Errorf("resolve recipients of level %d: %w", lv, err)
		}
		for _, r := range rs {
			if k := r.key(); p.Spec.allows(r) && !seen[k] && (skip == nil || !skip(k)) {
				seen[k] = true
				out = append(out, r)
			}
		}
	}
	return out, nil
}

// notify enqueues kind's message to the recipients of levels that skip
// does not name, marks them in sent, and reports the event.
func (e *Escalator) notify(ctx context.Context, tx *db.Tx, p Page, info IncidentInfo, kind EventKind, levels []int,
	skip func(string) bool, sent map[string]bool, now time.Time) error {
	to, err := e.recipients(ctx, tx, p, levels, skip)
	if err != nil {
		return err
	}
	for _, r := range to {
		sent[r.key()] = true
	}
	level := levels[len(levels)-1]
	subject, text := compose(kind, p, info, level, now)
	reached := to[:0]
	for _, r := range to {
		_, err := Enqueue(ctx, tx, now, Message{OrgID: p.OrgID, IncidentID: p.IncidentID, PageID: p.ID, Event: string(kind),
			Channel: r.Channel, Format: r.Format, Target: r.Target, Recipient: r.Name, Incident: info,
			Subject: subject, Text: text, Link: info.Link})
		switch c := errs.CodeOf(err); {
		case c == errs.Invalid || c == errs.NotFound:
			// One bad address in the directory (or a webhook removed since
			// the resolver listed it) must not stop everyone else's page.
			e.log().Warn("recipient skipped", "page_id", p.ID, "recipient", r.Name, "err", err)
			continue
		case err != nil:
			return fmt.Errorf("notify %s: %w", r.Name, err)
		}
		reached = append(reached, r)
	}
	return e.emit(ctx, tx, Event{Kind: kind, Page: p, Level: level, Recipients: reached, At: now})
}
