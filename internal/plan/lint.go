package plan

import (
	"fmt"
	"regexp"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/goccy/go-yaml/ast"

	"github.com/warroom/warroom/internal/incident"
	"github.com/warroom/warroom/internal/org"
	"github.com/warroom/warroom/internal/yamlsafe"
)

// Problem is one thing wrong with a plan, where it is.
type Problem struct {
	File    string `json:"file"`
	Line    int    `json:"line"`
	Column  int    `json:"column"`
	Message string `json:"message"`
}

func (p Problem) String() string {
	return fmt.Sprintf("%s:%d:%d: %s", p.File, p.Line, p.Column, p.Message)
}

// Roles is the set of role keys a plan may name.
type Roles map[string]bool

// BuiltinRoles is the catalogue every organisation starts with.
func BuiltinRoles() Roles {
	r := Roles{}
	for _, role := range org.BuiltinRoles {
		r[role.Key] = true
	}
	return r
}

var (
	idRE      = regexp.MustCompile(`^[a-z0-9][a-z0-9-]{1,62}$`)
	contactRE = regexp.MustCompile(`^[a-z0-9][a-z0-9._-]{0,62}$`)
	tagRE     = regexp.MustCompile(`^[a-z0-9][a-z0-9:._/-]{0,63}$`)
)

// Parse reads and checks a plan. It returns the plan (nil when the YAML
// cannot be decoded) and every problem found, sorted by position. A plan
// with problems must not be used. roles nil skips the role check.
func Parse(file string, src []byte, roles Roles) (*Plan, []Problem) {
	l := &linter{file: file, roles: roles}
	var p Plan
	f, err := yamlsafe.Decode(src, &p)
	if err != nil {
		l.fromYAMLError(err)
		return nil, l.problems
	}
	l.ast = f
	l.check(&p)
	sort.SliceStable(l.problems, func(i, j int) bool {
		a, b := l.problems[i], l.problems[j]
		if a.Line != b.Line {
			return a.Line < b.Line
		}
		return a.Column < b.Column
	})
	return &p, l.problems
}

type linter struct {
	file     string
	roles    Roles
	ast      *ast.File
	problems []Problem
}

func (l *linter) fromYAMLError(err error) {
	pos, msg, _ := yamlsafe.ErrorAt(err)
	l.problems = append(l.problems, Problem{File: l.file, Line: pos.Line, Column: pos.Column, Message: msg})
}

// at records a problem at a YAML path like "$.steps[2].role"; when the
// path has no node (a missing field), the nearest parent that exists is used.
func (l *linter) at(path, format string, args ...any) {
	pos := yamlsafe.PathPosition(l.ast, path)
	l.problems = append(l.problems, Problem{File: l.file, Line: pos.Line, Column: pos.Column, Message: fmt.Sprintf(format, args...)})
}

func oneOf(values []string) string { return strings.Join(values, ", ") }

func names[T ~string](vs []T) []string {
	out := make([]string, len(vs))
	for i, v := range vs {
		out[i] = string(v)
	}
	return out
}

var (
	types      = names(incident.Types)
	severities = names(incident.Severities)
	phases     = names(incident.Phases)
)

func (l *linter) check(p *Plan) {
	if !idRE.MatchString(p.ID) {
		l.at("$.id", "id %q must be 2-63 lower-case letters, digits and dashes", p.ID)
	}
	if p.Version < 1 {
		l.at("$.version", "version must be an integer of at least 1")
	}
	if t := strings.TrimSpace(p.Title); t == "" || len([]rune(t)) > 200 {
		l.at("$.title", "title is required (up to 200 characters)")
	}
	for i, t := range p.AppliesTo.Types {
		if !slices.Contains(types, t) {
			l.at(fmt.Sprintf("$.applies_to.types[%d]", i), "unknown incident type %q; use one of %s", t, oneOf(types))
		}
	}
	for i, s := range p.AppliesTo.Severities {
		if !slices.Contains(severities, s) {
			l.at(fmt.Sprintf("$.applies_to.severities[%d]", i), "unknown severity %q; use one of %s", s, oneOf(severities))
		}
	}
	for i, r := range p.RequiredRoles {
		l.role(fmt.Sprintf("$.required_roles[%d]", i), r)
	}
	planPhases := p.Phases
	if len(planPhases) == 0 {
		planPhases = phases
	}
	for i, ph := range p.Phases {
		if !slices.Contains(phases, ph) {
			l.at(fmt.Sprintf("$.phases[%d]", i), "unknown phase %q; use one of %s", ph, oneOf(phases))
		} else if slices.Index(p.Phases, ph) != i {
			l.at(fmt.Sprintf("$.phases[%d]", i), "phase %q is listed twice", ph)
		}
	}
	if len(p.Steps) == 0 {
		l.at("$.steps", "a plan needs at least one step")
	}
	seen := map[string]string{} // id -> path of first use
	for i, s := range p.Steps {
		path := fmt.Sprintf("$.steps[%d]", i)
		l.uniqueID(seen, path, s.ID, "step")
		if t := strings.TrimSpace(s.Title); t == "" || len([]rune(t)) > 200 {
			l.at(path+".title", "step %q needs a title of up to 200 characters", s.ID)
		}
		if len(stepText(s)) > 20000 {
			l.at(path+".instructions", "step %q: instructions and checklist must fit in 20000 bytes", s.ID)
		}
		if !slices.Contains(planPhases, s.Phase) {
			l.at(path+".phase", "step %q: phase %q is not one of the plan's phases (%s)", s.ID, s.Phase, oneOf(planPhases))
		}
		if s.Role == "" {
			l.at(path+".role", "step %q needs a role that owns it", s.ID)
		} else {
			l.role(path+".role", s.Role)
		}
		l.condition(path+".when", s.When)
		for j, c := range s.Checklist {
			if strings.TrimSpace(c) == "" {
				l.at(fmt.Sprintf("%s.checklist[%d]", path, j), "empty checklist item")
			}
		}
	}
	for i, d := range p.Decisions {
		path := fmt.Sprintf("$.decisions[%d]", i)
		l.uniqueID(seen, path, d.ID, "decision")
		if strings.TrimSpace(d.Question) == "" {
			l.at(path+".question", "decision %q needs a question", d.ID)
		}
		if len(d.Roles) == 0 {
			l.at(path+".roles", "decision %q needs the roles who decide", d.ID)
		}
		for j, r := range d.Roles {
			l.role(fmt.Sprintf("%s.roles[%d]", path, j), r)
		}
		if !slices.Contains(planPhases, d.Phase) {
			l.at(path+".phase", "decision %q: phase %q is not one of the plan's phases (%s)", d.ID, d.Phase, oneOf(planPhases))
		}
		l.condition(path+".when", d.When)
	}
	l.graph(p)
	l.escalation(p)
}

