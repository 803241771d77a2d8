package notify

import (
	"fmt"
	"strings"
	"time"
)

// tick is what one Tick does to a page at a moment.
type tick struct {
	levels       []int // levels to page now, in order
	renotify     bool  // remind the levels paged before this tick
	level        int   // the highest level paged after this tick
	nextRenotify *time.Time
	nextAt       *time.Time
}

// schedule works out what is due for p at now. Levels are timed from the
// start of the page; reminders from the first paging, every
// RenotifyEvery. After downtime every overdue level is paged once and one
// reminder is sent, never a burst of the reminders that were missed.
func schedule(p Page, now time.Time) tick {
	levels := p.Spec.Levels
	t := tick{level: p.Level, nextRenotify: p.NextRenotifyAt}
	for i := p.Level + 1; i < len(levels); i++ {
		if p.StartedAt.Add(time.Duration(levels[i].After)).After(now) {
			break
		}
		t.levels, t.level = append(t.levels, i), i
	}
	if every := time.Duration(p.Spec.RenotifyEvery); every > 0 {
		switch {
		case p.NextRenotifyAt == nil && t.level >= 0:
			n := now.Add(every)
			t.nextRenotify = &n
		case p.NextRenotifyAt != nil && !p.NextRenotifyAt.After(now):
			t.renotify = true
			k := now.Sub(*p.NextRenotifyAt)/every + 1
			n := p.NextRenotifyAt.Add(k * every)
			t.nextRenotify = &n
		}
	}
	if t.level+1 < len(levels) {
		n := p.StartedAt.Add(time.Duration(levels[t.level+1].After))
		t.nextAt = &n
	}
	if t.nextRenotify != nil && (t.nextAt == nil || t.nextRenotify.Before(*t.nextAt)) {
		t.nextAt = t.nextRenotify
	}
	return t
}

// compose writes the subject and text of a page message. Plain text: each
// channel adds the incident and acknowledgement links its own way.
func compose(kind EventKind, p Page, info IncidentInfo, level int, now time.Time) (subject, text string) {
	what := info.Ref
	if what == "" {
		what = "An incident"
	}
	tag := ""
	if info.Severity != "" {
		tag = "[" + info.Severity + "] "
	}
	about := fmt.Sprintf("%s “%s”", what, info.Title)
	if info.Severity != "" {
		about += " (" + info.Severity + ")"
	}
	var b strings.Builder
	switch kind {
	case PageStarted:
		subject = tag + what + " — you are paged: " + info.Title
		fmt.Fprintf(&b, "You are paged for %s.", about)
	case PageEscalated:
		subject = tag + what + " — escalated to you: " + info.Title
		fmt.Fprintf(&b, "Nobody has acknowledged %s for %s, so it is escalated to you (level %d of %d).",
			about, human(now.Sub(p.StartedAt)), level+1, len(p.Spec.Levels))
	case PageRenotified:
		subject = tag + what + " — still unacknowledged: " + info.Title
		fmt.Fprintf(&b, "%s was paged %s ago and nobody has acknowledged it yet.", about, human(now.Sub(p.StartedAt)))
	}
	if next := p.Level + 1; next < len(p.Spec.Levels) {
		fmt.Fprintf(&b, "\nAcknowledge it to take it; otherwise it escalates in %s.",
			human(p.StartedAt.Add(time.Duration(p.Spec.Levels[next].After)).Sub(now)))
	} else {
		b.WriteString("\nAcknowledge it to take it and stop the reminders.")
	}
	return subject, b.String()
}

// human writes a duration the way people say it: "15m", "1h30m", "2d".
func human(d time.Duration) string {
	if d < time.Minute {
		return "less than a minute"
	}
	d = d.Round(time.Minute)
	days, d := d/(24*time.Hour), d%(24*time.Hour)
	s := ""
	if days > 0 {
		s = fmt.Sprintf("%dd", days)
	}
	if h := d / time.Hour; h > 0 {
		s += fmt.Sprintf("%dh", h)
	}
	if m := (d % time.Hour) / time.Minute; m > 0 {
		s += fmt.Sprintf("%dm", m)
	}
	return s
}
