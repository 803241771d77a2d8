package notify

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"github.com/warroom/warroom/internal/db"
)

// claimed is a message a worker holds a lease on, ready to deliver.
type claimed struct {
	Delivery
	lease  string // the worker's claim; the outcome is recorded only under it
	ackURL string // a freshly minted acknowledgement link, for page messages
}

// claim leases up to Batch due messages to this worker. The lease outlives
// the longest the whole batch can take to deliver, so no other replica can
// pick a message up while it is being sent; if this process dies, the
// messages come due again when the lease expires (at-least-once).
func (w *Worker) claim(ctx context.Context, now time.Time) ([]claimed, error) {
	var out []claimed
	err := w.DB.Write(ctx, func(tx *db.Tx) error {
		out = out[:0] // Write may run this again after a serialization failure
		q := dueSQLite
		if tx.Dialect == db.Postgres {
			q = duePostgres
		}
		ids, err := queryIDs(ctx, tx, q, db.Time(now), w.batch())
		if err != nil {
			return fmt.Errorf("find due messages: %w", err)
		}
		lease, until := db.NewID(), db.Time(now.Add(w.lease()))
		for _, id := range ids {
			// The conditions are checked again on the row as it is now: on
			// PostgreSQL a row another replica leased and committed since our
			// select is not taken twice, whatever the select did.
			d, err := scanDelivery(tx.QueryRowContext(ctx, `UPDATE outbox SET locked_until = $1, locked_by = $2, attempts = attempts + 1
				WHERE id = $3 AND status = 'pending' AND (locked_until IS NULL OR locked_until <= $4) RETURNING `+outboxColumns,
				until, lease, id, db.Time(now)))
			if db.NoRows(err) {
				continue
			}
			if err != nil {
				return fmt.Errorf("claim message %s: %w", id, err)
			}
			c := claimed{Delivery: d, lease: lease}
			if d.PageID != "" && w.AckBase != "" {
				token, err := mintAckToken(ctx, tx, d.PageID, d.ID, now)
				if err != nil {
					return err
				}
				c.ackURL = AckURL(w.AckBase, token)
			}
			out = append(out, c)
		}
		return nil
	})
	return out, err
}

func queryIDs(ctx context.Context, tx *db.Tx, q string, args ...any) ([]string, error) {
	rows, err := tx.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var ids []string
	for rows.Next() {
		var id string
		if err := rows.Scan(&id); err != nil {
			return nil, err
		}
		ids = append(ids, id)
	}
	return ids, rows.Err()
}

// finish records the outcome of an attempt, under the lease: if the lease
// was lost (the attempt outlived it and another worker took the message),
// nothing is written. A delivered message is marked delivered even if it
// was cancelled meanwhile, because it was.
func (w *Worker) finish(ctx context.Context, d claimed, o outcome, lastErr string, now time.Time) error {
	return w.DB.Write(ctx, func(tx *db.Tx) error {
		var res sql.Result
		var err error
		if o.status == Delivered {
			res, err = tx.ExecContext(ctx, `UPDATE outbox SET status = 'delivered', delivered_at = $1, last_error = '',
				locked_until = NULL, locked_by = NULL WHERE id = $2 AND locked_by = $3`, db.Time(now), d.ID, d.lease)
		} else {
			next := o.next
			if next.IsZero() {
				next = now
			}
			res, err = tx.ExecContext(ctx, `UPDATE outbox SET status = $1, next_attempt_at = $2, last_error = $3,
				locked_until = NULL, locked_by = NULL WHERE id = $4 AND locked_by = $5 AND status = 'pending'`,
				string(o.status), db.Time(next), cut(lastErr, maxShort), d.ID, d.lease)
		}
		if err != nil {
			return fmt.Errorf("record delivery of %s: %w", d.ID, err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			w.log().Warn("delivery outcome not recorded: the message's lease was lost or it was cancelled", "delivery_id", d.ID)
		}
		return nil
	})
}
