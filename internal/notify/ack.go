package notify

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/warroom/warroom/internal/db"
	"github.com/warroom/warroom/internal/errs"
)

// Acknowledge takes a page through an acknowledgement link: the page
// stops escalating and re-notifying, and its queued messages are
// cancelled. by names who acknowledged; empty, the recipient the link was
// sent to is used. Acknowledging again returns the page unchanged (the
// first acknowledgement stands). An unknown token is NotFound.
func (e *Escalator) Acknowledge(ctx context.Context, token, by string) (Page, error) {
	var p Page
	err := e.DB.Write(ctx, func(tx *db.Tx) error {
		id, via, err := pageByToken(ctx, tx, strings.TrimSpace(token))
		if err != nil {
			return err
		}
		if by == "" {
			by = via
		}
		if by == "" {
			by = "acknowledgement link"
		}
		p, err = e.acknowledge(ctx, tx, id, by)
		return err
	})
	return p, err
}

// AcknowledgeTx takes a page of orgID on behalf of a signed-in person (the
// war room's Acknowledge button) inside the caller's transaction, which
// has checked they may.
func (e *Escalator) AcknowledgeTx(ctx context.Context, tx *db.Tx, orgID, pageID, by string) (Page, error) {
	if _, err := GetPage(ctx, tx, orgID, pageID); err != nil {
		return Page{}, err
	}
	return e.acknowledge(ctx, tx, pageID, by)
}

func (e *Escalator) acknowledge(ctx context.Context, tx *db.Tx, id, by string) (Page, error) {
	by = cut(strings.TrimSpace(by), 200)
	if by == "" {
		return Page{}, errs.Invalidf("who acknowledges is required")
	}
	now := db.Time(e.now())
	// The condition makes the first acknowledgement win: a concurrent one
	// waits for it (PostgreSQL) or runs after it (SQLite) and updates
	// nothing.
	res, err := tx.ExecContext(ctx, `UPDATE pages SET acknowledged_at = $1, acknowledged_by = $2, next_at = NULL
		WHERE id = $3 AND acknowledged_at IS NULL`, now, by, id)
	if err != nil {
		return Page{}, fmt.Errorf("acknowledge page %s: %w", id, err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return loadPage(ctx, tx, id)
	}
	if err := cancelPending(ctx, tx, id, "the page was acknowledged"); err != nil {
		return Page{}, err
	}
	p, err := loadPage(ctx, tx, id)
	if err != nil {
		return Page{}, err
	}
	return p, e.emit(ctx, tx, Event{Kind: PageAcknowledged, Page: p, Level: p.Level, At: now, By: by})
}

// cancelPending cancels the queued messages of a page: once someone has
// it, reminders still waiting for a retry would only be noise.
func cancelPending(ctx context.Context, tx *db.Tx, pageID, why string) error {
	_, err := tx.ExecContext(ctx, `UPDATE outbox SET status = 'cancelled', last_error = $1 WHERE page_id = $2 AND status = 'pending'`, why, pageID)
	if err != nil {
		return fmt.Errorf("cancel messages of page %s: %w", pageID, err)
	}
	return nil
}

// TimeToAcknowledge is how long a page waited for someone, for metrics;
// false while it is unacknowledged.
func (p Page) TimeToAcknowledge() (time.Duration, bool) {
	if p.AcknowledgedAt == nil {
		return 0, false
	}
	return p.AcknowledgedAt.Sub(p.StartedAt), true
}
