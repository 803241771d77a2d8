package obligation

import (
	"fmt"
	"time"

	"github.com/warroom/warroom/internal/errs"
)

// Catalogue is a validated set of rules, in file order.
type Catalogue struct {
	Rules []Rule
}

// File is the YAML document that holds rules.
type File struct {
	Version int    `yaml:"version"`
	Rules   []Rule `yaml:"rules"`
}

// Rule is one notification obligation: who must be told, when it applies,
// what starts the clock and how long it runs.
type Rule struct {
	ID           string        `yaml:"id" json:"id"`
	Title        string        `yaml:"title" json:"title"`
	Jurisdiction string        `yaml:"jurisdiction" json:"jurisdiction"`
	Regime       string        `yaml:"regime" json:"regime"`
	Recipient    Recipient     `yaml:"recipient" json:"recipient"`
	Applies      Applicability `yaml:"applies" json:"applies"`
	Clock        Clock         `yaml:"clock" json:"clock"`
	Deadline     Deadline      `yaml:"deadline" json:"deadline"`
	// Stages are the follow-up reports after the first notification.
	Stages         []Stage    `yaml:"stages,omitempty" json:"stages,omitempty"`
	Delays         string     `yaml:"delays,omitempty" json:"delays,omitempty"`
	Content        []string   `yaml:"content,omitempty" json:"content,omitempty"`
	Citations      []Citation `yaml:"citations" json:"citations"`
	Confidence     string     `yaml:"confidence" json:"confidence"`
	ConfidenceNote string     `yaml:"confidence_note,omitempty" json:"confidence_note,omitempty"`
	// Status is in_force, not_yet_in_force (with Effective) or proposed
	// (no obligation until a final text with a date exists).
	Status string `yaml:"status" json:"status"`
	// Effective is the date (YYYY-MM-DD) from which the rule binds; a
	// clock that starts before it does not produce an obligation.
	Effective string `yaml:"effective,omitempty" json:"effective,omitempty"`
	// Origin says where the rule comes from: "builtin" or the file name of
	// an organisation's own rules. Set by the loader.
	Origin string `yaml:"-" json:"origin"`

	effective time.Time
}

// Recipient is who receives the notification.
type Recipient struct {
	Kind string `yaml:"kind" json:"kind"`
	Name string `yaml:"name" json:"name"`
}

// Applicability is when a rule applies. Every condition that is set must
// hold; unset conditions do not restrict.
type Applicability struct {
	// OrganisationIn and AffectedIn are the rule's territory: when either
	// is set, the organisation must operate in one of OrganisationIn or
	// people resident in one of AffectedIn must be affected.
	OrganisationIn []string `yaml:"organisation_in,omitempty" json:"organisation_in,omitempty"`
	AffectedIn     []string `yaml:"affected_in,omitempty" json:"affected_in,omitempty"`
	// Affected is a threshold on the number of affected people.
	Affected    *Threshold `yaml:"affected,omitempty" json:"affected,omitempty"`
	Sectors     []string   `yaml:"sectors,omitempty" json:"sectors,omitempty"`
	EntityTypes []string   `yaml:"entity_types,omitempty" json:"entity_types,omitempty"`
	// ExcludeEntityTypes turns the rule off for these entity types (a
	// controller's duty does not fall on a processor).
	ExcludeEntityTypes []string `yaml:"exclude_entity_types,omitempty" json:"exclude_entity_types,omitempty"`
	// DataTypes: at least one of them must be involved.
	DataTypes []string `yaml:"data_types,omitempty" json:"data_types,omitempty"`
	// PersonalData: some personal data (any data type) must be involved.
	PersonalData bool `yaml:"personal_data,omitempty" json:"personal_data,omitempty"`
	// EncryptionSafeHarbour: the source exempts data that was encrypted.
	EncryptionSafeHarbour bool `yaml:"encryption_safe_harbour,omitempty" json:"encryption_safe_harbour,omitempty"`
	// RansomPaid: applies only once a ransom payment is recorded.
	RansomPaid bool `yaml:"ransom_paid,omitempty" json:"ransom_paid,omitempty"`
	// Judgement lists the conditions people must decide (risk to rights,
	// significance); the engine cannot, so it repeats them with the result.
	Judgement []string `yaml:"judgement,omitempty" json:"judgement,omitempty"`
}

// Threshold bounds the number of affected people.
type Threshold struct {
	// In lists the jurisdictions whose residents count; empty counts all.
	In  []string `yaml:"in,omitempty" json:"in,omitempty"`
	Min int      `yaml:"min" json:"min"`
	Max int      `yaml:"max,omitempty" json:"max,omitempty"`
	// Per is "total" (the sum) or "jurisdiction" (the largest count among
	// the jurisdictions, e.g. "more than 500 residents of a State").
	Per string `yaml:"per,omitempty" json:"per,omitempty"`
}

