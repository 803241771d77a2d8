package web

import (
	"fmt"

	"github.com/warroom/warroom/internal/errs"
)

func fmtSscan(s string, n *int) (int, error) { return fmt.Sscan(s, n) }

// badTimes is the validation error for unreadable time fields.
func badTimes(fields []string) error {
	var v errs.Validation
	for _, f := range fields {
		v.Add(f, "is not a date and time like 2026-11-26 14:05")
	}
	return v.Err()
}

func badTimesRequired(field string) error {
	return fieldError(field, "is required: when did it happen?")
}

func fieldError(field, format string, args ...any) error {
	var v errs.Validation
	v.Add(field, format, args...)
	return v.Err()
}
