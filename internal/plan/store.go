package plan

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/warroom/warroom/internal/db"
	"github.com/warroom/warroom/internal/errs"
)

// Stored is one imported version of a plan in an organisation's library.
type Stored struct {
	PlanID     string    `json:"id"`
	Version    int       `json:"version"`
	Title      string    `json:"title"`
	Types      []string  `json:"types"`
	Severities []string  `json:"severities"`
	Source     string    `json:"source,omitempty"`
	SHA256     string    `json:"sha256"`
	ImportedBy string    `json:"imported_by,omitempty"`
	ImportedAt time.Time `json:"imported_at"`
}

const storedColumns = `plan_id, version, title, types, severities, source, sha256, COALESCE(imported_by, ''), imported_at`

func scanStored(row interface{ Scan(...any) error }) (Stored, error) {
	var s Stored
	var types, sevs string
	if err := row.Scan(&s.PlanID, &s.Version, &s.Title, &types, &sevs, &s.Source, &s.SHA256, &s.ImportedBy, &s.ImportedAt); err != nil {
		return s, err
	}
	s.ImportedAt = s.ImportedAt.UTC()
	if err := json.Unmarshal([]byte(types), &s.Types); err != nil {
		return s, fmt.Errorf("decode plan types: %w", err)
	}
	if err := json.Unmarshal([]byte(sevs), &s.Severities); err != nil {
		return s, fmt.Errorf("decode plan severities: %w", err)
	}
	return s, nil
}

func insertStored(ctx context.Context, tx *db.Tx, orgID string, s Stored) error {
	types, _ := json.Marshal(nonNil(s.Types))
	sevs, _ := json.Marshal(nonNil(s.Severities))
	var by any
	if s.ImportedBy != "" {
		by = s.ImportedBy
	}
	_, err := tx.ExecContext(ctx, `INSERT INTO plans (id, org_id, plan_id, version, title, types, severities, source, sha256, imported_by, imported_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)`,
		db.NewID(), orgID, s.PlanID, s.Version, s.Title, string(types), string(sevs), s.Source, s.SHA256, by, db.Time(s.ImportedAt))
	if errors.Is(db.MapError(err), db.ErrUnique) {
		return errs.Conflictf("plan %s version %d is already in the library; raise version to import a change", s.PlanID, s.Version)
	}
	if err != nil {
		return fmt.Errorf("insert plan %s v%d: %w", s.PlanID, s.Version, err)
	}
	return nil
}

// latest returns the newest version of a plan, or a not-found error.
func latest(ctx context.Context, tx *db.Tx, orgID, planID string) (Stored, error) {
	s, err := scanStored(tx.QueryRowContext(ctx, `SELECT `+storedColumns+` FROM plans WHERE org_id = $1 AND plan_id = $2
		ORDER BY version DESC LIMIT 1`, orgID, planID))
	if errors.Is(err, sql.ErrNoRows) {
		return s, errs.NotFoundf("no plan %q in the library", planID)
	}
	return s, err
}

func version(ctx context.Context, tx *db.Tx, orgID, planID string, v int) (Stored, error) {
	s, err := scanStored(tx.QueryRowContext(ctx, `SELECT `+storedColumns+` FROM plans WHERE org_id = $1 AND plan_id = $2 AND version = $3`, orgID, planID, v))
	if errors.Is(err, sql.ErrNoRows) {
		return s, errs.NotFoundf("plan %q has no version %d", planID, v)
	}
	return s, err
}

// listStored returns every version in the library (newest first per
// plan), or only one plan's versions when planID is set.
func listStored(ctx context.Context, tx *db.Tx, orgID, planID string) ([]Stored, error) {
	q := `SELECT ` + storedColumns + ` FROM plans WHERE org_id = $1 AND ($2 = '' OR plan_id = $2) ORDER BY plan_id, version DESC`
	rows, err := tx.QueryContext(ctx, q, orgID, planID)
	if err != nil {
		return nil, fmt.Errorf("list plans: %w", err)
	}
	defer rows.Close()
	var out []Stored
	for rows.Next() {
		s, err := scanStored(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, s)
	}
	return out, rows.Err()
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}
