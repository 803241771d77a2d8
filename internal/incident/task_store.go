package incident

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"time"

	"github.com/warroom/warroom/internal/db"
	"github.com/warroom/warroom/internal/errs"
)

const taskColumns = `t.id, t.number, t.title, t.description, t.phase, COALESCE(t.owner_id, ''), COALESCE(u.name, ''), COALESCE(u.email, ''),
	COALESCE(t.role_key, ''), t.due_at, t.status, t.created_by, t.created_at, t.updated_at, t.version, COALESCE(t.plan_step, '')`

// listTasks returns every task of an incident with its dependencies,
// ordered by number. where/args filter further (args start at $2).
func listTasks(ctx context.Context, tx *db.Tx, now time.Time, i Incident, where string, args ...any) ([]Task, error) {
	q := `SELECT ` + taskColumns + ` FROM tasks t LEFT JOIN users u ON u.id = t.owner_id WHERE t.incident_id = $1`
	if where != "" {
		q += " AND " + where
	}
	rows, err := tx.QueryContext(ctx, q+` ORDER BY t.number`, append([]any{i.ID}, args...)...)
	if err != nil {
		return nil, fmt.Errorf("list tasks: %w", err)
	}
	defer rows.Close()
	out := []Task{}
	for rows.Next() {
		t := Task{IncidentRef: i.Ref, DependsOn: []int64{}}
		var due sql.NullTime
		if err := rows.Scan(&t.ID, &t.Number, &t.Title, &t.Description, &t.Phase, &t.OwnerID, &t.OwnerName, &t.OwnerEmail,
			&t.Role, &due, &t.Status, &t.CreatedBy, &t.CreatedAt, &t.UpdatedAt, &t.Version, &t.PlanStep); err != nil {
			return nil, fmt.Errorf("scan task: %w", err)
		}
		t.CreatedAt, t.UpdatedAt = t.CreatedAt.UTC(), t.UpdatedAt.UTC()
		if due.Valid {
			d := due.Time.UTC()
			t.DueAt = &d
		}
		out = append(out, t)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	deps, status, err := taskGraph(ctx, tx, i.ID)
	if err != nil {
		return nil, err
	}
	for k := range out {
		if d := deps[out[k].Number]; d != nil {
			out[k].DependsOn = d
		}
		out[k].derive(now, status)
	}
	return out, nil
}

// taskGraph returns, for every task of an incident, the numbers it depends
// on and its status.
func taskGraph(ctx context.Context, tx *db.Tx, incidentID string) (map[int64][]int64, map[int64]TaskStatus, error) {
	edges := map[int64][]int64{}
	status := map[int64]TaskStatus{}
	rows, err := tx.QueryContext(ctx, `SELECT number, status FROM tasks WHERE incident_id = $1`, incidentID)
	if err != nil {
		return nil, nil, fmt.Errorf("load tasks: %w", err)
	}
	for rows.Next() {
		var n int64
		var s TaskStatus
		if err := rows.Scan(&n, &s); err != nil {
			rows.Close()
			return nil, nil, err
		}
		edges[n], status[n] = []int64{}, s
	}
	rows.Close()
	rows, err = tx.QueryContext(ctx, `SELECT a.number, b.number FROM task_dependencies d
		JOIN tasks a ON a.id = d.task_id JOIN tasks b ON b.id = d.depends_on_id
		WHERE a.incident_id = $1 ORDER BY a.number, b.number`, incidentID)
	if err != nil {
		return nil, nil, fmt.Errorf("load task dependencies: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var a, b int64
		if err := rows.Scan(&a, &b); err != nil {
			return nil, nil, err
		}
		edges[a] = append(edges[a], b)
	}
	return edges, status, rows.Err()
}

func insertTask(ctx context.Context, tx *db.Tx, incidentID string, t Task) error {
	_, err := tx.ExecContext(ctx, `INSERT INTO tasks (id, incident_id, number, title, description, phase, owner_id, role_key, due_at, status,
		created_by, created_at, updated_at, version, plan_step) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15)`,
		t.ID, incidentID, t.Number, t.Title, t.Description, t.Phase, nullable(t.OwnerID), nullable(t.Role), db.NullTime(t.DueAt),
		t.Status, t.CreatedBy, t.CreatedAt, t.UpdatedAt, t.Version, nullable(t.PlanStep))
	if err != nil {
		return fmt.Errorf("insert task: %w", err)
	}
	return nil
}

func saveTask(ctx context.Context, tx *db.Tx, t Task, prev int64) error {
	res, err := tx.ExecContext(ctx, `UPDATE tasks SET title = $1, description = $2, phase = $3, owner_id = $4, role_key = $5, due_at = $6,
		status = $7, updated_at = $8, version = $9 WHERE id = $10 AND version = $11`,
		t.Title, t.Description, t.Phase, nullable(t.OwnerID), nullable(t.Role), db.NullTime(t.DueAt), t.Status, t.UpdatedAt, t.Version, t.ID, prev)
	if err != nil {
		return fmt.Errorf("update task: %w", err)
	}
	if n, _ := res.RowsAffected(); n != 1 {
		return errs.E(errs.PreconditionFailed, "task %d was changed by someone else; reload it and try again", t.Number)
	}
	return nil
}

// setDependencies replaces a task's dependencies.
func setDependencies(ctx context.Context, tx *db.Tx, incidentID, taskID string, numbers []int64) error {
	if _, err := tx.ExecContext(ctx, `DELETE FROM task_dependencies WHERE task_id = $1`, taskID); err != nil {
		return fmt.Errorf("clear dependencies: %w", err)
	}
	for _, n := range numbers {
		if _, err := tx.ExecContext(ctx, `INSERT INTO task_dependencies (task_id, depends_on_id)
			SELECT $1, id FROM tasks WHERE incident_id = $2 AND number = $3`, taskID, incidentID, n); err != nil {
			return fmt.Errorf("add dependency on task %d: %w", n, err)
		}
	}
	return nil
}

func nextTaskNumber(ctx context.Context, tx *db.Tx, incidentID string) (int64, error) {
	var n int64
	err := tx.QueryRowContext(ctx, `UPDATE incidents SET last_task_number = last_task_number + 1 WHERE id = $1 RETURNING last_task_number`, incidentID).Scan(&n)
	if err != nil {
		return 0, fmt.Errorf("allocate task number: %w", err)
	}
	return n, nil
}

func nullable(s string) any {
	if strings.TrimSpace(s) == "" {
		return nil
	}
	return s
}
