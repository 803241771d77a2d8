package obligation

import (
	"fmt"
	"sort"
	"strings"
	"sync"
	"time"
)

// Status of an obligation.
type Status string

// The statuses: the clock is running (or the duty is owed at once), the
// clock waits for an event the facts do not have yet, or the rule does not
// apply.
const (
	Due           Status = "due"
	PendingEvent  Status = "pending_event"
	NotApplicable Status = "not_applicable"
)

// Obligation is one rule evaluated against the facts.
type Obligation struct {
	Rule        string        `json:"rule"`
	Recipient   string        `json:"recipient"`
	Status      Status        `json:"status"`
	Due         string        `json:"due,omitempty"` // RFC 3339 in the regime's zone; empty when there is no fixed limit
	Explanation string        `json:"explanation"`
	Stages      []StageResult `json:"stages"`
	Citations   []string      `json:"citations"`

	due   time.Time
	start time.Time // when the clock started (for reminders)
}

// DueTime is the due instant (zero when there is none).
func (o Obligation) DueTime() time.Time { return o.due }

// StageResult is one report of a staged obligation.
type StageResult struct {
	Name string `json:"name"`
	Due  string `json:"due,omitempty"`
}

// Evaluate applies every rule to the facts at now, in a deterministic
// order: owed obligations by due instant (those without a fixed limit
// after), then those waiting for an event, then those that do not apply;
// ties by rule id.
func Evaluate(c *Catalogue, f *Facts, now time.Time) ([]Obligation, error) {
	if err := f.Validate(); err != nil {
		return nil, err
	}
	out := make([]Obligation, 0, len(c.Rules))
	for i := range c.Rules {
		o, err := evaluate(&c.Rules[i], f, now)
		if err != nil {
			return nil, fmt.Errorf("evaluate rule %s: %w", c.Rules[i].ID, err)
		}
		out = append(out, o)
	}
	rank := func(o Obligation) int {
		switch {
		case o.Status == Due && !o.due.IsZero():
			return 0
		case o.Status == Due:
			return 1
		case o.Status == PendingEvent:
			return 2
		}
		return 3
	}
	sort.SliceStable(out, func(i, j int) bool {
		a, b := out[i], out[j]
		if ra, rb := rank(a), rank(b); ra != rb {
			return ra < rb
		}
		if !a.due.Equal(b.due) {
			return a.due.Before(b.due)
		}
		return a.Rule < b.Rule
	})
	return out, nil
}

