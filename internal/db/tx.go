package db

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"
)

// Tx is a transaction on a known dialect. Helpers that several
// capabilities share take (ctx, *Tx) so they can join one transaction.
type Tx struct {
	*sql.Tx
	Dialect     Dialect
	changes     *Changes
	afterCommit []func()
}

// Write runs fn in a read-write transaction and commits it when fn returns
// nil. On PostgreSQL a serialization failure or deadlock is retried a few
// times, so fn must not have effects outside the transaction.
func (db *DB) Write(ctx context.Context, fn func(*Tx) error) error {
	const attempts = 5
	var err error
	for i := range attempts {
		err = db.run(ctx, db.write, false, fn)
		if !isRetryable(err) {
			return err
		}
		select {
		case <-ctx.Done():
			return err
		case <-time.After(time.Duration(i+1) * 5 * time.Millisecond):
		}
	}
	return err
}

// Read runs fn in a read-only transaction: every query in fn sees the same
// snapshot.
func (db *DB) Read(ctx context.Context, fn func(*Tx) error) error {
	return db.run(ctx, db.read, true, fn)
}

func (db *DB) run(ctx context.Context, pool *sql.DB, readOnly bool, fn func(*Tx) error) (err error) {
	opts := &sql.TxOptions{ReadOnly: readOnly}
	if db.Dialect == SQLite {
		// modernc rejects TxOptions.ReadOnly; the read pool is query_only.
		opts = nil
	}
	stx, err := pool.BeginTx(ctx, opts)
	if err != nil {
		return fmt.Errorf("begin transaction: %w", err)
	}
	tx := &Tx{Tx: stx, Dialect: db.Dialect, changes: db.changes}
	defer func() {
		if p := recover(); p != nil {
			_ = stx.Rollback()
			panic(p)
		}
	}()
	if err := fn(tx); err != nil {
		_ = stx.Rollback()
		return err
	}
	if err := stx.Commit(); err != nil {
		return fmt.Errorf("commit: %w", MapError(err))
	}
	for _, f := range tx.afterCommit {
		f()
	}
	return nil
}

// NoRows reports whether err means a query found nothing.
func NoRows(err error) bool { return errors.Is(err, sql.ErrNoRows) }
