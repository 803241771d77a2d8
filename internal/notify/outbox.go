package notify

import (
	"context"
	"fmt"
	"time"

	"github.com/warroom/warroom/internal/db"
	"github.com/warroom/warroom/internal/errs"
)

// Delivery is an outbox message as stored: what was sent or is to be sent,
// and how its delivery went. It never contains an acknowledgement token
// (those are minted when the message goes out), so it is safe to show.
type Delivery struct {
	ID            string       `json:"id"`
	OrgID         string       `json:"-"`
	IncidentID    string       `json:"incident_id,omitempty"`
	PageID        string       `json:"page_id,omitempty"`
	Event         string       `json:"event"`
	Channel       Channel      `json:"channel"`
	Format        Format       `json:"format"`
	Target        string       `json:"target"`
	Recipient     string       `json:"recipient"`
	Incident      IncidentInfo `json:"incident"`
	Subject       string       `json:"subject"`
	Body          string       `json:"body"`
	Link          string       `json:"link,omitempty"`
	Status        Status       `json:"status"`
	Attempts      int          `json:"attempts"`
	MaxAttempts   int          `json:"max_attempts"`
	NextAttemptAt time.Time    `json:"next_attempt_at"`
	LastError     string       `json:"last_error,omitempty"`
	CreatedAt     time.Time    `json:"created_at"`
	DeliveredAt   *time.Time   `json:"delivered_at,omitempty"`
}

const outboxColumns = `id, org_id, COALESCE(incident_id, ''), COALESCE(page_id, ''), event, channel, format, target, recipient,
	incident_ref, incident_title, incident_severity, subject, body, link, status, attempts, max_attempts, next_attempt_at,
	last_error, created_at, delivered_at`

func scanDelivery(row interface{ Scan(...any) error }) (Delivery, error) {
	var d Delivery
	var channel, format, status string
	var delivered *time.Time
	err := row.Scan(&d.ID, &d.OrgID, &d.IncidentID, &d.PageID, &d.Event, &channel, &format, &d.Target, &d.Recipient,
		&d.Incident.Ref, &d.Incident.Title, &d.Incident.Severity, &d.Subject, &d.Body, &d.Link, &status, &d.Attempts,
		&d.MaxAttempts, &d.NextAttemptAt, &d.LastError, &d.CreatedAt, &delivered)
	d.Channel, d.Format, d.Status = Channel(channel), Format(format), Status(status)
	d.NextAttemptAt, d.CreatedAt = d.NextAttemptAt.UTC(), d.CreatedAt.UTC()
	if delivered != nil {
		t := delivered.UTC()
		d.DeliveredAt = &t
	}
	return d, err
}

// DeliveryFilter selects outbox messages of one organisation.
type DeliveryFilter struct {
	OrgID      string
	IncidentID string // optional
	PageID     string // optional
	Status     Status // optional
	Limit      int    // default and maximum 500
}

// ListDeliveries returns messages newest first, for the UI's delivery list
// (failed ones with their error and a Retry button).
func ListDeliveries(ctx context.Context, tx *db.Tx, f DeliveryFilter) ([]Delivery, error) {
	where, args := "org_id = $1", []any{f.OrgID}
	add := func(col, v string) {
		if v != "" {
			args = append(args, v)
			where += fmt.Sprintf(" AND %s = $%d", col, len(args))
		}
	}
	add("incident_id", f.IncidentID)
	add("page_id", f.PageID)
	add("status", string(f.Status))
	if f.Limit <= 0 || f.Limit > 500 {
		f.Limit = 500
	}
	args = append(args, f.Limit)
	rows, err := tx.QueryContext(ctx, `SELECT `+outboxColumns+` FROM outbox WHERE `+where+
		fmt.Sprintf(` ORDER BY created_at DESC, id DESC LIMIT $%d`, len(args)), args...)
	if err != nil {
		return nil, fmt.Errorf("list deliveries: %w", err)
	}
	defer rows.Close()
	var out []Delivery
	for rows.Next() {
		d, err := scanDelivery(rows)
		if err != nil {
			return nil, fmt.Errorf("scan delivery: %w", err)
		}
		out = append(out, d)
	}
	return out, rows.Err()
}

// GetDelivery returns one message of orgID.
func GetDelivery(ctx context.Context, tx *db.Tx, orgID, id string) (Delivery, error) {
	d, err := scanDelivery(tx.QueryRowContext(ctx, `SELECT `+outboxColumns+` FROM outbox WHERE org_id = $1 AND id = $2`, orgID, id))
	if db.NoRows(err) {
		return Delivery{}, errs.NotFoundf("delivery %s not found", id)
	}
	if err != nil {
		return Delivery{}, fmt.Errorf("load delivery %s: %w", id, err)
	}
	return d, nil
}

// Retry puts a failed message of orgID back in the queue, due now, with a
// fresh set of attempts. Only failed messages can be retried: a pending one
// is already queued, and a delivered one must never be sent twice.
func Retry(ctx context.Context, tx *db.Tx, now time.Time, orgID, id string) error {
	res, err := tx.ExecContext(ctx, `UPDATE outbox SET status = 'pending', attempts = 0, next_attempt_at = $1
		WHERE org_id = $2 AND id = $3 AND status = 'failed'`, db.Time(now), orgID, id)
	if err != nil {
		return fmt.Errorf("retry delivery %s: %w", id, err)
	}
	if n, _ := res.RowsAffected(); n == 1 {
		return nil
	}
	d, err := GetDelivery(ctx, tx, orgID, id)
	if err != nil {
		return err
	}
	return errs.Conflictf("delivery %s is %s; only failed deliveries can be retried", id, d.Status)
}
