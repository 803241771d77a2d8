package incident

import (
	"context"
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/warroom/warroom/internal/actor"
	"github.com/warroom/warroom/internal/db"
	"github.com/warroom/warroom/internal/record"
)

// Planner turns an IR plan into tasks. The incident service calls it
// inside the transaction of a declaration, and after changes that can make
// more of a plan apply (severity, type, tags, roster). The plan package
// implements it; the incident package does not know plans.
type Planner interface {
	// Apply brings the incident's plan tasks up to date. At declaration
	// (declaring true) choice is what the declarer asked for: "" to pick
	// by type and severity, "none" for no plan, or a plan id. Afterwards
	// only the plan chosen then is followed.
	Apply(ctx context.Context, tx *db.Tx, a *actor.Actor, now time.Time, i Incident, declaring bool, choice string) error
}

// PlannedTask is a task a plan step (or decision) asks for.
type PlannedTask struct {
	Step        string // the step or decision id; one task per step per incident
	Title       string
	Description string
	Phase       Phase
	Role        string
	DueAt       *time.Time
	After       []string // steps this one waits for
}

// PlanResult says what ApplyPlan changed.
type PlanResult struct {
	Created []int64 // task numbers created
	Filled  []int64 // task numbers whose owner was filled from the roster
}

// ApplyPlan records the plan on the incident, creates the tasks of steps
// that have none yet, and gives plan tasks without an owner the person who
// holds their role. It never removes, duplicates or reopens a task. One
// timeline entry records what changed; nothing changed writes none.
func ApplyPlan(ctx context.Context, tx *db.Tx, a *actor.Actor, now time.Time, i Incident, planID string, version int, steps []PlannedTask) (PlanResult, error) {
	var res PlanResult
	recordPlan := i.PlanID != planID || i.PlanVersion != version
	if recordPlan {
		if _, err := tx.ExecContext(ctx, `UPDATE incidents SET plan_id = $1, plan_version = $2 WHERE id = $3`, planID, version, i.ID); err != nil {
			return res, fmt.Errorf("record plan on %s: %w", i.Ref, err)
		}
	}
	existing, err := listTasks(ctx, tx, now, i, "")
	if err != nil {
		return res, err
	}
	byStep := map[string]Task{}
	for _, t := range existing {
		if t.PlanStep != "" {
			byStep[t.PlanStep] = t
		}
	}
	holders, err := roleHolders(ctx, tx, i.ID)
	if err != nil {
		return res, err
	}
	// Create first, then link dependencies: a step may wait for one
	// listed after it.
	var fresh []PlannedTask
	for _, p := range steps {
		if _, ok := byStep[p.Step]; ok {
			continue
		}
		t := Task{ID: db.NewID(), IncidentRef: i.Ref, Title: p.Title, Description: p.Description, Phase: p.Phase, Role: p.Role,
			DueAt: p.DueAt, Status: "open", CreatedBy: a.UserID, CreatedAt: now, UpdatedAt: now, Version: 1, PlanStep: p.Step}
		if h, ok := holders[p.Role]; ok {
			t.OwnerID = h
		}
		if t.Number, err = nextTaskNumber(ctx, tx, i.ID); err != nil {
			return res, err
		}
		if err := insertTask(ctx, tx, i.ID, t); err != nil {
			return res, err
		}
		byStep[p.Step] = t
		fresh = append(fresh, p)
		res.Created = append(res.Created, t.Number)
	}
	for _, p := range fresh {
		var deps []int64
		for _, step := range p.After {
			if d, ok := byStep[step]; ok {
				deps = append(deps, d.Number)
			}
		}
		if err := setDependencies(ctx, tx, i.ID, byStep[p.Step].ID, uniqueSorted(deps)); err != nil {
			return res, err
		}
	}
	for _, t := range existing {
		h, ok := holders[t.Role]
		if t.PlanStep == "" || t.OwnerID != "" || !ok || t.Status.finished() {
			continue
		}
		if _, err := tx.ExecContext(ctx, `UPDATE tasks SET owner_id = $1, updated_at = $2, version = version + 1 WHERE id = $3 AND owner_id IS NULL`,
			h, now, t.ID); err != nil {
			return res, fmt.Errorf("fill owner of task %d: %w", t.Number, err)
		}
		res.Filled = append(res.Filled, t.Number)
	}
	if !recordPlan && len(res.Created) == 0 && len(res.Filled) == 0 {
		return res, nil
	}
	_, err = record.Append(ctx, tx, a, now, record.NewEntry{OrgID: i.orgID, IncidentID: i.ID, Kind: KindPlanApplied,
		Text:    describePlan(planID, version, res, recordPlan),
		Payload: map[string]any{"plan_id": planID, "plan_version": version, "created": res.Created, "owners_filled": res.Filled}})
	return res, err
}

