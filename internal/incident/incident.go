package incident

import (
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/warroom/warroom/internal/errs"
)

// Type is the kind of incident.
type Type string

// Types lists the incident types, in the order forms show them.
var Types = []Type{"ransomware", "business_email_compromise", "data_breach", "malware", "insider_threat",
	"denial_of_service", "account_compromise", "lost_or_stolen_device", "other"}

// Severity is SEV1 (highest) to SEV4.
type Severity string

// Severities lists the severities, highest first.
var Severities = []Severity{"SEV1", "SEV2", "SEV3", "SEV4"}

// Phase follows the NIST SP 800-61 incident-handling life cycle, from
// detection onwards (preparation happens before any incident exists).
type Phase string

// Phases lists the phases in life-cycle order.
var Phases = []Phase{"detection_analysis", "containment", "eradication", "recovery", "post_incident"}

// Status is open or closed.
type Status string

// The statuses.
const (
	Open   Status = "open"
	Closed Status = "closed"
)

// TLP is the Traffic Light Protocol 2.0 marking for sharing.
type TLP string

// TLPs lists the TLP 2.0 labels, least to most restrictive.
var TLPs = []TLP{"clear", "green", "amber", "amber_strict", "red"}

// MilestoneKinds are the times an incident records, in life-cycle order.
var MilestoneKinds = []string{"first_compromise", "detected", "declared", "contained", "eradicated", "recovered", "closed"}

// Incident is one incident as its viewer sees it.
type Incident struct {
	ID         string               `json:"id"`
	Ref        string               `json:"ref"`
	Title      string               `json:"title"`
	Summary    string               `json:"summary"`
	Type       Type                 `json:"type"`
	Severity   Severity             `json:"severity"`
	Phase      Phase                `json:"phase"`
	Status     Status               `json:"status"`
	TLP        TLP                  `json:"tlp"`
	Restricted bool                 `json:"restricted"`
	Tags       []string             `json:"tags"`
	CreatedBy  string               `json:"created_by"`
	CreatedAt  time.Time            `json:"created_at"`
	UpdatedAt  time.Time            `json:"updated_at"`
	Version    int64                `json:"version"`
	Milestones map[string]Milestone `json:"milestones"`
	Flags      []Flag               `json:"flags"`
	// LastSeq is the sequence number of the newest timeline entry: a live
	// view renders up to it and streams events after it.
	LastSeq int64 `json:"last_seq"`
	// PlanID and PlanVersion name the IR plan the incident's tasks came
	// from, if any.
	PlanID      string `json:"plan_id,omitempty"`
	PlanVersion int    `json:"plan_version,omitempty"`

	orgID        string
	hasCommander bool
}

// Milestone is a key time of the incident and who set it.
type Milestone struct {
	At        time.Time `json:"at"`
	SetBy     string    `json:"set_by"`
	SetByName string    `json:"set_by_name"`
	SetAt     time.Time `json:"set_at"`
}

// Flag is a problem with the incident that someone should act on.
type Flag struct {
	Code    string `json:"code"`
	Message string `json:"message"`
}

// FlagNoCommander marks a SEV1 or SEV2 incident that nobody commands.
const FlagNoCommander = "no_incident_commander"

func (i *Incident) computeFlags() {
	i.Flags = []Flag{}
	if i.Status == Open && (i.Severity == "SEV1" || i.Severity == "SEV2") && !i.hasCommander {
		i.Flags = append(i.Flags, Flag{Code: FlagNoCommander, Message: string(i.Severity) + " incident has no incident commander"})
	}
}

var (
	tagRE = regexp.MustCompile(`^[a-z0-9][a-z0-9:._/-]{0,63}$`)
	refRE = regexp.MustCompile(`^[A-Z][A-Z0-9]{0,9}-[0-9]{4}-[0-9]{4,6}$`)
)

func oneOf[T ~string](v *errs.Validation, field string, val T, allowed []T) {
	if !slices.Contains(allowed, val) {
		strs := make([]string, len(allowed))
		for i, a := range allowed {
			strs[i] = string(a)
		}
		v.Add(field, "%q is not allowed; use one of %s", val, strings.Join(strs, ", "))
	}
}

func checkTitle(v *errs.Validation, title string) {
	if n := len([]rune(title)); n == 0 || n > 200 {
		v.Add("title", "must be 1 to 200 characters")
	}
}

func checkSummary(v *errs.Validation, field, s string) {
	if len(s) > 20000 {
		v.Add(field, "must be at most 20000 bytes")
	}
}

// normaliseTags lower-cases, de-duplicates and checks tags.
func normaliseTags(v *errs.Validation, tags []string) []string {
	out := []string{}
	if len(tags) > 50 {
		v.Add("tags", "at most 50 tags")
		return out
	}
	for _, t := range tags {
		t = strings.ToLower(strings.TrimSpace(t))
		if !tagRE.MatchString(t) {
			v.Add("tags", "%q is not a tag: use 1-64 lower-case letters, digits and : . _ / -", t)
			continue
		}
		if !slices.Contains(out, t) {
			out = append(out, t)
		}
	}
	slices.Sort(out)
	return out
}

// checkEventTime refuses times in the future: an event cannot be recorded
// before it happens (a little skew between clocks is allowed).
func checkEventTime(v *errs.Validation, field string, t *time.Time, now time.Time) {
	if t != nil && t.After(now.Add(5*time.Minute)) {
		v.Add(field, "%s is in the future", t.UTC().Format(time.RFC3339))
	}
}
