package main

import (
	"strings"
	"time"
)

// parseTime reads a time from the command line: RFC 3339
// (2026-11-26T14:05:00Z), a local "2026-11-26 14:05", a local date, or a
// moment relative to now such as "-90m" or "-2h".
func parseTime(flag, s string, now time.Time) (time.Time, error) {
	s = strings.TrimSpace(s)
	if strings.HasPrefix(s, "-") {
		if d, err := time.ParseDuration(s); err == nil {
			return now.Add(d), nil
		}
	}
	if t, err := time.Parse(time.RFC3339, s); err == nil {
		return t, nil
	}
	for _, layout := range []string{"2006-01-02 15:04:05", "2006-01-02 15:04", "2006-01-02T15:04", "2006-01-02"} {
		if t, err := time.ParseInLocation(layout, s, time.Local); err == nil {
			return t, nil
		}
	}
	return time.Time{}, usagef("--%s %q is not a time: use 2026-11-26T14:05:00Z, \"2026-11-26 14:05\" (local), 2026-11-26 or -90m", flag, s)
}