func evaluate(r *Rule, f *Facts, now time.Time) (Obligation, error) {
	o := Obligation{Rule: r.ID, Recipient: r.Recipient.Name, Stages: []StageResult{}}
	for _, c := range r.Citations {
		o.Citations = append(o.Citations, c.String())
	}
	na := func(format string, args ...any) (Obligation, error) {
		o.Status = NotApplicable
		o.Explanation = fmt.Sprintf(format, args...)
		return o, nil
	}
	if reason := notApplicable(r, f); reason != "" {
		return na("%s", reason)
	}
	start, ok := f.event(r.Clock.Event)
	// A rule binds only from its effective date: a clock that starts before
	// it (or, with no event yet, a now before it) produces no obligation.
	switch {
	case r.Status == "proposed":
		return na("%s is proposed, not law: no obligation until a final text with an effective date", r.Regime)
	case !r.effective.IsZero() && ok && start.Before(r.effective):
		return na("not in force for this incident: %s applies from %s and %s was %s", r.Regime, r.Effective, eventWords[r.Clock.Event], start.UTC().Format(time.RFC3339))
	case !r.effective.IsZero() && !ok && now.Before(r.effective):
		return na("not in force yet: %s applies from %s", r.Regime, r.Effective)
	}
	if !ok {
		o.Status = PendingEvent
		o.Explanation = fmt.Sprintf("Waiting for incident.events.%s: the clock starts at %s", r.Clock.Event, eventWords[r.Clock.Event])
		if r.Clock.Note != "" {
			o.Explanation += " (" + r.Clock.Note + ")"
		}
		o.Explanation += "; " + r.Deadline.Text + "."
		o.Explanation += judgement(r)
		return o, nil
	}
	o.Status = Due
	anchor := start
	anchorWords := eventWords[r.Clock.Event]
	if r.Clock.FromYearEnd {
		loc, err := zone(r.Deadline.TimeZone)
		if err != nil {
			return o, err
		}
		y := start.In(loc).Year()
		anchor = time.Date(y, time.December, 31, 12, 0, 0, 0, loc)
		anchorWords = fmt.Sprintf("the end of %d, the year of %s on %s", y, eventWords[r.Clock.Event], dayName(dateOf(start, loc)))
	}
	due, why, err := compute(&r.Deadline, anchor, anchorWords, f)
	if err != nil {
		return o, err
	}
	o.due, o.start = due, anchor
	if !due.IsZero() {
		o.Due = due.Format(time.RFC3339)
	}
	o.Explanation = why + judgement(r)
	if len(r.Stages) == 0 {
		return o, nil
	}
	// The first report is a stage too, so the list is the whole sequence.
	dues := map[string]time.Time{strings.ToLower(r.initialName()): due}
	o.Stages = append(o.Stages, StageResult{Name: r.initialName(), Due: o.Due})
	var notes []string
	for i := range r.Stages {
		s := &r.Stages[i]
		sr := StageResult{Name: s.Name}
		sAnchor, sWords, have := start, eventWords[r.Clock.Event], true
		if ref, isStage := strings.CutPrefix(s.From, "stage:"); isStage {
			sAnchor = dues[strings.ToLower(ref)]
			// The clock runs from the actual submission, which Warroom does
			// not know here; counting from the latest allowed submission
			// gives the outer bound, so say so.
			sWords = fmt.Sprintf("the %s (counted from its deadline; if submitted earlier, from the submission)", strings.ToLower(ref))
			have = !sAnchor.IsZero()
		} else if s.From != "" {
			sAnchor, have = f.event(s.From)
			sWords = eventWords[s.From]
		}
		var sdue time.Time
		switch {
		case s.Deadline.ASAP:
			notes = append(notes, fmt.Sprintf("%s: %s", s.Name, s.Deadline.Text))
		case !have:
			notes = append(notes, fmt.Sprintf("%s: waiting for %s", s.Name, sWords))
		default:
			var swhy string
			sdue, swhy, err = compute(&s.Deadline, sAnchor, sWords, f)
			if err != nil {
				return o, err
			}
			sr.Due = sdue.Format(time.RFC3339)
			notes = append(notes, s.Name+": "+swhy)
		}
		if s.When != "" {
			notes[len(notes)-1] += " [only " + s.When + "]"
		}
		dues[strings.ToLower(s.Name)] = sdue
		o.Stages = append(o.Stages, sr)
	}
	o.Explanation += " Then " + strings.Join(notes, "; ") + "."
	return o, nil
}

func judgement(r *Rule) string {
	if len(r.Applies.Judgement) == 0 {
		return ""
	}
	return " Applies only if: " + strings.Join(r.Applies.Judgement, "; ") + "."
}

// zones memoises time.LoadLocation, which reads the zone database on every
// call: an evaluation needs some sixty deadlines' zones, on every war-room
// refresh and reminder tick. Locations never change, so keeping them is safe.
var zones sync.Map // name -> *time.Location

func zone(name string) (*time.Location, error) {
	if name == "" {
		return time.UTC, nil
	}
	if loc, ok := zones.Load(name); ok {
		return loc.(*time.Location), nil
	}
	loc, err := time.LoadLocation(name)
	if err != nil {
		return nil, fmt.Errorf("load time zone %s: %w", name, err)
	}
	zones.Store(name, loc)
	return loc, nil
}

