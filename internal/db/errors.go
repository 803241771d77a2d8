package db

import (
	"errors"

	"github.com/jackc/pgx/v5/pgconn"
	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"
)

// ErrUnique is returned (wrapped) by MapError when a unique constraint was
// violated; stores turn it into a Conflict with a message of their own.
var ErrUnique = errors.New("unique constraint violated")

// ErrForeignKey is returned (wrapped) by MapError when a row refers to one
// that does not exist.
var ErrForeignKey = errors.New("foreign key violated")

type mappedError struct {
	kind  error
	cause error
}

func (e *mappedError) Error() string        { return e.kind.Error() + ": " + e.cause.Error() }
func (e *mappedError) Is(target error) bool { return target == e.kind }
func (e *mappedError) Unwrap() error        { return e.cause }

// MapError turns driver-specific errors into the neutral ErrUnique and
// ErrForeignKey so no capability matches driver codes or error strings.
// This is the one place that knows the codes of both engines.
func MapError(err error) error {
	if err == nil {
		return nil
	}
	var se *sqlite.Error
	if errors.As(err, &se) {
		switch se.Code() {
		case sqlite3.SQLITE_CONSTRAINT_UNIQUE, sqlite3.SQLITE_CONSTRAINT_PRIMARYKEY:
			return &mappedError{ErrUnique, err}
		case sqlite3.SQLITE_CONSTRAINT_FOREIGNKEY:
			return &mappedError{ErrForeignKey, err}
		}
		return err
	}
	var pe *pgconn.PgError
	if errors.As(err, &pe) {
		switch pe.Code {
		case "23505":
			return &mappedError{ErrUnique, err}
		case "23503":
			return &mappedError{ErrForeignKey, err}
		}
	}
	return err
}

// isRetryable reports whether a PostgreSQL transaction failed only because
// of concurrency (serialization failure, deadlock) and may be run again.
func isRetryable(err error) bool {
	var pe *pgconn.PgError
	if errors.As(err, &pe) {
		return pe.Code == "40001" || pe.Code == "40P01"
	}
	return false
}
