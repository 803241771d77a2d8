package incident

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/warroom/warroom/internal/actor"
	"github.com/warroom/warroom/internal/db"
	"github.com/warroom/warroom/internal/errs"
	"github.com/warroom/warroom/internal/org"
	"github.com/warroom/warroom/internal/record"
)

// CreateTask adds a task to an incident.
func (s *Service) CreateTask(ctx context.Context, ref string, in TaskInput) (Task, error) {
	a := actor.From(ctx)
	now := db.Time(s.Now())
	var v errs.Validation
	checkTaskText(&v, &in.Title, &in.Description)
	if in.Phase != "" {
		oneOf(&v, "phase", in.Phase, Phases)
	}
	if in.Status == "" {
		in.Status = "open"
	}
	oneOf(&v, "status", in.Status, TaskStatuses)
	if err := v.Err(); err != nil {
		return Task{}, err
	}
	var out Task
	err := s.change(ctx, ref, func(tx *db.Tx, i Incident) (err error) {
		t := Task{ID: db.NewID(), IncidentRef: i.Ref, Title: in.Title, Description: in.Description, Phase: in.Phase, Status: in.Status,
			CreatedBy: a.UserID, CreatedAt: now, UpdatedAt: now, Version: 1}
		if t.Phase == "" {
			t.Phase = i.Phase
		}
		if in.DueAt != nil {
			d := db.Time(*in.DueAt)
			t.DueAt = &d
		}
		if err := s.resolveAssignee(ctx, tx, a, &t, in.Owner, in.Role); err != nil {
			return err
		}
		if t.Number, err = nextTaskNumber(ctx, tx, i.ID); err != nil {
			return err
		}
		edges, _, err := taskGraph(ctx, tx, i.ID)
		if err != nil {
			return err
		}
		deps := uniqueSorted(in.DependsOn)
		checkDependencies(&v, t.Number, deps, edges)
		if err := v.Err(); err != nil {
			return err
		}
		if err := insertTask(ctx, tx, i.ID, t); err != nil {
			return err
		}
		if err := setDependencies(ctx, tx, i.ID, t.ID, deps); err != nil {
			return err
		}
		if _, err := record.Append(ctx, tx, a, now, record.NewEntry{OrgID: a.OrgID, IncidentID: i.ID, Kind: KindTaskCreated,
			Text: fmt.Sprintf("Task %d created: %s", t.Number, t.Title),
			Payload: map[string]any{"task": t.Number, "title": t.Title, "phase": t.Phase, "owner_id": t.OwnerID, "role": t.Role,
				"due_at": t.DueAt, "status": t.Status, "depends_on": deps}}); err != nil {
			return err
		}
		out, err = findTask(ctx, tx, now, i, t.Number)
		return err
	})
	return out, err
}

func (s *Service) resolveAssignee(ctx context.Context, tx *db.Tx, a *actor.Actor, t *Task, owner, role string) error {
	t.OwnerID, t.OwnerName, t.OwnerEmail, t.Role = "", "", "", ""
	if strings.TrimSpace(owner) != "" {
		m, err := org.FindMember(ctx, tx, a.OrgID, owner, "owner")
		if err != nil {
			return err
		}
		t.OwnerID, t.OwnerName, t.OwnerEmail = m.ID, m.Name, m.Email
	}
	if strings.TrimSpace(role) != "" {
		if _, err := org.FindRole(ctx, tx, a.OrgID, role, "role"); err != nil {
			return err
		}
		t.Role = role
	}
	return nil
}

func findTask(ctx context.Context, tx *db.Tx, now time.Time, i Incident, number int64) (Task, error) {
	ts, err := listTasks(ctx, tx, now, i, "t.number = $2", number)
	if err != nil {
		return Task{}, err
	}
	if len(ts) == 0 {
		return Task{}, errs.NotFoundf("task %d not found in %s", number, i.Ref)
	}
	return ts[0], nil
}

// Tasks lists an incident's tasks matching f, by number.
func (s *Service) Tasks(ctx context.Context, ref string, f TaskFilter) ([]Task, error) {
	a := actor.From(ctx)
	now := db.Time(s.Now())
	var v errs.Validation
	if f.Phase != "" {
		oneOf(&v, "phase", f.Phase, Phases)
	}
	if f.Status != "" {
		oneOf(&v, "status", f.Status, TaskStatuses)
	}
	if err := v.Err(); err != nil {
		return nil, err
	}
	var where []string
	var args []any
	add := func(cond string, val any) {
		args = append(args, val)
		where = append(where, strings.ReplaceAll(cond, "?", fmt.Sprintf("$%d", len(args)+1)))
	}
	if f.Phase != "" {
		add("t.phase = ?", f.Phase)
	}
	if f.Status != "" {
		add("t.status = ?", f.Status)
	}
	if f.Role != "" {
		add("t.role_key = ?", f.Role)
	}
	if f.Overdue {
		add("t.due_at < ? AND t.status NOT IN ('done', 'cancelled')", now)
	}
	if f.Mine {
		add(`(t.owner_id = ? OR t.role_key IN (SELECT r.role_key FROM roster_assignments r
			WHERE r.incident_id = t.incident_id AND r.user_id = ? AND r.released_at IS NULL))`, a.UserID)
	}
	var out []Task
	err := s.readIncident(ctx, ref, "tasks", func(tx *db.Tx, i Incident) (err error) {
		out, err = listTasks(ctx, tx, now, i, strings.Join(where, " AND "), args...)
		return err
	})
	return out, err
}

