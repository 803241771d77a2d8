package attack

import (
	"slices"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/warroom/warroom/internal/errs"
)

// KindActivity is the timeline kind of attacker activity (one of
// record.UserKinds, so a plain note of this kind is possible too; it then
// has no structured fields and the story files it as unclassified).
const KindActivity = "attacker_activity"

// Precision says how exactly the event time is known. Log lines give
// seconds; a user's "around three in the morning" gives the hour; a file
// system date gives the day. The story shows a time only to its precision,
// and the digits below it are zeroed when the entry is written, so nobody
// reads more exactness into the record than there was.
type Precision string

// The precisions.
const (
	Second Precision = "second"
	Minute Precision = "minute"
	Hour   Precision = "hour"
	Day    Precision = "day"
)

// Precisions lists the allowed precisions, finest first.
var Precisions = []Precision{Second, Minute, Hour, Day}

// Truncate zeroes the parts of t finer than p, in UTC. A day is the
// calendar date as the person gave it, in the zone they gave it in
// ("20 November" entered in UTC+2 is 20 November, not the 19th that its
// midnight is in UTC), kept as that date's UTC midnight.
func (p Precision) Truncate(t time.Time) time.Time {
	switch p {
	case Minute:
		return t.UTC().Truncate(time.Minute)
	case Hour:
		return t.UTC().Truncate(time.Hour)
	case Day:
		y, m, d := t.Date()
		return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
	}
	return t.UTC().Truncate(time.Second)
}

// Format shows t to precision p, in UTC.
func (p Precision) Format(t time.Time) string {
	t = t.UTC()
	switch p {
	case Minute:
		return t.Format("2006-01-02 15:04Z")
	case Hour:
		return t.Format("2006-01-02 15h") + "Z"
	case Day:
		return t.Format("2006-01-02")
	}
	return t.Format("2006-01-02 15:04:05Z")
}

// Limits on attacker activity.
const (
	MaxHost     = 255 // a fully qualified domain name
	MaxAccount  = 256 // DOMAIN\user, user@realm, an ARN …
	MaxLinks    = 50  // indicators, and evidence items, per entry
	MaxText     = 20000
	maxLinkSize = 100
)

// Input is attacker activity to record.
type Input struct {
	Text      string     `json:"text"`       // what they did, in the analyst's words
	EventTime *time.Time `json:"event_time"` // when it happened (required)
	Precision Precision  `json:"precision"`  // default second
	Host      string     `json:"host"`       // the host it happened on, or that was reached
	Account   string     `json:"account"`    // the account used or reached
	Tactic    string     `json:"tactic"`     // TA0002, execution or Execution
	Technique string     `json:"technique"`  // T1059 or T1059.001
	// Indicators are IDs of indicators of the same incident.
	Indicators []string `json:"indicators"`
	// Evidence names items of the same incident: EV-3, 3 or the item's ID.
	Evidence []string `json:"evidence"`
	// Corrects is the ID of an attacker-activity entry this one replaces.
	Corrects string `json:"corrects"`
}

// Activity is the structured part of an attacker-activity entry, stored
// as its payload (and so covered by the hash chain). Linked indicators
// and evidence are copied as they were when linked, so the record says
// what the analyst saw even if an indicator is later deleted.
type Activity struct {
	Precision     Precision       `json:"precision"`
	Host          string          `json:"host,omitempty"`
	Account       string          `json:"account,omitempty"`
	Tactic        string          `json:"tactic,omitempty"` // tactic ID
	Technique     string          `json:"technique,omitempty"`
	TechniqueName string          `json:"technique_name,omitempty"` // from the catalogue, when loaded
	Indicators    []IndicatorLink `json:"indicators"`
	Evidence      []EvidenceLink  `json:"evidence"`
}

// IndicatorLink is an indicator linked to activity.
type IndicatorLink struct {
	ID    string `json:"id"`
	Type  string `json:"type"`
	Value string `json:"value"`
}

// EvidenceLink is an evidence item linked to activity.
type EvidenceLink struct {
	ID    string `json:"id"`
	Label string `json:"label"`
	Name  string `json:"name"`
}

// check validates and normalises what needs no database, and returns the
// activity without links and the technique ID.
func (in *Input) check(v *errs.Validation, now time.Time) Activity {
	in.Text = strings.TrimSpace(in.Text)
	if in.Text == "" || len(in.Text) > MaxText {
		v.Add("text", "must be 1 to %d bytes: say what the attacker did", MaxText)
	}
	if in.Precision == "" {
		in.Precision = Second
	}
	if !slices.Contains(Precisions, in.Precision) {
		v.Add("precision", "%q is not allowed; use one of second, minute, hour, day", in.Precision)
	}
	switch {
	case in.EventTime == nil || in.EventTime.IsZero():
		v.Add("event_time", "is required: when did the attacker do this (give a precision if only the hour or day is known)")
	case in.EventTime.After(now.Add(5 * time.Minute)):
		v.Add("event_time", "%s is in the future", in.EventTime.UTC().Format(time.RFC3339))
	default:
		t := in.Precision.Truncate(*in.EventTime)
		in.EventTime = &t
	}
	a := Activity{Precision: in.Precision, Host: strings.TrimSpace(in.Host), Account: strings.TrimSpace(in.Account),
		Indicators: []IndicatorLink{}, Evidence: []EvidenceLink{}}
	checkName(v, "host", a.Host, MaxHost)
	checkName(v, "account", a.Account, MaxAccount)
	if in.Tactic != "" {
		t, _, ok := LookupTactic(in.Tactic)
		if !ok {
			v.Add("tactic", "%q is not an ATT&CK Enterprise tactic; use an ID like TA0002 or one of %s", in.Tactic, tacticList())
		}
		a.Tactic = t.ID
	}
	if in.Technique != "" {
		id, ok := NormalizeTechnique(in.Technique)
		if !ok {
			v.Add("technique", "%q is not an ATT&CK technique ID; write T1234 or, for a sub-technique, T1234.001", in.Technique)
		}
		a.Technique = id
	}
	in.Indicators = checkLinks(v, "indicators", in.Indicators)
	in.Evidence = checkLinks(v, "evidence", in.Evidence)
	in.Corrects = strings.TrimSpace(in.Corrects)
	if len(in.Corrects) > maxLinkSize {
		v.Add("corrects", "is not a timeline entry ID")
	}
	return a
}

// checkName accepts a host or account name: printable, one line.
func checkName(v *errs.Validation, field, s string, max int) {
	if len(s) > max {
		v.Add(field, "must be at most %d bytes", max)
		return
	}
	if !utf8.ValidString(s) || strings.ContainsFunc(s, func(r rune) bool { return !unicode.IsPrint(r) }) {
		v.Add(field, "must be printable text on one line")
	}
}

// checkLinks trims and de-duplicates link keys and bounds their number.
func checkLinks(v *errs.Validation, field string, keys []string) []string {
	var out []string
	for _, k := range keys {
		k = strings.TrimSpace(k)
		if k == "" || slices.Contains(out, k) {
			continue
		}
		if len(k) > maxLinkSize {
			v.Add(field, "%q… is not an ID", k[:20])
			continue
		}
		out = append(out, k)
	}
	if len(out) > MaxLinks {
		v.Add(field, "at most %d links per entry", MaxLinks)
	}
	return out
}