// KindPlanApplied is the timeline kind for plan changes to an incident.
const KindPlanApplied = "plan_applied"

func describePlan(id string, version int, r PlanResult, first bool) string {
	var parts []string
	if first {
		parts = append(parts, fmt.Sprintf("Following plan %s v%d", id, version))
	} else {
		parts = append(parts, fmt.Sprintf("Plan %s v%d", id, version))
	}
	if len(r.Created) > 0 {
		parts = append(parts, fmt.Sprintf("%d task(s) added (%s)", len(r.Created), numberList(r.Created)))
	}
	if len(r.Filled) > 0 {
		parts = append(parts, fmt.Sprintf("owners filled from the roster for %s", numberList(r.Filled)))
	}
	return strings.Join(parts, ": ")
}

func numberList(ns []int64) string {
	if len(ns) > 1 && ns[len(ns)-1]-ns[0] == int64(len(ns)-1) {
		return fmt.Sprintf("#%d–#%d", ns[0], ns[len(ns)-1])
	}
	parts := make([]string, len(ns))
	for k, n := range ns {
		parts[k] = fmt.Sprintf("#%d", n)
	}
	return strings.Join(parts, ", ")
}

// roleHolders maps each role to the person who has held it longest among
// its current holders: the natural owner of that role's tasks.
func roleHolders(ctx context.Context, tx *db.Tx, incidentID string) (map[string]string, error) {
	rows, err := tx.QueryContext(ctx, `SELECT role_key, user_id FROM roster_assignments
		WHERE incident_id = $1 AND released_at IS NULL ORDER BY assigned_at, id`, incidentID)
	if err != nil {
		return nil, fmt.Errorf("load roster: %w", err)
	}
	defer rows.Close()
	out := map[string]string{}
	for rows.Next() {
		var role, user string
		if err := rows.Scan(&role, &user); err != nil {
			return nil, err
		}
		if _, ok := out[role]; !ok {
			out[role] = user
		}
	}
	return out, rows.Err()
}

// applyPlanner runs the planner, if there is one, for the incident as it
// now is in tx.
func (s *Service) applyPlanner(ctx context.Context, tx *db.Tx, a *actor.Actor, now time.Time, ref string, declaring bool, choice string) error {
	if s.Planner == nil {
		return nil
	}
	// Read the incident as it stands inside this transaction, without the
	// need-to-know filter: the actor may just have restricted it.
	var i Incident
	var err error
	if i, err = loadIncidentRow(ctx, tx, &actor.Actor{OrgID: a.OrgID, Role: actor.Admin}, ref); err != nil {
		return err
	}
	tags := append([]string(nil), i.Tags...)
	sort.Strings(tags)
	i.Tags = tags
	return s.Planner.Apply(ctx, tx, a, now, i, declaring, choice)
}

// Holder is a person who currently holds a role on an incident.
type Holder struct {
	Role   string
	UserID string
	Name   string
	Email  string
}

// Holders returns who currently holds any of roles on an incident, for
// capabilities that reach people by role (escalation pages).
func Holders(ctx context.Context, tx *db.Tx, incidentID string, roles []string) ([]Holder, error) {
	rows, err := tx.QueryContext(ctx, `SELECT r.role_key, u.id, u.name, u.email FROM roster_assignments r
		JOIN users u ON u.id = r.user_id WHERE r.incident_id = $1 AND r.released_at IS NULL ORDER BY r.assigned_at, r.id`, incidentID)
	if err != nil {
		return nil, fmt.Errorf("load roster: %w", err)
	}
	defer rows.Close()
	var out []Holder
	for rows.Next() {
		var h Holder
		if err := rows.Scan(&h.Role, &h.UserID, &h.Name, &h.Email); err != nil {
			return nil, err
		}
		for _, r := range roles {
			if r == h.Role {
				out = append(out, h)
				break
			}
		}
	}
	return out, rows.Err()
}

// Brief is what a notification may say about an incident.
type Brief struct {
	Ref, Title, Severity string
	Restricted           bool
	Status               Status
}

// BriefOf reads an incident's reference, title and severity by ID, for
// capabilities acting on the system's behalf (no actor, no need-to-know
// filter: the caller decides what to reveal).
func BriefOf(ctx context.Context, tx *db.Tx, incidentID string) (Brief, error) {
	var b Brief
	err := tx.QueryRowContext(ctx, `SELECT ref, title, severity, restricted, status FROM incidents WHERE id = $1`, incidentID).
		Scan(&b.Ref, &b.Title, &b.Severity, &b.Restricted, &b.Status)
	if err != nil {
		return b, fmt.Errorf("load incident %s: %w", incidentID, err)
	}
	return b, nil
}
