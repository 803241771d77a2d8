package notify

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/warroom/warroom/internal/db"
	"github.com/warroom/warroom/internal/errs"
)

const pageColumns = `id, org_id, incident_id, source, spec, started_at, level, next_renotify_at, next_at,
	acknowledged_at, COALESCE(acknowledged_by, ''), stopped_at, created_at`

func scanPage(row interface{ Scan(...any) error }) (Page, error) {
	var p Page
	var spec string
	var renotify, next, acked, stopped *time.Time
	if err := row.Scan(&p.ID, &p.OrgID, &p.IncidentID, &p.Source, &spec, &p.StartedAt, &p.Level, &renotify, &next,
		&acked, &p.AcknowledgedBy, &stopped, &p.CreatedAt); err != nil {
		return Page{}, err
	}
	if err := json.Unmarshal([]byte(spec), &p.Spec); err != nil {
		return Page{}, fmt.Errorf("decode escalation of page %s: %w", p.ID, err)
	}
	p.StartedAt, p.CreatedAt = p.StartedAt.UTC(), p.CreatedAt.UTC()
	p.NextRenotifyAt, p.NextAt, p.AcknowledgedAt, p.StoppedAt = utc(renotify), utc(next), utc(acked), utc(stopped)
	return p, nil
}

func utc(t *time.Time) *time.Time {
	if t == nil {
		return nil
	}
	u := t.UTC()
	return &u
}

// GetPage returns a page of orgID.
func GetPage(ctx context.Context, tx *db.Tx, orgID, id string) (Page, error) {
	p, err := scanPage(tx.QueryRowContext(ctx, `SELECT `+pageColumns+` FROM pages WHERE org_id = $1 AND id = $2`, orgID, id))
	if db.NoRows(err) {
		return Page{}, errs.NotFoundf("page %s not found", id)
	}
	if err != nil {
		return Page{}, fmt.Errorf("load page %s: %w", id, err)
	}
	return p, nil
}

// ListPages returns the pages of an incident of orgID, oldest first.
func ListPages(ctx context.Context, tx *db.Tx, orgID, incidentID string) ([]Page, error) {
	rows, err := tx.QueryContext(ctx, `SELECT `+pageColumns+` FROM pages WHERE org_id = $1 AND incident_id = $2
		ORDER BY started_at, id`, orgID, incidentID)
	if err != nil {
		return nil, fmt.Errorf("list pages: %w", err)
	}
	defer rows.Close()
	var out []Page
	for rows.Next() {
		p, err := scanPage(rows)
		if err != nil {
			return nil, fmt.Errorf("scan page: %w", err)
		}
		out = append(out, p)
	}
	return out, rows.Err()
}

// loadPage reads a page by ID alone, for the escalator and tokens.
func loadPage(ctx context.Context, tx *db.Tx, id string) (Page, error) {
	p, err := scanPage(tx.QueryRowContext(ctx, `SELECT `+pageColumns+` FROM pages WHERE id = $1`, id))
	if db.NoRows(err) {
		return Page{}, errs.NotFoundf("page %s not found", id)
	}
	if err != nil {
		return Page{}, fmt.Errorf("load page %s: %w", id, err)
	}
	return p, nil
}

// pageByToken finds the page an acknowledgement token belongs to: the
// token NewPage returned, or one minted for a delivery, in which case via
// names who that delivery went to.
func pageByToken(ctx context.Context, tx *db.Tx, token string) (id, via string, err error) {
	hash := hashToken(token)
	err = tx.QueryRowContext(ctx, `SELECT id FROM pages WHERE ack_token_hash = $1`, hash).Scan(&id)
	if err == nil || !db.NoRows(err) {
		return id, "", err
	}
	err = tx.QueryRowContext(ctx, `SELECT t.page_id, COALESCE(o.recipient, '') FROM ack_tokens t
		LEFT JOIN outbox o ON o.id = t.outbox_id WHERE t.token_hash = $1`, hash).Scan(&id, &via)
	if db.NoRows(err) {
		return "", "", errs.NotFoundf("this acknowledgement link is not valid")
	}
	return id, via, err
}

// Stop ends the unacknowledged pages of an incident (it was closed, or
// paged by mistake) and cancels their queued messages. It returns how many
// pages it stopped. The caller records why in the timeline.
func Stop(ctx context.Context, tx *db.Tx, now time.Time, orgID, incidentID string) (int, error) {
	res, err := tx.ExecContext(ctx, `UPDATE pages SET stopped_at = $1, next_at = NULL
		WHERE org_id = $2 AND incident_id = $3 AND acknowledged_at IS NULL AND stopped_at IS NULL`, db.Time(now), orgID, incidentID)
	if err != nil {
		return 0, fmt.Errorf("stop pages: %w", err)
	}
	n, _ := res.RowsAffected()
	_, err = tx.ExecContext(ctx, `UPDATE outbox SET status = 'cancelled', last_error = 'the page was stopped'
		WHERE status = 'pending' AND page_id IN (SELECT id FROM pages WHERE org_id = $1 AND incident_id = $2 AND stopped_at IS NOT NULL)`,
		orgID, incidentID)
	if err != nil {
		return 0, fmt.Errorf("cancel messages of stopped pages: %w", err)
	}
	return int(n), nil
}
