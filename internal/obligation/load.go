package obligation

import (
	_ "embed"
	"fmt"
	"net/url"
	"regexp"
	"sort"
	"strings"
	"time"

	"github.com/goccy/go-yaml/ast"

	"github.com/warroom/warroom/internal/yamlsafe"
)

//go:embed rules.yaml
var builtinRules []byte

// BuiltinFile is the name problems in the embedded catalogue carry.
const BuiltinFile = "rules.yaml"

// MaxRulesFile bounds an organisation's rules file.
const MaxRulesFile = 1 << 20

// Problem is one thing wrong with a rules file, where it is.
type Problem struct {
	File    string `json:"file"`
	Line    int    `json:"line"`
	Column  int    `json:"column"`
	Message string `json:"message"`
}

func (p Problem) String() string {
	return fmt.Sprintf("%s:%d:%d: %s", p.File, p.Line, p.Column, p.Message)
}

// ProblemsError carries every problem of a rules file.
type ProblemsError []Problem

func (e ProblemsError) Error() string {
	s := make([]string, len(e))
	for i, p := range e {
		s[i] = p.String()
	}
	return strings.Join(s, "\n")
}

// Builtin returns the embedded catalogue. It fails only if the embedded
// file is broken, which a test prevents; serve calls it at start-up.
func Builtin() (*Catalogue, error) {
	c, problems := Parse(BuiltinFile, builtinRules)
	if len(problems) > 0 {
		return nil, ProblemsError(problems)
	}
	for i := range c.Rules {
		c.Rules[i].Origin = OriginBuiltin
	}
	return c, nil
}

// Merge returns a catalogue with the rules of c followed by those of
// extra; an id in both is an error (an organisation adds rules, it does not
// silently replace the cited ones).
func Merge(c, extra *Catalogue) (*Catalogue, error) {
	out := &Catalogue{Rules: append([]Rule(nil), c.Rules...)}
	seen := map[string]bool{}
	for _, r := range c.Rules {
		seen[r.ID] = true
	}
	for _, r := range extra.Rules {
		if seen[r.ID] {
			return nil, fmt.Errorf("rule %s (%s) has the id of a rule already loaded; give it its own id", r.ID, r.Origin)
		}
		seen[r.ID] = true
		out.Rules = append(out.Rules, r)
	}
	return out, nil
}

// Parse reads and checks a rules file. It returns the catalogue (nil when
// the YAML cannot be decoded) and every problem, sorted by position; rules
// with problems must not be used.
func Parse(file string, src []byte) (*Catalogue, []Problem) {
	return parse(file, src, parseOptions{})
}

// parseOptions are the extra checks of an organisation's rules on the
// server.
type parseOptions struct {
	// reserved are ids an organisation's rule may not take (the built-in
	// rules'), reported at the clashing id.
	reserved map[string]bool
	// allowEmpty accepts "rules: []": an organisation with no rules of its
	// own any more.
	allowEmpty bool
}

func parse(file string, src []byte, opt parseOptions) (*Catalogue, []Problem) {
	l := &linter{file: file, parseOptions: opt}
	if len(src) > MaxRulesFile {
		l.problems = append(l.problems, Problem{File: file, Line: 1, Column: 1, Message: fmt.Sprintf("file is larger than %d bytes", MaxRulesFile)})
		return nil, l.problems
	}
	var doc File
	f, err := yamlsafe.Decode(src, &doc)
	if err != nil {
		l.fromYAMLError(err)
		return nil, l.problems
	}
	l.ast = f
	l.check(&doc)
	sort.SliceStable(l.problems, func(i, j int) bool {
		a, b := l.problems[i], l.problems[j]
		if a.Line != b.Line {
			return a.Line < b.Line
		}
		return a.Column < b.Column
	})
	for i := range doc.Rules {
		doc.Rules[i].Origin = file
	}
	return &Catalogue{Rules: doc.Rules}, l.problems
}

type linter struct {
	parseOptions
	file     string
	ast      *ast.File
	problems []Problem
}

func (l *linter) fromYAMLError(err error) {
	pos, msg, _ := yamlsafe.ErrorAt(err)
	l.problems = append(l.problems, Problem{File: l.file, Line: pos.Line, Column: pos.Column, Message: msg})
}

