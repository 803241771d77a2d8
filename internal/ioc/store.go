package ioc

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/google/uuid"

	"github.com/warroom/warroom/internal/db"
	"github.com/warroom/warroom/internal/errs"
)

// iocColumns reads an indicator aliased c with its incident aliased i;
// every query that uses it is scoped to one incident.
const iocColumns = `c.id, i.ref, c.type, c.value, c.tlp, c.confidence, c.source, c.first_seen, c.last_seen, c.tags, c.note, c.is_ioc,
	c.created_by, c.created_at, c.updated_at, c.version`

const iocFrom = ` FROM iocs c JOIN incidents i ON i.id = c.incident_id`

func scanIndicator(row interface{ Scan(...any) error }) (Indicator, error) {
	var x Indicator
	var tags string
	err := row.Scan(&x.ID, &x.IncidentRef, &x.Type, &x.Value, &x.TLP, &x.Confidence, &x.Source, &x.FirstSeen, &x.LastSeen, &tags, &x.Note,
		&x.IsIOC, &x.CreatedBy, &x.CreatedAt, &x.UpdatedAt, &x.Version)
	if err != nil {
		return x, err
	}
	x.FirstSeen, x.LastSeen, x.CreatedAt, x.UpdatedAt = x.FirstSeen.UTC(), x.LastSeen.UTC(), x.CreatedAt.UTC(), x.UpdatedAt.UTC()
	if err := json.Unmarshal([]byte(tags), &x.Tags); err != nil {
		return x, fmt.Errorf("decode tags of indicator %s: %w", x.ID, err)
	}
	x.SeenIn = []string{}
	return x, nil
}

// findIndicator returns an indicator of the incident by ID, or not found.
func findIndicator(ctx context.Context, tx *db.Tx, incidentID, id string) (Indicator, error) {
	x, err := scanIndicator(tx.QueryRowContext(ctx, `SELECT `+iocColumns+iocFrom+` WHERE c.incident_id = $1 AND c.id = $2`, incidentID, id))
	if db.NoRows(err) {
		return x, errs.NotFoundf("indicator %s not found in this incident", id)
	}
	if err != nil {
		return x, fmt.Errorf("load indicator %s: %w", id, err)
	}
	return x, nil
}

// findByValue returns the incident's indicator of type t and value v.
// On PostgreSQL it first locks the row, so a concurrent merge into it
// waits for this transaction instead of overwriting it; SQLite has one
// writer at a time already.
func findByValue(ctx context.Context, tx *db.Tx, incidentID string, t Type, v string) (Indicator, error) {
	if _, err := tx.ExecContext(ctx, `UPDATE iocs SET version = version WHERE incident_id = $1 AND type = $2 AND value = $3`,
		incidentID, string(t), v); err != nil {
		return Indicator{}, fmt.Errorf("lock indicator: %w", err)
	}
	x, err := scanIndicator(tx.QueryRowContext(ctx, `SELECT `+iocColumns+iocFrom+` WHERE c.incident_id = $1 AND c.type = $2 AND c.value = $3`,
		incidentID, string(t), v))
	if err != nil {
		return x, fmt.Errorf("load indicator %s %s: %w", t, v, err)
	}
	return x, nil
}

// insertIndicator adds x unless the incident already has its type and
// value, and reports whether it did.
func insertIndicator(ctx context.Context, tx *db.Tx, orgID, incidentID string, x Indicator) (bool, error) {
	tags, _ := json.Marshal(x.Tags)
	res, err := tx.ExecContext(ctx, `INSERT INTO iocs (id, org_id, incident_id, type, value, tlp, confidence, source, first_seen, last_seen,
		tags, note, is_ioc, created_by, created_at, updated_at, version)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17)
		ON CONFLICT DO NOTHING`,
		x.ID, orgID, incidentID, string(x.Type), x.Value, x.TLP, x.Confidence, x.Source, x.FirstSeen, x.LastSeen,
		string(tags), x.Note, x.IsIOC, x.CreatedBy, x.CreatedAt, x.UpdatedAt, x.Version)
	if err != nil {
		return false, fmt.Errorf("insert indicator: %w", db.MapError(err))
	}
	n, err := res.RowsAffected()
	return n == 1, err
}

