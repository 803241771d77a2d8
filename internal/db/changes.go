package db

import (
	"context"
	"log/slog"
	"sync"
	"time"

	"github.com/jackc/pgx/v5"
)

// changeChannel is the PostgreSQL NOTIFY channel that carries "organisation
// X has new timeline entries" between replicas.
const changeChannel = "warroom_changes"

// Changes fans out "something changed in organisation X" signals to
// subscribers in this process. A signal carries no data: subscribers read
// what is new from the database using their own cursor, so a lost or
// coalesced signal can delay an update but never lose or duplicate one.
type Changes struct {
	mu   sync.Mutex
	subs map[string]map[chan struct{}]struct{} // org id -> subscribers
}

func newChanges() *Changes {
	return &Changes{subs: map[string]map[chan struct{}]struct{}{}}
}

// Subscribe returns a channel that receives a signal after each commit that
// changed orgID, and a function that ends the subscription.
func (c *Changes) Subscribe(orgID string) (<-chan struct{}, func()) {
	ch := make(chan struct{}, 1)
	c.mu.Lock()
	if c.subs[orgID] == nil {
		c.subs[orgID] = map[chan struct{}]struct{}{}
	}
	c.subs[orgID][ch] = struct{}{}
	c.mu.Unlock()
	return ch, func() {
		c.mu.Lock()
		delete(c.subs[orgID], ch)
		if len(c.subs[orgID]) == 0 {
			delete(c.subs, orgID)
		}
		c.mu.Unlock()
	}
}

// signal wakes every subscriber of orgID; "" wakes everyone (after a
// reconnect, when signals may have been missed).
func (c *Changes) signal(orgID string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	for org, set := range c.subs {
		if orgID != "" && org != orgID {
			continue
		}
		for ch := range set {
			select {
			case ch <- struct{}{}:
			default: // a signal is already pending; it covers this one
			}
		}
	}
}

// NotifyOrg tells subscribers, once this transaction commits, that orgID
// changed. On PostgreSQL the NOTIFY is part of the transaction, so every
// replica hears it exactly when the data becomes visible.
func (tx *Tx) NotifyOrg(ctx context.Context, orgID string) error {
	if tx.Dialect == Postgres {
		_, err := tx.ExecContext(ctx, `SELECT pg_notify($1, $2)`, changeChannel, orgID)
		return err
	}
	tx.afterCommit = append(tx.afterCommit, func() { tx.changes.signal(orgID) })
	return nil
}

// listenPostgres keeps a dedicated connection LISTENing for changes made by
// any replica until ctx ends, reconnecting with a back-off.
func (db *DB) listenPostgres(ctx context.Context, url string, log *slog.Logger) {
	backoff := time.Second
	for ctx.Err() == nil {
		err := db.listenOnce(ctx, url)
		if ctx.Err() != nil {
			return
		}
		log.Warn("change listener lost its connection; reconnecting", "err", err, "retry_in", backoff.String())
		select {
		case <-ctx.Done():
			return
		case <-time.After(backoff):
		}
		backoff = min(backoff*2, 30*time.Second)
	}
}

func (db *DB) listenOnce(ctx context.Context, url string) error {
	conn, err := pgx.Connect(ctx, url)
	if err != nil {
		return err
	}
	defer conn.Close(context.Background())
	if _, err := conn.Exec(ctx, "LISTEN "+changeChannel); err != nil {
		return err
	}
	// Anything committed while we were not listening is picked up by
	// subscribers re-reading from their cursors.
	db.changes.signal("")
	for {
		n, err := conn.WaitForNotification(ctx)
		if err != nil {
			return err
		}
		db.changes.signal(n.Payload)
	}
}