// at records a problem at a YAML path; a missing field is reported at the
// nearest parent that exists.
func (l *linter) at(path, format string, args ...any) {
	pos := yamlsafe.PathPosition(l.ast, path)
	l.problems = append(l.problems, Problem{File: l.file, Line: pos.Line, Column: pos.Column, Message: fmt.Sprintf(format, args...)})
}

var idRE = regexp.MustCompile(`^[a-z0-9][a-z0-9-]{1,79}$`)

func (l *linter) check(doc *File) {
	if doc.Version != 1 {
		l.at("$.version", "version must be 1")
	}
	switch {
	case doc.Rules == nil && l.allowEmpty:
		l.at("$", "rules is required: list your rules, or write \"rules: []\" to have none")
	case len(doc.Rules) == 0 && !l.allowEmpty:
		l.at("$.rules", "rules is required and must list at least one rule")
	}
	ids := map[string]int{}
	for i := range doc.Rules {
		r := &doc.Rules[i]
		p := fmt.Sprintf("$.rules[%d]", i)
		if !idRE.MatchString(r.ID) {
			l.at(p+".id", "id %q must be 2-80 lower-case letters, digits and dashes", r.ID)
		} else if j, dup := ids[r.ID]; dup {
			l.at(p+".id", "id %q is already used by rule %d", r.ID, j+1)
		} else if l.reserved[r.ID] {
			l.at(p+".id", "id %q is the id of a built-in rule; an organisation adds rules, it does not replace the cited ones: give yours its own id (prefix it with your organisation's name, say)", r.ID)
		}
		ids[r.ID] = i
		for _, f := range []struct{ name, v string }{{"title", r.Title}, {"jurisdiction", r.Jurisdiction}, {"regime", r.Regime}, {"recipient.name", r.Recipient.Name}} {
			if strings.TrimSpace(f.v) == "" {
				l.at(p+"."+f.name, "%s is required", f.name)
			}
		}
		if !known(RecipientKinds, r.Recipient.Kind) {
			l.at(p+".recipient.kind", "unknown recipient kind %q; use one of %s", r.Recipient.Kind, oneOf(RecipientKinds))
		}
		l.checkApplies(p+".applies", &r.Applies)
		if !known(Events, r.Clock.Event) {
			l.at(p+".clock.event", "unknown event %q; use one of %s", r.Clock.Event, oneOf(Events))
		}
		l.checkDeadline(p+".deadline", &r.Deadline)
		names := map[string]bool{strings.ToLower(r.initialName()): true}
		for j := range r.Stages {
			s := &r.Stages[j]
			sp := fmt.Sprintf("%s.stages[%d]", p, j)
			if strings.TrimSpace(s.Name) == "" {
				l.at(sp+".name", "name is required")
			}
			switch ref, isStage := strings.CutPrefix(s.From, "stage:"); {
			case s.From == "":
			case isStage:
				if !names[strings.ToLower(ref)] {
					l.at(sp+".from", "from %q names no earlier stage of this rule", s.From)
				}
			case !known(Events, s.From):
				l.at(sp+".from", "unknown event %q; use one of %s, or stage:NAME", s.From, oneOf(Events))
			}
			names[strings.ToLower(s.Name)] = true
			l.checkDeadline(sp+".deadline", &s.Deadline)
		}
		if len(r.Citations) == 0 {
			l.at(p+".citations", "citations is required: at least one source a lawyer can open")
		}
		for j, c := range r.Citations {
			cp := fmt.Sprintf("%s.citations[%d]", p, j)
			if strings.TrimSpace(c.Title) == "" {
				l.at(cp+".title", "title is required")
			}
			if u, err := url.Parse(c.URL); err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
				l.at(cp+".url", "url %q must be an absolute http(s) URL", c.URL)
			}
		}
		if !known(Confidences, r.Confidence) {
			l.at(p+".confidence", "unknown confidence %q; use one of %s", r.Confidence, oneOf(Confidences))
		}
		if !known(Statuses, r.Status) {
			l.at(p+".status", "unknown status %q; use one of %s", r.Status, oneOf(Statuses))
		}
		if r.Effective != "" {
			t, err := time.Parse(time.DateOnly, r.Effective)
			if err != nil {
				l.at(p+".effective", "effective %q is not a date; write YYYY-MM-DD", r.Effective)
			}
			r.effective = t
		}
		if r.Status == "not_yet_in_force" && r.Effective == "" {
			l.at(p+".effective", "a rule not yet in force needs its effective date (or status proposed when there is none)")
		}
	}
}

