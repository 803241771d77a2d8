package attack

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/warroom/warroom/internal/db"
)

const techniqueColumns = `id, stix_id, name, parent_id, tactics, is_subtechnique, revoked, revoked_by, deprecated, url, modified`

func scanTechnique(row interface{ Scan(...any) error }) (Technique, error) {
	var t Technique
	var tactics string
	if err := row.Scan(&t.ID, &t.STIXID, &t.Name, &t.ParentID, &tactics, &t.IsSubtechnique, &t.Revoked, &t.RevokedBy, &t.Deprecated,
		&t.URL, &t.Modified); err != nil {
		return t, err
	}
	t.Modified = t.Modified.UTC()
	if err := json.Unmarshal([]byte(tactics), &t.Tactics); err != nil {
		return t, fmt.Errorf("decode tactics of %s: %w", t.ID, err)
	}
	return t, nil
}

// findTechnique returns the catalogue entry with id; ok is false when
// there is none.
func findTechnique(ctx context.Context, tx *db.Tx, id string) (Technique, bool, error) {
	t, err := scanTechnique(tx.QueryRowContext(ctx, `SELECT `+techniqueColumns+` FROM attack_techniques WHERE id = $1`, id))
	if db.NoRows(err) {
		return t, false, nil
	}
	if err != nil {
		return t, false, fmt.Errorf("load technique %s: %w", id, err)
	}
	return t, true, nil
}

// findTechniques returns the catalogue entries with the given IDs, by ID.
func findTechniques(ctx context.Context, tx *db.Tx, ids []string) (map[string]Technique, error) {
	out := map[string]Technique{}
	if len(ids) == 0 {
		return out, nil
	}
	args := make([]any, len(ids))
	ph := make([]string, len(ids))
	for k, id := range ids {
		args[k], ph[k] = id, fmt.Sprintf("$%d", k+1)
	}
	rows, err := tx.QueryContext(ctx, `SELECT `+techniqueColumns+` FROM attack_techniques WHERE id IN (`+strings.Join(ph, ", ")+`)`, args...)
	if err != nil {
		return nil, fmt.Errorf("load techniques: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		t, err := scanTechnique(rows)
		if err != nil {
			return nil, fmt.Errorf("scan technique: %w", err)
		}
		out[t.ID] = t
	}
	return out, rows.Err()
}

// allTechniques returns the whole catalogue by ID.
func allTechniques(ctx context.Context, tx *db.Tx) (map[string]Technique, error) {
	ts, err := listTechniques(ctx, tx, TechniqueFilter{All: true, Limit: 1 << 30})
	if err != nil {
		return nil, err
	}
	out := make(map[string]Technique, len(ts))
	for _, t := range ts {
		out[t.ID] = t
	}
	return out, nil
}

func listTechniques(ctx context.Context, tx *db.Tx, f TechniqueFilter) ([]Technique, error) {
	var where []string
	var args []any
	add := func(cond string, val any) {
		args = append(args, val)
		where = append(where, strings.ReplaceAll(cond, "?", fmt.Sprintf("$%d", len(args))))
	}
	if !f.All {
		where = append(where, "revoked = false", "deprecated = false")
	}
	if q := strings.TrimSpace(f.Query); q != "" {
		like := strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`).Replace(strings.ToLower(q))
		args = append(args, like+"%", "%"+like+"%")
		where = append(where, fmt.Sprintf(`(lower(id) LIKE $%d ESCAPE '\' OR lower(name) LIKE $%d ESCAPE '\')`, len(args)-1, len(args)))
	}
	if f.Tactic != "" {
		// Short names are [a-z-] only, so the quoted name cannot match
		// across array elements.
		add("tactics LIKE ?", `%"`+f.Tactic+`"%`)
	}
	q := `SELECT ` + techniqueColumns + ` FROM attack_techniques`
	if len(where) > 0 {
		q += ` WHERE ` + strings.Join(where, " AND ")
	}
	rows, err := tx.QueryContext(ctx, q+fmt.Sprintf(` ORDER BY id LIMIT %d`, f.Limit), args...)
	if err != nil {
		return nil, fmt.Errorf("list techniques: %w", err)
	}
	defer rows.Close()
	out := []Technique{}
	for rows.Next() {
		t, err := scanTechnique(rows)
		if err != nil {
			return nil, fmt.Errorf("scan technique: %w", err)
		}
		out = append(out, t)
	}
	return out, rows.Err()
}

func upsertTechnique(ctx context.Context, tx *db.Tx, now time.Time, t Technique) error {
	tactics, _ := json.Marshal(t.Tactics)
	_, err := tx.ExecContext(ctx, `INSERT INTO attack_techniques (`+techniqueColumns+`, imported_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)
		ON CONFLICT (id) DO UPDATE SET stix_id = excluded.stix_id, name = excluded.name, parent_id = excluded.parent_id,
			tactics = excluded.tactics, is_subtechnique = excluded.is_subtechnique, revoked = excluded.revoked,
			revoked_by = excluded.revoked_by, deprecated = excluded.deprecated, url = excluded.url, modified = excluded.modified,
			imported_at = excluded.imported_at`,
		t.ID, t.STIXID, t.Name, t.ParentID, string(tactics), t.IsSubtechnique, t.Revoked, t.RevokedBy, t.Deprecated, t.URL,
		db.Time(t.Modified), now)
	if err != nil {
		return fmt.Errorf("store technique %s: %w", t.ID, db.MapError(err))
	}
	return nil
}

func insertImport(ctx context.Context, tx *db.Tx, r ImportReport) error {
	_, err := tx.ExecContext(ctx, `INSERT INTO attack_imports (id, imported_at, attack_version, sha256, techniques, added, updated, revoked, deprecated)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
		db.NewID(), r.ImportedAt, r.Version, r.SHA256, r.Techniques, r.Added, r.Updated, r.Revoked, r.Deprecated)
	if err != nil {
		return fmt.Errorf("record import: %w", err)
	}
	return nil
}

// catalogue describes what is loaded.
func catalogue(ctx context.Context, tx *db.Tx) (Catalogue, error) {
	var c Catalogue
	if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM attack_techniques`).Scan(&c.Techniques); err != nil {
		return c, fmt.Errorf("count techniques: %w", err)
	}
	c.Loaded = c.Techniques > 0
	var at time.Time
	err := tx.QueryRowContext(ctx, `SELECT attack_version, imported_at FROM attack_imports ORDER BY imported_at DESC, id DESC LIMIT 1`).Scan(&c.Version, &at)
	if err == nil {
		at = at.UTC()
		c.ImportedAt = &at
	} else if !db.NoRows(err) {
		return c, fmt.Errorf("load last import: %w", err)
	}
	return c, nil
}