func (l *linter) uniqueID(seen map[string]string, path, id, what string) {
	if !idRE.MatchString(id) {
		l.at(path+".id", "%s id %q must be 2-63 lower-case letters, digits and dashes", what, id)
		return
	}
	if first, dup := seen[id]; dup {
		l.at(path+".id", "duplicate id %q (first used at %s)", id, first)
		return
	}
	seen[id] = path
}

func (l *linter) role(path, role string) {
	if l.roles == nil {
		return // a stored plan: its roles were checked when it was imported
	}
	if !l.roles[role] {
		known := make([]string, 0, len(l.roles))
		for r := range l.roles {
			known = append(known, r)
		}
		sort.Strings(known)
		l.at(path, "unknown role %q; the catalogue has %s", role, oneOf(known))
	}
}

func (l *linter) condition(path string, c Condition) {
	if c.SeverityAtLeast != "" && !slices.Contains(severities, c.SeverityAtLeast) {
		l.at(path+".severity_at_least", "unknown severity %q; use one of %s", c.SeverityAtLeast, oneOf(severities))
	}
	for i, t := range c.Types {
		if !slices.Contains(types, t) {
			l.at(fmt.Sprintf("%s.types[%d]", path, i), "unknown incident type %q; use one of %s", t, oneOf(types))
		}
	}
	for i, t := range c.TagsAny {
		if !tagRE.MatchString(t) {
			l.at(fmt.Sprintf("%s.tags_any[%d]", path, i), "%q is not a tag (lower-case letters, digits and : . _ / -)", t)
		}
	}
}

func (l *linter) escalation(p *Plan) {
	for i, e := range p.Escalation {
		path := fmt.Sprintf("$.escalation[%d]", i)
		for j, s := range e.Severities {
			if !slices.Contains(severities, s) {
				l.at(fmt.Sprintf("%s.severities[%d]", path, j), "unknown severity %q; use one of %s", s, oneOf(severities))
			}
		}
		if len(e.Channels) == 0 {
			l.at(path+".channels", "escalation needs at least one channel (%s)", oneOf(Channels))
		}
		for j, c := range e.Channels {
			if !slices.Contains(Channels, c) {
				l.at(fmt.Sprintf("%s.channels[%d]", path, j), "unknown channel %q; use one of %s", c, oneOf(Channels))
			}
		}
		if e.RenotifyEvery != "" {
			if d, err := parseDuration(e.RenotifyEvery); err != nil {
				l.at(path+".renotify_every", "renotify_every: %s", err)
			} else if d < time.Minute {
				l.at(path+".renotify_every", "renotify_every must be at least 1m")
			}
		}
		if len(e.Levels) == 0 {
			l.at(path+".levels", "escalation needs at least one level")
		}
		var prev time.Duration
		for j, lv := range e.Levels {
			lp := fmt.Sprintf("%s.levels[%d]", path, j)
			d, err := parseDuration(lv.After)
			if err != nil {
				l.at(lp+".after", "after: %s", err)
			} else if d < prev {
				l.at(lp+".after", "level %d pages at %s, before the level above it (%s)", j+1, lv.After, human(prev))
			} else {
				prev = d
			}
			if len(lv.Roles)+len(lv.Contacts) == 0 {
				l.at(lp, "level %d pages nobody: give roles or contacts", j+1)
			}
			for k, r := range lv.Roles {
				l.role(fmt.Sprintf("%s.roles[%d]", lp, k), r)
			}
			for k, c := range lv.Contacts {
				if !contactRE.MatchString(c) {
					l.at(fmt.Sprintf("%s.contacts[%d]", lp, k), "%q is not a contact id", c)
				}
			}
		}
	}
}
