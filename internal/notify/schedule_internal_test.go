package notify

import (
	"encoding/json"
	"errors"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

var start = time.Date(2026, 11, 26, 9, 0, 0, 0, time.UTC)

func at(d time.Duration) *time.Time {
	t := start.Add(d)
	return &t
}

func TestSchedule(t *testing.T) {
	spec := Spec{RenotifyEvery: Duration(15 * time.Minute), Levels: []Level{
		{After: 0}, {After: Duration(30 * time.Minute)}, {After: Duration(2 * time.Hour)}}}
	page := func(level int, renotify *time.Time) Page {
		return Page{Spec: spec, StartedAt: start, Level: level, NextRenotifyAt: renotify}
	}
	for _, tc := range []struct {
		name string
		p    Page
		now  time.Duration
		want tick
	}{
		{"Start", page(-1, nil), 0,
			tick{levels: []int{0}, level: 0, nextRenotify: at(15 * time.Minute), nextAt: at(15 * time.Minute)}},
		{"Reminder", page(0, at(15*time.Minute)), 15 * time.Minute,
			tick{renotify: true, level: 0, nextRenotify: at(30 * time.Minute), nextAt: at(30 * time.Minute)}},
		{"EscalateAndRemind", page(0, at(30*time.Minute)), 30 * time.Minute,
			tick{levels: []int{1}, renotify: true, level: 1, nextRenotify: at(45 * time.Minute), nextAt: at(45 * time.Minute)}},
		// The server was down for 2h10m: every overdue level is paged once
		// and reminders resume on the original rhythm, without a burst.
		{"CatchUpAfterDowntime", page(-1, nil), 130 * time.Minute,
			tick{levels: []int{0, 1, 2}, level: 2, nextRenotify: at(145 * time.Minute), nextAt: at(145 * time.Minute)}},
		{"MissedReminders", page(1, at(45*time.Minute)), 100 * time.Minute,
			tick{renotify: true, level: 1, nextRenotify: at(105 * time.Minute), nextAt: at(105 * time.Minute)}},
		{"LastLevelNoReminders", Page{Spec: Spec{Levels: []Level{{}}}, StartedAt: start, Level: -1}, 0,
			tick{levels: []int{0}, level: 0}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := schedule(tc.p, start.Add(tc.now))
			if diff := cmp.Diff(tc.want, got, cmp.AllowUnexported(tick{})); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}
}

func TestBackoff(t *testing.T) {
	for attempts, base := range map[int]time.Duration{
		1: 30 * time.Second, 2: time.Minute, 3: 2 * time.Minute, 4: 4 * time.Minute,
		5: 8 * time.Minute, 6: 16 * time.Minute, 7: 32 * time.Minute, 8: time.Hour, 30: time.Hour,
	} {
		got := Backoff("01934f5e-0000-7000-8000-000000000001", attempts)
		if got < base || got > base+base/10 || got > time.Hour {
			t.Errorf("Backoff after %d attempts = %s, want %s plus at most 10%% (and at most 1h)", attempts, got, base)
		}
		if again := Backoff("01934f5e-0000-7000-8000-000000000001", attempts); again != got {
			t.Errorf("Backoff is not deterministic: %s then %s", got, again)
		}
	}
}

func TestNextStep(t *testing.T) {
	now := start
	temp := errors.New("connection refused")
	for name, tc := range map[string]struct {
		err      error
		attempts int
		want     Status
		wait     time.Duration
	}{
		"TemporaryRetries":   {temp, 1, Pending, 30 * time.Second},
		"LastAttemptFails":   {temp, 8, Failed, 0},
		"PermanentFailsNow":  {permanent(temp), 1, Failed, 0},
		"RemovedIsCancelled": {&cancelError{temp}, 1, Cancelled, 0},
		"RetryAfterHonoured": {retryAfter(temp, 10*time.Minute), 1, Pending, 10 * time.Minute},
		"RetryAfterCapped":   {retryAfter(temp, 48*time.Hour), 1, Pending, time.Hour},
	} {
		t.Run(name, func(t *testing.T) {
			o := nextStep(tc.err, "id", tc.attempts, 8, now)
			if o.status != tc.want {
				t.Fatalf("status %s, want %s", o.status, tc.want)
			}
			if tc.wait > 0 && (o.next.Sub(now) < tc.wait || o.next.Sub(now) > tc.wait+tc.wait/10) {
				t.Errorf("next attempt in %s, want about %s", o.next.Sub(now), tc.wait)
			}
		})
	}
}

func TestSpec(t *testing.T) {
	b, err := json.Marshal(Spec{Channels: []string{"email"}, RenotifyEvery: Duration(15 * time.Minute),
		Levels: []Level{{After: 0, Roles: []string{"incident_commander"}}, {After: Duration(90 * time.Minute), Contacts: []string{"ciso"}}}})
	if err != nil {
		t.Fatal(err)
	}
	const want = `{"channels":["email"],"renotify_every":"15m0s","levels":[{"after":"0s","roles":["incident_commander"]},{"after":"1h30m0s","contacts":["ciso"]}]}`
	if string(b) != want {
		t.Errorf("stored spec\n got %s\nwant %s", b, want)
	}
	var back Spec
	if err := json.Unmarshal(b, &back); err != nil || time.Duration(back.Levels[1].After) != 90*time.Minute {
		t.Errorf("round trip: %+v, %v", back, err)
	}
	bad := Spec{Channels: []string{"fax"}, RenotifyEvery: Duration(time.Second),
		Levels: []Level{{After: Duration(time.Hour)}, {After: Duration(time.Minute)}}}
	if err := bad.Validate(); err == nil {
		t.Error("a spec with an unknown channel, a 1s reminder and levels out of order was accepted")
	}
	r := Recipient{Channel: ChannelWebhook, Format: FormatSlack}
	if !(Spec{Channels: []string{"slack"}}).allows(r) || (Spec{Channels: []string{"email"}}).allows(r) || !(Spec{}).allows(r) {
		t.Error("channel filtering is wrong")
	}
}

func TestAckURLAndHuman(t *testing.T) {
	if got := AckURL("https://warroom.example.com/", "wrack_abc"); got != "https://warroom.example.com/ack/wrack_abc" {
		t.Errorf("AckURL = %q", got)
	}
	for d, want := range map[time.Duration]string{30 * time.Second: "less than a minute", 15 * time.Minute: "15m",
		90 * time.Minute: "1h30m", 49 * time.Hour: "2d1h"} {
		if got := human(d); got != want {
			t.Errorf("human(%s) = %q, want %q", d, got, want)
		}
	}
}