func (l *linter) checkWords(path, what string, vocab, got []string) {
	for i, w := range got {
		if !known(vocab, w) {
			l.at(fmt.Sprintf("%s[%d]", path, i), "unknown %s %q; use one of %s", what, w, oneOf(vocab))
		}
	}
}

func (l *linter) checkJurisdictions(path string, got []string) {
	for i, j := range got {
		if msg := checkJurisdiction(j); msg != "" {
			l.at(fmt.Sprintf("%s[%d]", path, i), "jurisdiction %q %s", j, msg)
		}
	}
}

func (l *linter) checkApplies(p string, a *Applicability) {
	l.checkJurisdictions(p+".organisation_in", a.OrganisationIn)
	l.checkJurisdictions(p+".affected_in", a.AffectedIn)
	if t := a.Affected; t != nil {
		l.checkJurisdictions(p+".affected.in", t.In)
		if t.Min < 1 {
			l.at(p+".affected.min", "min must be at least 1")
		}
		if t.Max != 0 && t.Max < t.Min {
			l.at(p+".affected.max", "max %d is below min %d", t.Max, t.Min)
		}
		if t.Per != "" && t.Per != "total" && t.Per != "jurisdiction" {
			l.at(p+".affected.per", "per must be total or jurisdiction, not %q", t.Per)
		}
	}
	l.checkWords(p+".sectors", "sector", Sectors, a.Sectors)
	l.checkWords(p+".entity_types", "entity type", EntityTypes, a.EntityTypes)
	l.checkWords(p+".exclude_entity_types", "entity type", EntityTypes, a.ExcludeEntityTypes)
	l.checkWords(p+".data_types", "data type", DataTypes, a.DataTypes)
}

func (l *linter) checkDeadline(p string, d *Deadline) {
	set := 0
	for _, n := range []int{d.Hours, d.CalendarDays, d.BusinessDays, d.Months} {
		if n < 0 {
			l.at(p, "durations must be positive")
		}
		if n != 0 {
			set++
		}
	}
	if d.ASAP {
		set++
	}
	if set != 1 {
		l.at(p, "set exactly one of hours, calendar_days, business_days, months or asap: true")
	}
	if d.BusinessDays != 0 && !known(CalendarNames, d.Calendar) {
		l.at(p+".calendar", "business_days needs a calendar: one of %s", oneOf(CalendarNames))
	}
	if d.BusinessDays == 0 && d.Calendar != "" {
		l.at(p+".calendar", "calendar applies only to business_days")
	}
	dayBased := d.CalendarDays != 0 || d.BusinessDays != 0 || d.Months != 0
	if dayBased && d.TimeZone == "" {
		l.at(p+".time_zone", "day-based deadlines end at the end of a day: give the regime's time_zone (IANA name, like America/New_York)")
	}
	if d.TimeZone != "" {
		if _, err := time.LoadLocation(d.TimeZone); err != nil || d.TimeZone == "Local" {
			l.at(p+".time_zone", "unknown time zone %q; use an IANA name like Europe/Brussels", d.TimeZone)
		}
	}
	if c := d.NoLaterThan; c != nil {
		if c.Hours < 1 {
			l.at(p+".no_later_than.hours", "hours must be at least 1")
		}
		if !known(Events, c.From) {
			l.at(p+".no_later_than.from", "unknown event %q; use one of %s", c.From, oneOf(Events))
		}
	}
	if d.Basis != "" && d.Basis != "statute" && d.Basis != "guidance" && d.Basis != "contract" {
		l.at(p+".basis", "basis must be statute, guidance or contract, not %q", d.Basis)
	}
	if strings.TrimSpace(d.Text) == "" {
		l.at(p+".text", "text is required: the deadline in words, as the source puts it")
	}
}
