package incident

import (
	"testing"
	"time"
)

func TestCountdown(t *testing.T) {
	now := time.Date(2026, 11, 27, 9, 0, 0, 0, time.UTC)
	for _, c := range []struct {
		due  time.Time
		want string
	}{
		{now.Add(41*time.Hour + 10*time.Minute), "in 1d 17h"},
		{now.Add(2*time.Hour + 5*time.Minute), "in 2h 05m"},
		{now.Add(59 * time.Second), "in 1m"},
		{now, "in 0m"},
		{now.Add(-3*time.Hour - 5*time.Minute), "overdue 3h 05m"},
		{now.Add(-50 * time.Hour), "overdue 2d 2h"},
	} {
		if got := Countdown(c.due, now); got != c.want {
			t.Errorf("Countdown(%s) = %q, want %q", c.due.Sub(now), got, c.want)
		}
	}
	if got := HumanDuration(-time.Hour); got != "0m" {
		t.Errorf("a negative duration reads %q", got)
	}
}
