package ioc

import (
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/warroom/warroom/internal/errs"
	"github.com/warroom/warroom/internal/incident"
	"github.com/warroom/warroom/internal/indicator"
)

// Type is the kind of value an indicator holds (internal/indicator, which
// owns the values themselves so that code without a database, like the
// sweep engine and the host agent, can use them).
type Type = indicator.Type

// The indicator types.
const (
	IPv4        = indicator.IPv4
	IPv6        = indicator.IPv6
	CIDR        = indicator.CIDR
	Domain      = indicator.Domain
	URL         = indicator.URL
	Email       = indicator.Email
	MD5         = indicator.MD5
	SHA1        = indicator.SHA1
	SHA256      = indicator.SHA256
	SHA512      = indicator.SHA512
	Filename    = indicator.Filename
	Filepath    = indicator.Filepath
	RegistryKey = indicator.RegistryKey
	UserAccount = indicator.UserAccount
	Hostname    = indicator.Hostname
	ProcessName = indicator.ProcessName
	CVE         = indicator.CVE
	JA3         = indicator.JA3
	JA4         = indicator.JA4
	StixPattern = indicator.StixPattern
	Other       = indicator.Other
)

// Types lists every type, in the order forms show them.
var Types = indicator.Types

func typeList() string { return indicator.TypeList() }

// Normalize validates value as type t and returns its canonical form
// (internal/indicator).
func Normalize(t Type, value string) (string, error) { return indicator.Normalize(t, value) }

// Detect guesses the type of a value (internal/indicator).
func Detect(value string) (Type, bool) { return indicator.Detect(value) }

// Refang undoes the usual defanging (internal/indicator).
func Refang(s string) string { return indicator.Refang(s) }

// Extract finds the indicators in text (internal/indicator).
func Extract(text string) []Candidate { return indicator.Extract(text) }

// Candidate is a value found in text, for review before it is added.
type Candidate = indicator.Candidate

// MaxCandidates bounds what Extract returns for one text.
const MaxCandidates = indicator.MaxCandidates

// Indicator is one value recorded in an incident.
type Indicator struct {
	ID          string    `json:"id"`
	IncidentRef string    `json:"incident_ref"`
	Type        Type      `json:"type"`
	Value       string    `json:"value"`
	TLP         string    `json:"tlp"`
	Confidence  int       `json:"confidence"`
	Source      string    `json:"source"`
	FirstSeen   time.Time `json:"first_seen"`
	LastSeen    time.Time `json:"last_seen"`
	Tags        []string  `json:"tags"`
	Note        string    `json:"note"`
	// IsIOC is true for an indicator of compromise, false for an artifact
	// observed in the investigation and not known to be malicious.
	IsIOC     bool      `json:"is_ioc"`
	CreatedBy string    `json:"created_by"`
	CreatedAt time.Time `json:"created_at"`
	UpdatedAt time.Time `json:"updated_at"`
	Version   int64     `json:"version"`
	// SeenIn lists the other incidents of the organisation, among those
	// the caller may see, that hold the same type and value.
	SeenIn []string `json:"seen_in"`
}

// Input adds an indicator. Only Type and Value are required.
type Input struct {
	Type  Type   `json:"type"`
	Value string `json:"value"`
	// TLP defaults to the incident's marking.
	TLP string `json:"tlp"`
	// Confidence is 0-100; nil means 50.
	Confidence *int   `json:"confidence"`
	Source     string `json:"source"`
	// FirstSeen and LastSeen default to now; one given alone stands for
	// both (a log line's time is the first and the last sighting).
	FirstSeen *time.Time `json:"first_seen"`
	LastSeen  *time.Time `json:"last_seen"`
	Tags      []string   `json:"tags"`
	Note      string     `json:"note"`
	// IsIOC defaults to true; false records an observed artifact.
	IsIOC *bool `json:"is_ioc"`
}

// Patch changes some fields of an indicator; nil fields stay as they are.
// Type and value never change: delete the indicator and add the right one.
type Patch struct {
	TLP        *string    `json:"tlp"`
	Confidence *int       `json:"confidence"`
	Source     *string    `json:"source"`
	FirstSeen  *time.Time `json:"first_seen"`
	LastSeen   *time.Time `json:"last_seen"`
	Tags       *[]string  `json:"tags"`
	Note       *string    `json:"note"`
	IsIOC      *bool      `json:"is_ioc"`
}

// Filter selects an incident's indicators. Zero values mean "any".
type Filter struct {
	Type    Type
	IOCOnly bool   // only indicators of compromise, not artifacts
	Query   string // matches value, source, note and tags
	Limit   int    // 1..500, default 50
	Cursor  string // from a previous page's NextCursor
}

// Limits on the free-text fields.
const (
	MaxValue  = indicator.MaxValue
	MaxSource = 200
	MaxNote   = 10000
	MaxTags   = 20
	// DefaultConfidence is the confidence of an indicator added without one.
	DefaultConfidence = 50
)

var tagRE = regexp.MustCompile(`^[a-z0-9][a-z0-9:._/-]{0,63}$`)

// fields are an indicator's editable fields, checked together so Add and
// Update apply the same rules.
type fields struct {
	TLP                 string
	Confidence          int
	Source, Note        string
	FirstSeen, LastSeen time.Time
	Tags                []string
	IsIOC               bool
}

func (f *fields) check(v *errs.Validation, now time.Time) {
	if !slices.Contains(incident.TLPs, incident.TLP(f.TLP)) {
		v.Add("tlp", "%q is not allowed; use one of clear, green, amber, amber_strict, red", f.TLP)
	}
	if f.Confidence < 0 || f.Confidence > 100 {
		v.Add("confidence", "%d is not allowed: give 0 (none) to 100 (certain)", f.Confidence)
	}
	f.Source = strings.TrimSpace(f.Source)
	if len([]rune(f.Source)) > MaxSource {
		v.Add("source", "must be at most %d characters", MaxSource)
	}
	if len(f.Note) > MaxNote {
		v.Add("note", "must be at most %d bytes", MaxNote)
	}
	f.Tags = checkTags(v, f.Tags)
	// A little clock skew between an analyst's machine and the server is
	// not a mistake; a sighting tomorrow is.
	if f.FirstSeen.After(now.Add(5 * time.Minute)) {
		v.Add("first_seen", "is in the future")
	}
	if f.LastSeen.After(now.Add(5 * time.Minute)) {
		v.Add("last_seen", "is in the future")
	}
	if f.LastSeen.Before(f.FirstSeen) {
		v.Add("last_seen", "is before first_seen")
	}
}

// checkTags lower-cases, trims and de-duplicates tags, keeping their order.
func checkTags(v *errs.Validation, tags []string) []string {
	out := []string{}
	for _, t := range tags {
		t = strings.ToLower(strings.TrimSpace(t))
		if !tagRE.MatchString(t) {
			v.Add("tags", "%q is not a tag: 1-64 lower-case letters, digits or : . _ / -, like apt29 or c2", t)
			continue
		}
		if !slices.Contains(out, t) {
			out = append(out, t)
		}
	}
	if len(out) > MaxTags {
		v.Add("tags", "at most %d tags", MaxTags)
	}
	return out
}

// checkValue validates and normalises an input value into v's "value" field.
func checkValue(v *errs.Validation, t Type, value string) string {
	if !slices.Contains(Types, t) {
		v.Add("type", "%q is not allowed; use one of %s", t, typeList())
		return value
	}
	n, err := Normalize(t, value)
	if err != nil {
		v.Add("value", "%s", err.Error())
	}
	return n
}
