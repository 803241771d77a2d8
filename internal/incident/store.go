package incident

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/warroom/warroom/internal/actor"
	"github.com/warroom/warroom/internal/db"
	"github.com/warroom/warroom/internal/errs"
)

// visible is the need-to-know condition on incidents aliased i. args
// must already hold the actor's org ID as $1, user ID as $2 and whether
// they are an admin as $3.
const visible = `i.org_id = $1 AND (i.restricted = false OR $3 OR EXISTS (
	SELECT 1 FROM roster_assignments r WHERE r.incident_id = i.id AND r.user_id = $2 AND r.released_at IS NULL))`

func visibleArgs(a *actor.Actor) []any { return []any{a.OrgID, a.UserID, a.IsAdmin()} }

const incidentColumns = `i.id, i.org_id, i.ref, i.title, i.summary, i.type, i.severity, i.phase, i.status, i.tlp, i.restricted,
	i.tags, i.created_by, i.created_at, i.updated_at, i.version, i.last_seq, COALESCE(i.plan_id, ''), COALESCE(i.plan_version, 0),
	EXISTS (SELECT 1 FROM roster_assignments c WHERE c.incident_id = i.id AND c.role_key = 'incident_commander' AND c.released_at IS NULL)`

func scanIncident(row interface{ Scan(...any) error }) (Incident, error) {
	var i Incident
	var tags string
	err := row.Scan(&i.ID, &i.orgID, &i.Ref, &i.Title, &i.Summary, &i.Type, &i.Severity, &i.Phase, &i.Status, &i.TLP, &i.Restricted,
		&tags, &i.CreatedBy, &i.CreatedAt, &i.UpdatedAt, &i.Version, &i.LastSeq, &i.PlanID, &i.PlanVersion, &i.hasCommander)
	if err != nil {
		return i, err
	}
	i.CreatedAt, i.UpdatedAt = i.CreatedAt.UTC(), i.UpdatedAt.UTC()
	if err := json.Unmarshal([]byte(tags), &i.Tags); err != nil {
		return i, fmt.Errorf("decode tags of %s: %w", i.Ref, err)
	}
	i.Milestones = map[string]Milestone{}
	i.computeFlags()
	return i, nil
}

// loadIncident finds an incident the actor may see, by reference. Hidden
// and missing incidents give the same not-found error.
func loadIncident(ctx context.Context, tx *db.Tx, a *actor.Actor, ref string) (Incident, error) {
	i, err := loadIncidentRow(ctx, tx, a, ref)
	if err != nil {
		return i, err
	}
	ms, err := loadMilestones(ctx, tx, i.ID)
	i.Milestones = ms
	return i, err
}

// loadIncidentRow is loadIncident without the milestones, for writes
// that do not need them.
func loadIncidentRow(ctx context.Context, tx *db.Tx, a *actor.Actor, ref string) (Incident, error) {
	args := append(visibleArgs(a), strings.ToUpper(ref))
	i, err := scanIncident(tx.QueryRowContext(ctx, `SELECT `+incidentColumns+` FROM incidents i WHERE `+visible+` AND i.ref = $4`, args...))
	if db.NoRows(err) {
		return i, errs.NotFoundf("incident %s not found", ref)
	}
	if err != nil {
		return i, fmt.Errorf("load incident %s: %w", ref, err)
	}
	return i, nil
}

func nextRef(ctx context.Context, tx *db.Tx, orgID string, year int) (string, error) {
	var n int
	err := tx.QueryRowContext(ctx, `INSERT INTO incident_counters (org_id, year, last) VALUES ($1, $2, 1)
		ON CONFLICT (org_id, year) DO UPDATE SET last = incident_counters.last + 1 RETURNING last`, orgID, year).Scan(&n)
	if err != nil {
		return "", fmt.Errorf("allocate incident reference: %w", err)
	}
	return fmt.Sprintf("IR-%d-%04d", year, n), nil
}

func insertIncident(ctx context.Context, tx *db.Tx, i Incident) error {
	tags, _ := json.Marshal(i.Tags)
	_, err := tx.ExecContext(ctx, `INSERT INTO incidents (id, org_id, ref, title, summary, type, severity, phase, status, tlp, restricted,
		tags, created_by, created_at, updated_at, version) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16)`,
		i.ID, i.orgID, i.Ref, i.Title, i.Summary, i.Type, i.Severity, i.Phase, i.Status, i.TLP, i.Restricted,
		string(tags), i.CreatedBy, i.CreatedAt, i.UpdatedAt, i.Version)
	if errors.Is(db.MapError(err), db.ErrUnique) {
		return &errs.Error{Code: errs.Conflict, Message: "duplicate incident reference",
			Fields: []errs.FieldError{{Field: "ref", Message: fmt.Sprintf("%s is already used by another incident", i.Ref)}}}
	}
	if err != nil {
		return fmt.Errorf("insert incident: %w", err)
	}
	return nil
}