// Task returns one task by its number in the incident.
func (s *Service) Task(ctx context.Context, ref string, number int64) (Task, error) {
	now := db.Time(s.Now())
	var out Task
	err := s.readIncident(ctx, ref, "task", func(tx *db.Tx, i Incident) (err error) {
		out, err = findTask(ctx, tx, now, i, number)
		return err
	})
	return out, err
}

// UpdateTask applies p to a task; ifVersion works as for Update.
func (s *Service) UpdateTask(ctx context.Context, ref string, number int64, p TaskPatch, ifVersion int64) (Task, error) {
	a := actor.From(ctx)
	now := db.Time(s.Now())
	var out Task
	err := s.change(ctx, ref, func(tx *db.Tx, i Incident) error {
		t, err := findTask(ctx, tx, now, i, number)
		if err != nil {
			return err
		}
		if ifVersion != 0 && ifVersion != t.Version {
			return errs.E(errs.PreconditionFailed, "task %d is at version %d, not %d: someone else changed it; reload and try again", number, t.Version, ifVersion)
		}
		before := t
		var v errs.Validation
		checkTaskText(&v, p.Title, p.Description)
		if p.Title != nil {
			t.Title = *p.Title
		}
		if p.Description != nil {
			t.Description = *p.Description
		}
		if p.Phase != nil {
			oneOf(&v, "phase", *p.Phase, Phases)
			t.Phase = *p.Phase
		}
		if p.Status != nil {
			oneOf(&v, "status", *p.Status, TaskStatuses)
			t.Status = *p.Status
		}
		if p.DueAt != nil {
			t.DueAt = nil
			if *p.DueAt != "" {
				d, err := time.Parse(time.RFC3339Nano, *p.DueAt)
				if err != nil {
					v.Add("due_at", "%q is not an RFC 3339 time like 2026-11-27T09:00:00Z (use \"\" to clear)", *p.DueAt)
				} else {
					d = db.Time(d)
					t.DueAt = &d
				}
			}
		}
		deps := t.DependsOn
		if p.DependsOn != nil {
			edges, _, err := taskGraph(ctx, tx, i.ID)
			if err != nil {
				return err
			}
			deps = uniqueSorted(*p.DependsOn)
			checkDependencies(&v, t.Number, deps, edges)
		}
		if err := v.Err(); err != nil {
			return err
		}
		owner, role := t.OwnerID, t.Role
		if p.Owner != nil {
			owner = *p.Owner
		}
		if p.Role != nil {
			role = *p.Role
		}
		if err := s.resolveAssignee(ctx, tx, a, &t, owner, role); err != nil {
			return err
		}
		changes := taskChanges(before, t, deps)
		if len(changes) == 0 {
			out = before
			return nil
		}
		t.UpdatedAt, t.Version = now, t.Version+1
		if err := saveTask(ctx, tx, t, before.Version); err != nil {
			return err
		}
		if p.DependsOn != nil {
			if err := setDependencies(ctx, tx, i.ID, t.ID, deps); err != nil {
				return err
			}
		}
		if _, err := record.Append(ctx, tx, a, now, record.NewEntry{OrgID: a.OrgID, IncidentID: i.ID, Kind: KindTaskUpdated,
			Text:    fmt.Sprintf("Task %d (%s): %s", t.Number, t.Title, describeChanges(changes)),
			Payload: map[string]any{"task": t.Number, "changes": changes}}); err != nil {
			return err
		}
		out, err = findTask(ctx, tx, now, i, number)
		return err
	})
	return out, err
}

func taskChanges(a, b Task, deps []int64) map[string]change {
	cs := map[string]change{}
	set := func(f string, x, y any) {
		if x != y {
			cs[f] = change{x, y}
		}
	}
	set("title", a.Title, b.Title)
	set("description", a.Description, b.Description)
	set("phase", a.Phase, b.Phase)
	set("status", a.Status, b.Status)
	set("owner", a.OwnerEmail, b.OwnerEmail)
	set("role", a.Role, b.Role)
	fmtDue := func(t *time.Time) string {
		if t == nil {
			return ""
		}
		return t.Format(time.RFC3339Nano)
	}
	set("due_at", fmtDue(a.DueAt), fmtDue(b.DueAt))
	if fmt.Sprint(a.DependsOn) != fmt.Sprint(deps) {
		cs["depends_on"] = change{a.DependsOn, deps}
	}
	return cs
}
