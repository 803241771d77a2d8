package plan

import (
	"fmt"
	"slices"
	"strings"
	"time"
)

// graph checks what links steps together: dependencies (no unknown ids,
// no cycles), conditions (no step that can never apply, no step waiting
// for one that may not exist) and due offsets (computable, and never
// before a dependency is due).
func (l *linter) graph(p *Plan) {
	idx := map[string]int{}
	for i, s := range p.Steps {
		if _, dup := idx[s.ID]; !dup {
			idx[s.ID] = i
		}
	}
	for i, s := range p.Steps {
		for j, a := range s.After {
			path := fmt.Sprintf("$.steps[%d].after[%d]", i, j)
			switch _, ok := idx[a]; {
			case a == s.ID:
				l.at(path, "step %q cannot depend on itself", s.ID)
			case !ok:
				l.at(path, "step %q depends on %q, which is not a step of this plan", s.ID, a)
			}
		}
	}
	l.cycles(p, idx)
	due := l.dues(p, idx)
	for i, s := range p.Steps {
		path := fmt.Sprintf("$.steps[%d]", i)
		if why := never(s.When, p.AppliesTo); why != "" {
			l.at(path+".when", "step %q is unreachable: %s", s.ID, why)
		}
		for j, a := range s.After {
			k, ok := idx[a]
			if !ok {
				continue
			}
			dep := p.Steps[k]
			if !implies(s.When, dep.When, p.AppliesTo) {
				l.at(fmt.Sprintf("%s.after[%d]", path, j), "step %q is unreachable for some incidents: it waits for %q, which only applies %s; give it the same condition",
					s.ID, a, describe(dep.When))
			}
			ds, okS := due[s.ID]
			dd, okD := due[a]
			if okS && okD && dd > ds {
				l.at(path+".due", "impossible offset: step %q is due %s after declaration, before %q (due %s), which it waits for",
					s.ID, human(ds), a, human(dd))
			}
		}
	}
	// A due time anchored to a step needs that step to exist whenever this
	// one does.
	for i, s := range p.Steps {
		if k, ok := idx[s.Due.From]; ok && s.Due.From != "" && !implies(s.When, p.Steps[k].When, p.AppliesTo) {
			l.at(fmt.Sprintf("$.steps[%d].due", i), "step %q is due relative to %q, which only applies %s; give it the same condition",
				s.ID, s.Due.From, describe(p.Steps[k].When))
		}
	}
	for i, d := range p.Decisions {
		path := fmt.Sprintf("$.decisions[%d]", i)
		if why := never(d.When, p.AppliesTo); why != "" {
			l.at(path+".when", "decision %q is unreachable: %s", d.ID, why)
		}
		if k, ok := idx[d.Due.From]; ok && d.Due.From != "" {
			switch {
			case p.Steps[k].Due.IsZero():
				l.at(path+".due", "decision %q is due relative to %q, which has no due time", d.ID, d.Due.From)
			case !implies(d.When, p.Steps[k].When, p.AppliesTo):
				l.at(path+".due", "decision %q is due relative to %q, which only applies %s; give it the same condition",
					d.ID, d.Due.From, describe(p.Steps[k].When))
			}
		}
		if d.Due.IsZero() {
			continue
		}
		if _, err := parseDuration(d.Due.Offset); err != nil {
			l.at(path+".due", "decision %q: %s", d.ID, err)
		}
		if d.Due.From != "" {
			if _, ok := idx[d.Due.From]; !ok {
				l.at(path+".due", "decision %q is due relative to %q, which is not a step of this plan", d.ID, d.Due.From)
			}
		}
	}
}

// cycles reports each dependency cycle once, at the step that closes it.
func (l *linter) cycles(p *Plan, idx map[string]int) {
	const (
		unseen = iota
		active
		done
	)
	state := make([]int, len(p.Steps))
	var stack []string
	var visit func(i int)
	visit = func(i int) {
		state[i] = active
		stack = append(stack, p.Steps[i].ID)
		for j, a := range p.Steps[i].After {
			k, ok := idx[a]
			if !ok || a == p.Steps[i].ID {
				continue
			}
			switch state[k] {
			case active:
				start := slices.Index(stack, a)
				cycle := append(slices.Clone(stack[start:]), a)
				l.at(fmt.Sprintf("$.steps[%d].after[%d]", i, j), "dependency cycle: %s", strings.Join(cycle, " → "))
			case unseen:
				visit(k)
			}
		}
		stack = stack[:len(stack)-1]
		state[i] = done
	}
	for i := range p.Steps {
		if state[i] == unseen {
			visit(i)
		}
	}
}