// Clock is what starts the rule's clock.
type Clock struct {
	Event string `yaml:"event" json:"event"`
	// FromYearEnd runs the clock from the end of the calendar year in which
	// the event happened (HIPAA's annual log of small breaches).
	FromYearEnd bool   `yaml:"from_year_end,omitempty" json:"from_year_end,omitempty"`
	Note        string `yaml:"note,omitempty" json:"note,omitempty"`
}

// Deadline is how long a clock runs. Exactly one of Hours, CalendarDays,
// BusinessDays, Months or ASAP is set.
type Deadline struct {
	// Name of the report, for rules with stages (default "Notification").
	Name         string `yaml:"name,omitempty" json:"name,omitempty"`
	Hours        int    `yaml:"hours,omitempty" json:"hours,omitempty"`
	CalendarDays int    `yaml:"calendar_days,omitempty" json:"calendar_days,omitempty"`
	BusinessDays int    `yaml:"business_days,omitempty" json:"business_days,omitempty"`
	Months       int    `yaml:"months,omitempty" json:"months,omitempty"`
	// ASAP: "without undue delay" with no fixed outer limit.
	ASAP bool `yaml:"asap,omitempty" json:"asap,omitempty"`
	// Calendar for business days: us_federal, brazil or weekends.
	Calendar string `yaml:"calendar,omitempty" json:"calendar,omitempty"`
	// TimeZone in which day-based deadlines end (IANA name).
	TimeZone string `yaml:"time_zone,omitempty" json:"time_zone,omitempty"`
	// NoLaterThan caps the deadline by a second clock (DORA: 4 hours from
	// classification but no later than 24 hours from awareness). A cap that
	// has already passed when the first clock starts does not apply.
	NoLaterThan *Cap `yaml:"no_later_than,omitempty" json:"no_later_than,omitempty"`
	// Basis is statute (default), guidance or contract.
	Basis string `yaml:"basis,omitempty" json:"basis,omitempty"`
	Text  string `yaml:"text" json:"text"`
}

// Cap is a second clock that bounds a deadline.
type Cap struct {
	Hours int    `yaml:"hours" json:"hours"`
	From  string `yaml:"from" json:"from"`
}

// Stage is a follow-up report.
type Stage struct {
	Name string `yaml:"name" json:"name"`
	// When is the condition under which the stage is owed ("on request").
	When string `yaml:"when,omitempty" json:"when,omitempty"`
	// From is what starts the stage's clock: an event, or "stage:NAME" for
	// the submission of an earlier stage (or the first report, by its
	// name). Empty means the rule's clock event.
	From     string   `yaml:"from,omitempty" json:"from,omitempty"`
	Deadline Deadline `yaml:"deadline" json:"deadline"`
}

// Citation is a source a lawyer can open.
type Citation struct {
	Title string `yaml:"title" json:"title"`
	URL   string `yaml:"url" json:"url"`
}

// String is the citation as one line.
func (c Citation) String() string { return c.Title + " <" + c.URL + ">" }

// initialName is the name of the first report.
func (r *Rule) initialName() string {
	if r.Deadline.Name != "" {
		return r.Deadline.Name
	}
	return "Notification"
}

// Summary is the deadline in a few words, for tables.
func (d Deadline) Summary() string {
	var s string
	switch {
	case d.ASAP:
		return "without undue delay"
	case d.Hours > 0:
		s = fmt.Sprintf("%d hours", d.Hours)
	case d.CalendarDays > 0:
		s = fmt.Sprintf("%d calendar days", d.CalendarDays)
	case d.BusinessDays > 0:
		s = fmt.Sprintf("%d business days (%s)", d.BusinessDays, d.Calendar)
	case d.Months == 1:
		s = "1 month"
	default:
		s = fmt.Sprintf("%d months", d.Months)
	}
	if d.NoLaterThan != nil {
		s += fmt.Sprintf(", at most %d hours after %s", d.NoLaterThan.Hours, d.NoLaterThan.From)
	}
	return s
}

// LoadFile reads an organisation's own rules (contracts, insurers) from
// src, named file in problems. Problems come back as one errs.Invalid
// listing each with its line and column.
func LoadFile(file string, src []byte) (*Catalogue, error) {
	c, problems := Parse(file, src)
	if len(problems) > 0 {
		return nil, &errs.Error{Code: errs.Invalid, Message: "rules file has problems:\n" + ProblemsError(problems).Error()}
	}
	return c, nil
}