// compute returns the due instant of d counted from anchor (zero for ASAP)
// and an explanation a lawyer can check by hand.
func compute(d *Deadline, anchor time.Time, words string, f *Facts) (time.Time, string, error) {
	loc, err := zone(d.TimeZone)
	if err != nil {
		return time.Time{}, "", err
	}
	stamp := func(t time.Time) string { return t.In(loc).Format("Mon 2006-01-02 15:04 MST") }
	basis := ""
	switch d.Basis {
	case "guidance":
		basis = " (regulator guidance, not statute)"
	case "contract":
		basis = " (contractual)"
	}
	var due time.Time
	var why string
	switch {
	case d.ASAP:
		return time.Time{}, fmt.Sprintf("%s: no fixed outer limit, owed from %s at %s.", d.Text, words, stamp(anchor)), nil
	case d.Hours > 0:
		due = anchor.Add(time.Duration(d.Hours) * time.Hour)
		why = fmt.Sprintf("%d hours after %s at %s: %s%s", d.Hours, words, stamp(anchor), stamp(due), basis)
		if zn, _ := anchor.In(loc).Zone(); d.TimeZone != "" {
			if zd, _ := due.In(loc).Zone(); zd != zn {
				why += fmt.Sprintf(" (the clocks changed from %s to %s in between; hours are counted as elapsed time)", zn, zd)
			}
		}
	case d.CalendarDays > 0:
		start := dateOf(anchor, loc)
		last := start.AddDate(0, 0, d.CalendarDays)
		due = endOfDay(last, loc)
		why = fmt.Sprintf("%d calendar days after %s on %s (%s): due at the end of %s%s", d.CalendarDays, words, dayName(start), loc, dayName(last), basis)
	case d.BusinessDays > 0:
		cal, err := CalendarByName(d.Calendar)
		if err != nil {
			return time.Time{}, "", err
		}
		start := dateOf(anchor, loc)
		last, skipped := cal.AddBusinessDays(start, d.BusinessDays)
		due = endOfDay(last, loc)
		why = fmt.Sprintf("%d business days (%s calendar, %s) after %s on %s: due at the end of %s", d.BusinessDays, cal.Name, loc, words, dayName(start), dayName(last))
		if len(skipped) > 0 {
			why += "; " + strings.Join(skipped, "; ")
		}
		why += basis
	case d.Months > 0:
		start := dateOf(anchor, loc)
		last, clamped := addMonths(start, d.Months)
		due = endOfDay(last, loc)
		unit := "month"
		if d.Months > 1 {
			unit = "months"
		}
		why = fmt.Sprintf("%d %s after %s on %s (%s): due at the end of %s", d.Months, unit, words, dayName(start), loc, dayName(last))
		if clamped {
			why += fmt.Sprintf(" (%s has no day %d, so the last day of the month)", last.Format("January 2006"), start.Day())
		}
		why += basis
	}
	if c := d.NoLaterThan; c != nil {
		if from, ok := f.event(c.From); ok {
			capAt := from.Add(time.Duration(c.Hours) * time.Hour)
			switch {
			case capAt.Before(anchor):
				why += fmt.Sprintf("; the %d-hour limit from %s (%s) had passed before the clock started, so it does not apply", c.Hours, eventWords[c.From], stamp(capAt))
			case capAt.Before(due):
				due = capAt
				why += fmt.Sprintf("; but no later than %d hours after %s at %s: %s, which comes first", c.Hours, eventWords[c.From], stamp(from), stamp(capAt))
			default:
				why += fmt.Sprintf("; the %d-hour limit from %s (%s) comes later", c.Hours, eventWords[c.From], stamp(capAt))
			}
		} else {
			why += fmt.Sprintf("; also no later than %d hours after %s (not recorded)", c.Hours, eventWords[c.From])
		}
	}
	return due.In(loc), why + ".", nil
}

