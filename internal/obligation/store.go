package obligation

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"time"

	"github.com/warroom/warroom/internal/actor"
	"github.com/warroom/warroom/internal/db"
)

func loadFacts(ctx context.Context, tx *db.Tx, incidentID string) (FactsRecord, error) {
	var out FactsRecord
	var raw string
	var at time.Time
	err := tx.QueryRowContext(ctx, `SELECT facts, updated_by, updated_at, version FROM obligation_facts WHERE incident_id = $1`, incidentID).
		Scan(&raw, &out.UpdatedBy, &at, &out.Version)
	if db.NoRows(err) {
		out.Facts.normalise()
		return out, nil
	}
	if err != nil {
		return out, fmt.Errorf("load obligation facts: %w", err)
	}
	if err := json.Unmarshal([]byte(raw), &out.Facts); err != nil {
		return out, fmt.Errorf("decode obligation facts: %w", err)
	}
	out.Facts.normalise()
	at = at.UTC()
	out.UpdatedAt = &at
	return out, nil
}

func storeFacts(ctx context.Context, tx *db.Tx, orgID, incidentID string, f FactsRecord) error {
	raw, err := json.Marshal(f.Facts)
	if err != nil {
		return fmt.Errorf("encode obligation facts: %w", err)
	}
	_, err = tx.ExecContext(ctx, `INSERT INTO obligation_facts (incident_id, org_id, facts, updated_by, updated_at, version)
		VALUES ($1, $2, $3, $4, $5, $6)
		ON CONFLICT (incident_id) DO UPDATE SET facts = excluded.facts, updated_by = excluded.updated_by,
			updated_at = excluded.updated_at, version = excluded.version`,
		incidentID, orgID, string(raw), f.UpdatedBy, *f.UpdatedAt, f.Version)
	if err != nil {
		return fmt.Errorf("store obligation facts: %w", db.MapError(err))
	}
	return nil
}

func loadNotifications(ctx context.Context, tx *db.Tx, incidentID string) (map[string]Notification, error) {
	rows, err := tx.QueryContext(ctx, `SELECT rule, status, submitted_at, submitted_by, reference, proof_evidence, rationale, updated_at, version, recipient
		FROM obligation_status WHERE incident_id = $1`, incidentID)
	if err != nil {
		return nil, fmt.Errorf("load notification statuses: %w", err)
	}
	defer rows.Close()
	out := map[string]Notification{}
	for rows.Next() {
		var rule string
		var n Notification
		var sub sql.NullTime
		var at time.Time
		if err := rows.Scan(&rule, &n.Status, &sub, &n.SubmittedBy, &n.Reference, &n.ProofEvidence, &n.Rationale, &at, &n.Version, &n.recipient); err != nil {
			return nil, fmt.Errorf("scan notification status: %w", err)
		}
		if sub.Valid {
			t := sub.Time.UTC()
			n.SubmittedAt = &t
		}
		at = at.UTC()
		n.UpdatedAt = &at
		out[rule] = n
	}
	return out, rows.Err()
}

func storeNotification(ctx context.Context, tx *db.Tx, a *actor.Actor, incidentID, rule string, n Notification) error {
	_, err := tx.ExecContext(ctx, `INSERT INTO obligation_status (incident_id, rule, org_id, status, submitted_at, submitted_by, reference,
			proof_evidence, rationale, updated_by, updated_at, version, recipient)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)
		ON CONFLICT (incident_id, rule) DO UPDATE SET status = excluded.status, submitted_at = excluded.submitted_at,
			submitted_by = excluded.submitted_by, reference = excluded.reference, proof_evidence = excluded.proof_evidence,
			rationale = excluded.rationale, updated_by = excluded.updated_by, updated_at = excluded.updated_at, version = excluded.version,
			recipient = excluded.recipient`,
		incidentID, rule, a.OrgID, n.Status, db.NullTime(n.SubmittedAt), n.SubmittedBy, n.Reference, n.ProofEvidence, n.Rationale,
		a.UserID, *n.UpdatedAt, n.Version, n.recipient)
	if err != nil {
		return fmt.Errorf("store notification status: %w", db.MapError(err))
	}
	return nil
}

func evidenceExists(ctx context.Context, tx *db.Tx, incidentID string, number int) (bool, error) {
	var one int
	err := tx.QueryRowContext(ctx, `SELECT 1 FROM evidence WHERE incident_id = $1 AND number = $2`, incidentID, number).Scan(&one)
	if db.NoRows(err) {
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf("look up evidence: %w", err)
	}
	return true, nil
}

// loadOrgRules reads an organisation's own rules document; version 0 and
// no source when none was uploaded.
func loadOrgRules(ctx context.Context, tx *db.Tx, orgID string) (OrgRules, error) {
	var out OrgRules
	var at time.Time
	err := tx.QueryRowContext(ctx, `SELECT source, version, updated_by, updated_at FROM obligation_rules WHERE org_id = $1`, orgID).
		Scan(&out.Source, &out.Version, &out.UpdatedBy, &at)
	if db.NoRows(err) {
		return OrgRules{}, nil
	}
	if err != nil {
		return out, fmt.Errorf("load the organisation's notification rules: %w", err)
	}
	at = at.UTC()
	out.UpdatedAt = &at
	return out, nil
}

func storeOrgRules(ctx context.Context, tx *db.Tx, orgID string, r OrgRules) error {
	_, err := tx.ExecContext(ctx, `INSERT INTO obligation_rules (org_id, source, version, updated_by, updated_at)
		VALUES ($1, $2, $3, $4, $5)
		ON CONFLICT (org_id) DO UPDATE SET source = excluded.source, version = excluded.version,
			updated_by = excluded.updated_by, updated_at = excluded.updated_at`,
		orgID, r.Source, r.Version, r.UpdatedBy, *r.UpdatedAt)
	if err != nil {
		return fmt.Errorf("store the organisation's notification rules: %w", db.MapError(err))
	}
	return nil
}