// dues computes each step's due time as an offset from declaration,
// reporting unparseable offsets, unknown anchors and cycles of anchors.
func (l *linter) dues(p *Plan, idx map[string]int) map[string]time.Duration {
	out := map[string]time.Duration{}
	bad := map[string]bool{}
	var resolve func(i int, chain []string) (time.Duration, bool)
	resolve = func(i int, chain []string) (time.Duration, bool) {
		s := p.Steps[i]
		if d, ok := out[s.ID]; ok {
			return d, true
		}
		if bad[s.ID] || s.Due.IsZero() {
			return 0, false
		}
		path := fmt.Sprintf("$.steps[%d].due", i)
		off, err := parseDuration(s.Due.Offset)
		if err != nil {
			bad[s.ID] = true
			l.at(path, "step %q: impossible offset: %s", s.ID, err)
			return 0, false
		}
		if s.Due.From == "" {
			out[s.ID] = off
			return off, true
		}
		k, ok := idx[s.Due.From]
		if !ok {
			bad[s.ID] = true
			l.at(path, "step %q is due relative to %q, which is not a step of this plan", s.ID, s.Due.From)
			return 0, false
		}
		if slices.Contains(chain, s.ID) {
			bad[s.ID] = true
			l.at(path, "impossible offset: due times form a cycle: %s → %s", strings.Join(chain, " → "), s.ID)
			return 0, false
		}
		if p.Steps[k].Due.IsZero() {
			bad[s.ID] = true
			l.at(path, "step %q is due relative to %q, which has no due time", s.ID, s.Due.From)
			return 0, false
		}
		base, ok := resolve(k, append(chain, s.ID))
		if !ok {
			bad[s.ID] = true
			return 0, false
		}
		out[s.ID] = base + off
		return base + off, true
	}
	for i := range p.Steps {
		resolve(i, nil)
	}
	return out
}

// holds reports the severities and types for which c holds, within what
// the plan applies to.
func holds(c Condition, a AppliesTo) (sevs, typs []string) {
	sevs, typs = a.Severities, a.Types
	if len(sevs) == 0 {
		sevs = severities
	}
	if len(typs) == 0 {
		typs = types
	}
	if c.SeverityAtLeast != "" {
		limit := slices.Index(severities, c.SeverityAtLeast)
		sevs = slices.DeleteFunc(slices.Clone(sevs), func(s string) bool { return slices.Index(severities, s) > limit })
	}
	if len(c.Types) > 0 {
		typs = slices.DeleteFunc(slices.Clone(typs), func(t string) bool { return !slices.Contains(c.Types, t) })
	}
	return sevs, typs
}

// never says why c can never hold for an incident the plan applies to, or "".
func never(c Condition, a AppliesTo) string {
	sevs, typs := holds(c, a)
	switch {
	case len(sevs) == 0:
		return fmt.Sprintf("it needs severity %s or higher, but the plan applies only to %s", c.SeverityAtLeast, oneOf(a.Severities))
	case len(typs) == 0:
		return fmt.Sprintf("it needs type %s, but the plan applies only to %s", oneOf(c.Types), oneOf(a.Types))
	}
	return ""
}

// implies reports whether every incident for which c holds also satisfies d.
func implies(c, d Condition, a AppliesTo) bool {
	cs, ct := holds(c, a)
	ds, dt := holds(d, a)
	for _, s := range cs {
		if !slices.Contains(ds, s) {
			return false
		}
	}
	for _, t := range ct {
		if !slices.Contains(dt, t) {
			return false
		}
	}
	if len(d.TagsAny) == 0 {
		return true
	}
	if len(c.TagsAny) == 0 {
		return false
	}
	for _, t := range c.TagsAny {
		if !slices.Contains(d.TagsAny, t) {
			return false
		}
	}
	return true
}

func describe(c Condition) string {
	var parts []string
	if c.SeverityAtLeast != "" {
		parts = append(parts, "at "+c.SeverityAtLeast+" or higher")
	}
	if len(c.Types) > 0 {
		parts = append(parts, "to "+oneOf(c.Types))
	}
	if len(c.TagsAny) > 0 {
		parts = append(parts, "with a tag of "+oneOf(c.TagsAny))
	}
	return strings.Join(parts, ", ")
}

func human(d time.Duration) string {
	switch {
	case d%(24*time.Hour) == 0 && d > 0:
		return fmt.Sprintf("%dd", d/(24*time.Hour))
	case d%time.Hour == 0:
		return fmt.Sprintf("%dh", d/time.Hour)
	}
	return fmt.Sprintf("%dm", d/time.Minute)
}
