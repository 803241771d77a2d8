package db

import (
	"time"

	"github.com/google/uuid"
)

// NewID returns a new row ID: a UUIDv7, so IDs sort roughly by creation
// time and index pages fill in order.
func NewID() string { return uuid.Must(uuid.NewV7()).String() }

// Time normalises t for storage: UTC, truncated to the microsecond that
// PostgreSQL keeps, so a value reads back exactly as it was written (the
// record's hashes depend on that).
func Time(t time.Time) time.Time { return t.UTC().Truncate(time.Microsecond) }

// NullTime converts an optional time for storage.
func NullTime(t *time.Time) any {
	if t == nil || t.IsZero() {
		return nil
	}
	return Time(*t)
}
