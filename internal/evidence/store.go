package evidence

import (
	"context"
	"database/sql"
	"fmt"

	"github.com/warroom/warroom/internal/db"
	"github.com/warroom/warroom/internal/errs"
	"github.com/warroom/warroom/internal/incident"
)

// evidenceColumns reads an item aliased e; every query that uses it is
// scoped to one incident the caller may see.
const evidenceColumns = `e.id, e.number, e.kind, e.name, e.description, e.source_host, e.source_person, e.collected_by, e.collected_at,
	e.method, e.location, e.media_type, e.size, e.md5, e.sha1, e.sha256, COALESCE(e.blob, ''), e.custodian, e.status,
	e.created_by, e.created_at, e.updated_at, e.version`

func scanEvidence(row interface{ Scan(...any) error }, ref string) (Evidence, error) {
	e := Evidence{IncidentRef: ref}
	err := row.Scan(&e.ID, &e.Number, &e.Kind, &e.Name, &e.Description, &e.SourceHost, &e.SourcePerson, &e.CollectedBy, &e.CollectedAt,
		&e.Method, &e.Location, &e.MediaType, &e.Size, &e.MD5, &e.SHA1, &e.SHA256, &e.blob, &e.Custodian, &e.Status,
		&e.CreatedBy, &e.CreatedAt, &e.UpdatedAt, &e.Version)
	if err != nil {
		return e, err
	}
	e.Label = Label(e.Number)
	e.Stored = e.blob != "" && e.Status != Destroyed
	e.CollectedAt, e.CreatedAt, e.UpdatedAt = e.CollectedAt.UTC(), e.CreatedAt.UTC(), e.UpdatedAt.UTC()
	return e, nil
}

// findEvidence returns item label (EV-3 or 3) of incident i.
func findEvidence(ctx context.Context, tx *db.Tx, i incident.Incident, label string) (Evidence, error) {
	n, ok := ParseLabel(label)
	if !ok {
		return Evidence{}, errs.NotFoundf("no evidence %q in %s: name an item like EV-3", label, i.Ref)
	}
	e, err := scanEvidence(tx.QueryRowContext(ctx, `SELECT `+evidenceColumns+` FROM evidence e WHERE e.incident_id = $1 AND e.number = $2`, i.ID, n), i.Ref)
	if db.NoRows(err) {
		return e, errs.NotFoundf("evidence %s not found in %s", Label(n), i.Ref)
	}
	if err != nil {
		return e, fmt.Errorf("load evidence %s: %w", Label(n), err)
	}
	return e, nil
}

func listEvidence(ctx context.Context, tx *db.Tx, i incident.Incident) ([]Evidence, error) {
	rows, err := tx.QueryContext(ctx, `SELECT `+evidenceColumns+` FROM evidence e WHERE e.incident_id = $1 ORDER BY e.number`, i.ID)
	if err != nil {
		return nil, fmt.Errorf("list evidence: %w", err)
	}
	defer rows.Close()
	out := []Evidence{}
	for rows.Next() {
		e, err := scanEvidence(rows, i.Ref)
		if err != nil {
			return nil, fmt.Errorf("scan evidence: %w", err)
		}
		out = append(out, e)
	}
	return out, rows.Err()
}

func insertEvidence(ctx context.Context, tx *db.Tx, orgID, incidentID string, e Evidence) error {
	var blob any
	if e.blob != "" {
		blob = e.blob
	}
	_, err := tx.ExecContext(ctx, `INSERT INTO evidence (id, org_id, incident_id, number, kind, name, description, source_host, source_person,
		collected_by, collected_at, method, location, media_type, size, md5, sha1, sha256, blob, custodian, status,
		created_by, created_at, updated_at, version)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21, $22, $23, $24, $25)`,
		e.ID, orgID, incidentID, e.Number, string(e.Kind), e.Name, e.Description, e.SourceHost, e.SourcePerson,
		e.CollectedBy, e.CollectedAt, e.Method, e.Location, e.MediaType, e.Size, e.MD5, e.SHA1, e.SHA256, blob, e.Custodian, string(e.Status),
		e.CreatedBy, e.CreatedAt, e.UpdatedAt, e.Version)
	if err != nil {
		return fmt.Errorf("insert evidence %s: %w", e.Label, err)
	}
	return nil
}

// saveCustody writes an item's custodian and status if its stored version
// is still prev.
func saveCustody(ctx context.Context, tx *db.Tx, e Evidence, prev int64) error {
	res, err := tx.ExecContext(ctx, `UPDATE evidence SET custodian = $1, status = $2, updated_at = $3, version = $4
		WHERE id = $5 AND version = $6`, e.Custodian, string(e.Status), e.UpdatedAt, e.Version, e.ID, prev)
	if err != nil {
		return fmt.Errorf("update evidence %s: %w", e.Label, err)
	}
	if n, _ := res.RowsAffected(); n != 1 {
		return errs.E(errs.PreconditionFailed, "evidence %s was changed by someone else; reload it and try again", e.Label)
	}
	return nil
}

func nextNumber(ctx context.Context, tx *db.Tx, incidentID string) (int64, error) {
	var n int64
	err := tx.QueryRowContext(ctx, `UPDATE incidents SET last_evidence_number = last_evidence_number + 1 WHERE id = $1
		RETURNING last_evidence_number`, incidentID).Scan(&n)
	if err != nil {
		return 0, fmt.Errorf("allocate evidence number: %w", err)
	}
	return n, nil
}

// blobInUse reports whether an item other than exceptID still holds the
// content sha (in any organisation: the store is shared).
func blobInUse(ctx context.Context, tx *db.Tx, sha, exceptID string) (bool, error) {
	var n int
	err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM evidence WHERE blob = $1 AND id <> $2 AND status <> 'destroyed'`, sha, exceptID).Scan(&n)
	if err != nil {
		return false, fmt.Errorf("check blob use: %w", err)
	}
	return n > 0, nil
}

// storedItem is an item whose content Warroom holds, for Verify.
type storedItem struct {
	id, ref, label, sha string
	size                int64
}

func listStored(ctx context.Context, tx *db.Tx) ([]storedItem, error) {
	rows, err := tx.QueryContext(ctx, `SELECT e.id, i.ref, e.number, e.blob, e.size FROM evidence e JOIN incidents i ON i.id = e.incident_id
		WHERE e.blob IS NOT NULL AND e.status <> 'destroyed' ORDER BY e.org_id, i.ref, e.number`)
	if err != nil {
		return nil, fmt.Errorf("list stored evidence: %w", err)
	}
	defer rows.Close()
	var out []storedItem
	for rows.Next() {
		var s storedItem
		var n int64
		var blob sql.NullString
		if err := rows.Scan(&s.id, &s.ref, &n, &blob, &s.size); err != nil {
			return nil, fmt.Errorf("scan stored evidence: %w", err)
		}
		s.label, s.sha = Label(n), blob.String
		out = append(out, s)
	}
	return out, rows.Err()
}