// saveIncident writes the mutable fields if the stored version is still
// prev: a concurrent writer makes it fail instead of being overwritten.
func saveIncident(ctx context.Context, tx *db.Tx, i Incident, prev int64) error {
	tags, _ := json.Marshal(i.Tags)
	res, err := tx.ExecContext(ctx, `UPDATE incidents SET title = $1, summary = $2, type = $3, severity = $4, phase = $5, status = $6,
		tlp = $7, restricted = $8, tags = $9, updated_at = $10, version = $11 WHERE id = $12 AND version = $13`,
		i.Title, i.Summary, i.Type, i.Severity, i.Phase, i.Status, i.TLP, i.Restricted, string(tags), i.UpdatedAt, i.Version, i.ID, prev)
	if err != nil {
		return fmt.Errorf("update incident %s: %w", i.Ref, err)
	}
	if n, _ := res.RowsAffected(); n != 1 {
		return errs.E(errs.PreconditionFailed, "incident %s was changed by someone else; reload it and try again", i.Ref)
	}
	return nil
}

func loadMilestones(ctx context.Context, tx *db.Tx, incidentID string) (map[string]Milestone, error) {
	rows, err := tx.QueryContext(ctx, `SELECT m.kind, m.at, m.set_by, u.name, m.set_at FROM incident_milestones m
		JOIN users u ON u.id = m.set_by WHERE m.incident_id = $1`, incidentID)
	if err != nil {
		return nil, fmt.Errorf("load milestones: %w", err)
	}
	defer rows.Close()
	out := map[string]Milestone{}
	for rows.Next() {
		var k string
		var m Milestone
		if err := rows.Scan(&k, &m.At, &m.SetBy, &m.SetByName, &m.SetAt); err != nil {
			return nil, fmt.Errorf("scan milestone: %w", err)
		}
		m.At, m.SetAt = m.At.UTC(), m.SetAt.UTC()
		out[k] = m
	}
	return out, rows.Err()
}

// fillMilestones loads the milestones of several incidents in one query.
func fillMilestones(ctx context.Context, tx *db.Tx, items []Incident) error {
	if len(items) == 0 {
		return nil
	}
	pos := map[string]int{}
	ph := make([]string, len(items))
	args := make([]any, len(items))
	for k, i := range items {
		pos[i.ID] = k
		ph[k] = fmt.Sprintf("$%d", k+1)
		args[k] = i.ID
	}
	rows, err := tx.QueryContext(ctx, `SELECT m.incident_id, m.kind, m.at, m.set_by, u.name, m.set_at FROM incident_milestones m
		JOIN users u ON u.id = m.set_by WHERE m.incident_id IN (`+strings.Join(ph, ", ")+`)`, args...)
	if err != nil {
		return fmt.Errorf("load milestones: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var id, k string
		var m Milestone
		if err := rows.Scan(&id, &k, &m.At, &m.SetBy, &m.SetByName, &m.SetAt); err != nil {
			return fmt.Errorf("scan milestone: %w", err)
		}
		m.At, m.SetAt = m.At.UTC(), m.SetAt.UTC()
		items[pos[id]].Milestones[k] = m
	}
	return rows.Err()
}

func setMilestone(ctx context.Context, tx *db.Tx, incidentID, kind string, at time.Time, by string, now time.Time) error {
	_, err := tx.ExecContext(ctx, `INSERT INTO incident_milestones (incident_id, kind, at, set_by, set_at) VALUES ($1, $2, $3, $4, $5)
		ON CONFLICT (incident_id, kind) DO UPDATE SET at = excluded.at, set_by = excluded.set_by, set_at = excluded.set_at`,
		incidentID, kind, db.Time(at), by, now)
	if err != nil {
		return fmt.Errorf("set milestone %s: %w", kind, err)
	}
	return nil
}

func clearMilestone(ctx context.Context, tx *db.Tx, incidentID, kind string) error {
	_, err := tx.ExecContext(ctx, `DELETE FROM incident_milestones WHERE incident_id = $1 AND kind = $2`, incidentID, kind)
	return err
}