// saveIndicator writes the mutable fields if the stored version is still
// prev: a concurrent writer makes it fail instead of being overwritten.
func saveIndicator(ctx context.Context, tx *db.Tx, x Indicator, prev int64) error {
	tags, _ := json.Marshal(x.Tags)
	res, err := tx.ExecContext(ctx, `UPDATE iocs SET tlp = $1, confidence = $2, source = $3, first_seen = $4, last_seen = $5, tags = $6,
		note = $7, is_ioc = $8, updated_at = $9, version = $10 WHERE id = $11 AND version = $12`,
		x.TLP, x.Confidence, x.Source, x.FirstSeen, x.LastSeen, string(tags), x.Note, x.IsIOC, x.UpdatedAt, x.Version, x.ID, prev)
	if err != nil {
		return fmt.Errorf("update indicator %s: %w", x.ID, err)
	}
	if n, _ := res.RowsAffected(); n != 1 {
		return errs.E(errs.PreconditionFailed, "indicator %s was changed by someone else; reload it and try again", x.ID)
	}
	return nil
}

func deleteIndicator(ctx context.Context, tx *db.Tx, x Indicator) error {
	res, err := tx.ExecContext(ctx, `DELETE FROM iocs WHERE id = $1 AND version = $2`, x.ID, x.Version)
	if err != nil {
		return fmt.Errorf("delete indicator %s: %w", x.ID, err)
	}
	if n, _ := res.RowsAffected(); n != 1 {
		return errs.E(errs.PreconditionFailed, "indicator %s was changed by someone else; reload it and try again", x.ID)
	}
	return nil
}

// listIndicators returns up to limit+1 indicators of the incident that
// match f, in the order they were added (IDs are time-ordered UUIDv7),
// after the cursor, which is the last ID of the previous page.
func listIndicators(ctx context.Context, tx *db.Tx, incidentID string, f Filter) ([]Indicator, error) {
	where := []string{"c.incident_id = $1"}
	args := []any{incidentID}
	add := func(cond string, val any) {
		args = append(args, val)
		where = append(where, strings.ReplaceAll(cond, "?", fmt.Sprintf("$%d", len(args))))
	}
	if f.Type != "" {
		add("c.type = ?", string(f.Type))
	}
	if f.IOCOnly {
		where = append(where, "c.is_ioc = true")
	}
	if q := strings.TrimSpace(f.Query); q != "" {
		add(`(lower(c.value) LIKE ? ESCAPE '\' OR lower(c.source) LIKE ? ESCAPE '\' OR lower(c.note) LIKE ? ESCAPE '\'
			OR lower(c.tags) LIKE ? ESCAPE '\')`, "%"+strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`).Replace(strings.ToLower(q))+"%")
	}
	if f.Cursor != "" {
		add("c.id > ?", f.Cursor)
	}
	rows, err := tx.QueryContext(ctx, `SELECT `+iocColumns+iocFrom+` WHERE `+strings.Join(where, " AND ")+
		fmt.Sprintf(` ORDER BY c.id LIMIT %d`, f.Limit+1), args...)
	if err != nil {
		return nil, fmt.Errorf("list indicators: %w", err)
	}
	defer rows.Close()
	out := []Indicator{}
	for rows.Next() {
		x, err := scanIndicator(rows)
		if err != nil {
			return nil, fmt.Errorf("scan indicator: %w", err)
		}
		out = append(out, x)
	}
	return out, rows.Err()
}

// seenElsewhere returns, for each of the incident's indicators (all of
// them when ids is nil), the references of the organisation's other
// incidents holding the same type and value. It does not know who is
// asking: the caller keeps only the incidents they may see.
func seenElsewhere(ctx context.Context, tx *db.Tx, orgID, incidentID string, ids []string) (map[string][]string, error) {
	q := `SELECT a.id, i.ref FROM iocs a
		JOIN iocs b ON b.org_id = a.org_id AND b.type = a.type AND b.value = a.value AND b.incident_id <> a.incident_id
		JOIN incidents i ON i.id = b.incident_id
		WHERE a.org_id = $1 AND a.incident_id = $2`
	args := []any{orgID, incidentID}
	if ids != nil {
		if len(ids) == 0 {
			return map[string][]string{}, nil
		}
		ph := make([]string, len(ids))
		for k, id := range ids {
			args = append(args, id)
			ph[k] = fmt.Sprintf("$%d", len(args))
		}
		q += ` AND a.id IN (` + strings.Join(ph, ", ") + `)`
	}
	rows, err := tx.QueryContext(ctx, q+` ORDER BY i.ref`, args...)
	if err != nil {
		return nil, fmt.Errorf("find correlations: %w", err)
	}
	defer rows.Close()
	out := map[string][]string{}
	for rows.Next() {
		var id, ref string
		if err := rows.Scan(&id, &ref); err != nil {
			return nil, fmt.Errorf("scan correlation: %w", err)
		}
		out[id] = append(out[id], ref)
	}
	return out, rows.Err()
}

// checkCursor validates a cursor from a previous page: an indicator ID.
func checkCursor(v *errs.Validation, c string) {
	if _, err := uuid.Parse(c); c != "" && err != nil {
		v.Add("cursor", "not a cursor this server issued; start again without it")
	}
}
