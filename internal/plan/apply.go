package plan

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/warroom/warroom/internal/actor"
	"github.com/warroom/warroom/internal/db"
	"github.com/warroom/warroom/internal/errs"
	"github.com/warroom/warroom/internal/incident"
	"github.com/warroom/warroom/internal/notify"
)

// NoPlan is the declaration choice for an incident without a plan.
const NoPlan = "none"

// Apply implements incident.Planner: at declaration it picks the plan
// (the declarer's choice, or the best match by type and severity) and
// creates the tasks of every step that applies; later it adds the steps
// that a higher severity, another type or a new tag make apply, and fills
// owners from the roster. The plan and version chosen at declaration stay;
// an incident declared without one is never given one later.
func (s *Service) Apply(ctx context.Context, tx *db.Tx, a *actor.Actor, now time.Time, i incident.Incident, declaring bool, choice string) error {
	if i.Status == incident.Closed {
		// A closed incident pages nobody.
		_, err := notify.Stop(ctx, tx, now, a.OrgID, i.ID)
		return err
	}
	if choice == NoPlan || (!declaring && i.PlanID == "") {
		return nil // no plan was chosen at declaration: none is imposed later
	}
	var st Stored
	var err error
	switch {
	case i.PlanID != "":
		st, err = version(ctx, tx, a.OrgID, i.PlanID, i.PlanVersion)
	case choice != "":
		st, err = latest(ctx, tx, a.OrgID, choice)
		if errs.CodeOf(err) == errs.NotFound {
			return &errs.Error{Code: errs.Invalid, Message: "unknown plan",
				Fields: []errs.FieldError{{Field: "plan", Message: fmt.Sprintf("there is no plan %q in the library (or use %q)", choice, NoPlan)}}}
		}
	default:
		var all []Stored
		if all, err = listStored(ctx, tx, a.OrgID, ""); err != nil {
			return err
		}
		var ok bool
		if st, ok = match(all, string(i.Type), string(i.Severity)); !ok {
			return nil // no plan covers this incident: work without one
		}
	}
	if err != nil {
		return err
	}
	p, err := s.parse(st)
	if err != nil {
		return err
	}
	// Offsets count from the declaration; steps that start to apply later
	// count from the moment they do, so they are not born overdue.
	anchor := i.CreatedAt
	if i.PlanID != "" {
		anchor = now
	}
	if _, err = incident.ApplyPlan(ctx, tx, a, now, i, st.PlanID, st.Version, Tasks(p, i, anchor)); err != nil {
		return err
	}
	return startPages(ctx, tx, a.OrgID, now, p, st, i)
}

// Tasks lists the tasks a plan asks for on an incident: every step and
// decision whose condition holds, due at anchor plus its offset.
func Tasks(p *Plan, i incident.Incident, anchor time.Time) []incident.PlannedTask {
	due := dueTimes(p, anchor)
	var out []incident.PlannedTask
	for _, st := range p.Steps {
		if !applies(st.When, i) {
			continue
		}
		t := incident.PlannedTask{Step: st.ID, Title: st.Title, Phase: incident.Phase(st.Phase), Role: st.Role,
			Description: stepText(st), After: st.After}
		if d, ok := due[st.ID]; ok {
			t.DueAt = &d
		}
		out = append(out, t)
	}
	for _, d := range p.Decisions {
		if !applies(d.When, i) || len(d.Roles) == 0 {
			continue
		}
		t := incident.PlannedTask{Step: d.ID, Title: shorten("Decide: "+d.Question, 200), Phase: incident.Phase(d.Phase), Role: d.Roles[0],
			Description: decisionText(d)}
		if at, ok := resolve(d.Due, due, anchor); ok {
			t.DueAt = &at
		}
		out = append(out, t)
	}
	return out
}

// applies reports whether a condition holds for an incident.
func applies(c Condition, i incident.Incident) bool {
	if c.SeverityAtLeast != "" && slices.Index(severities, string(i.Severity)) > slices.Index(severities, c.SeverityAtLeast) {
		return false
	}
	if len(c.Types) > 0 && !slices.Contains(c.Types, string(i.Type)) {
		return false
	}
	if len(c.TagsAny) > 0 && !slices.ContainsFunc(c.TagsAny, func(t string) bool { return slices.Contains(i.Tags, t) }) {
		return false
	}
	return true
}

// dueTimes resolves every step's due time; plans are linted, so anchors
// exist and do not loop (a bad one is simply left without a due time).
func dueTimes(p *Plan, anchor time.Time) map[string]time.Time {
	byID := map[string]Step{}
	for _, st := range p.Steps {
		byID[st.ID] = st
	}
	out := map[string]time.Time{}
	var get func(id string, depth int) (time.Time, bool)
	get = func(id string, depth int) (time.Time, bool) {
		if t, ok := out[id]; ok {
			return t, true
		}
		st, ok := byID[id]
		if !ok || st.Due.IsZero() || depth > len(p.Steps) {
			return time.Time{}, false
		}
		off, err := parseDuration(st.Due.Offset)
		if err != nil {
			return time.Time{}, false
		}
		base := anchor
		if st.Due.From != "" {
			if base, ok = get(st.Due.From, depth+1); !ok {
				return time.Time{}, false
			}
		}
		out[id] = db.Time(base.Add(off))
		return out[id], true
	}
	for _, st := range p.Steps {
		get(st.ID, 0)
	}
	return out
}

func resolve(d Due, steps map[string]time.Time, anchor time.Time) (time.Time, bool) {
	if d.IsZero() {
		return time.Time{}, false
	}
	off, err := parseDuration(d.Offset)
	if err != nil {
		return time.Time{}, false
	}
	base := anchor
	if d.From != "" {
		b, ok := steps[d.From]
		if !ok {
			return time.Time{}, false
		}
		base = b
	}
	return db.Time(base.Add(off)), true
}

func stepText(st Step) string {
	var b strings.Builder
	b.WriteString(strings.TrimSpace(st.Instructions))
	if len(st.Checklist) > 0 {
		if b.Len() > 0 {
			b.WriteString("\n\n")
		}
		for _, c := range st.Checklist {
			b.WriteString("- [ ] " + c + "\n")
		}
	}
	return strings.TrimRight(b.String(), "\n")
}

func decisionText(d Decision) string {
	var b strings.Builder
	fmt.Fprintf(&b, "Decided by: %s.", strings.Join(d.Roles, ", "))
	if len(d.Options) > 0 {
		b.WriteString("\n\nOptions:\n")
		for _, o := range d.Options {
			b.WriteString("- " + o + "\n")
		}
	}
	if g := strings.TrimSpace(d.Guidance); g != "" {
		b.WriteString("\n" + g)
	}
	b.WriteString("\n\nRecord the decision on the timeline (kind: decision) with who decided and why.")
	return strings.TrimSpace(b.String())
}

// shorten keeps a task title within the 200 characters tasks allow.
func shorten(s string, n int) string {
	if r := []rune(s); len(r) > n {
		return string(r[:n-1]) + "…"
	}
	return s
}