// notApplicable returns why the rule does not apply to the facts, or "".
func notApplicable(r *Rule, f *Facts) string {
	a := &r.Applies
	if len(a.OrganisationIn) > 0 || len(a.AffectedIn) > 0 {
		orgIn := anyCovered(a.OrganisationIn, f.Organisation.Jurisdictions)
		affIn := false
		for _, p := range f.Incident.Affected {
			if p.Count > 0 && anyCovered(a.AffectedIn, []string{p.Jurisdiction}) {
				affIn = true
			}
		}
		if !orgIn && !affIn {
			var parts []string
			if len(a.OrganisationIn) > 0 {
				parts = append(parts, "the organisation does not operate in "+strings.Join(a.OrganisationIn, "/"))
			}
			if len(a.AffectedIn) > 0 {
				parts = append(parts, "no affected people reside in "+strings.Join(a.AffectedIn, "/"))
			}
			return "outside the territory: " + strings.Join(parts, " and ")
		}
	}
	if len(a.EntityTypes) > 0 && !f.hasEntity(a.EntityTypes) {
		return "applies only to entity types " + strings.Join(a.EntityTypes, ", ") + "; organisation.entity_types has none of them"
	}
	if f.hasEntity(a.ExcludeEntityTypes) {
		return "does not apply to entity types " + strings.Join(a.ExcludeEntityTypes, ", ") + " (another rule covers them)"
	}
	if len(a.Sectors) > 0 {
		hit := false
		for _, s := range a.Sectors {
			hit = hit || known(f.Organisation.Sectors, s)
		}
		if !hit {
			return "applies only to sectors " + strings.Join(a.Sectors, ", ")
		}
	}
	if a.PersonalData && len(f.Incident.DataTypes) == 0 {
		return "no personal data involved (incident.data_types is empty)"
	}
	if len(a.DataTypes) > 0 {
		hit := false
		for _, d := range a.DataTypes {
			hit = hit || known(f.Incident.DataTypes, d)
		}
		if !hit {
			return "applies only when data of types " + strings.Join(a.DataTypes, ", ") + " is involved"
		}
	}
	if t := a.Affected; t != nil {
		n, where := affectedCount(t, f)
		switch {
		case n < t.Min:
			return fmt.Sprintf("threshold not met: %d affected %s, the rule needs at least %d", n, where, t.Min)
		case t.Max > 0 && n > t.Max:
			return fmt.Sprintf("threshold exceeded: %d affected %s, the rule covers at most %d (another rule covers larger breaches)", n, where, t.Max)
		}
	}
	if a.EncryptionSafeHarbour && f.Incident.DataEncrypted {
		return "encryption safe harbour: incident.data_encrypted is true and the source exempts encrypted data (it does not if the key was also compromised)"
	}
	if a.RansomPaid {
		if _, ok := f.event("ransom_payment"); !ok {
			return "no ransom payment recorded (incident.events.ransom_payment)"
		}
	}
	return ""
}

func anyCovered(rule, facts []string) bool {
	for _, r := range rule {
		for _, j := range facts {
			if covers(r, j) {
				return true
			}
		}
	}
	return false
}

// affectedCount counts the affected people a threshold looks at, and says
// where: the sum, or the largest single jurisdiction.
func affectedCount(t *Threshold, f *Facts) (int, string) {
	total, max, maxAt := 0, 0, ""
	for _, p := range f.Incident.Affected {
		if len(t.In) > 0 && !anyCovered(t.In, []string{p.Jurisdiction}) {
			continue
		}
		total += p.Count
		if p.Count > max {
			max, maxAt = p.Count, p.Jurisdiction
		}
	}
	where := "people"
	if len(t.In) > 0 {
		where = "residents of " + strings.Join(t.In, "/")
	}
	if t.Per == "jurisdiction" {
		if maxAt == "" {
			return 0, "in any single jurisdiction"
		}
		return max, "in " + maxAt + " (the largest single jurisdiction)"
	}
	return total, where
}
