package contact

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/warroom/warroom/internal/db"
	"github.com/warroom/warroom/internal/errs"
)

// contactColumns reads a contact aliased c, with the linked user's email
// and the verifier's name; every query that uses it is scoped to c.org_id.
const contactColumns = `c.id, c.key, c.name, c.kind, c.role, c.organization, COALESCE(c.user_id, ''), COALESCE(u.email, ''),
	c.work_email, c.phone, c.personal_email, c.signal, c.out_of_band_notes, c.notes,
	c.verified_at, COALESCE(c.verified_by, ''), COALESCE(v.name, ''), c.created_by, c.created_at, c.updated_at, c.version`

const contactFrom = ` FROM contacts c LEFT JOIN users u ON u.id = c.user_id LEFT JOIN users v ON v.id = c.verified_by`

// scanContact reads one row; Stale is computed against now.
func scanContact(row interface{ Scan(...any) error }, now time.Time) (Contact, error) {
	var c Contact
	var verified sql.NullTime
	err := row.Scan(&c.ID, &c.Key, &c.Name, &c.Kind, &c.Role, &c.Organization, &c.UserID, &c.UserEmail,
		&c.WorkEmail, &c.Phone, &c.PersonalEmail, &c.Signal, &c.OutOfBandNotes, &c.Notes,
		&verified, &c.VerifiedBy, &c.VerifiedByName, &c.CreatedBy, &c.CreatedAt, &c.UpdatedAt, &c.Version)
	if err != nil {
		return c, err
	}
	c.CreatedAt, c.UpdatedAt = c.CreatedAt.UTC(), c.UpdatedAt.UTC()
	if verified.Valid {
		t := verified.Time.UTC()
		c.VerifiedAt = &t
	}
	c.Stale = IsStale(c.VerifiedAt, now)
	return c, nil
}

// Find returns the contact of orgID with key, or a not-found error.
// Exported so other capabilities (escalation) can join a transaction.
func Find(ctx context.Context, tx *db.Tx, orgID, key string, now time.Time) (Contact, error) {
	c, err := scanContact(tx.QueryRowContext(ctx, `SELECT `+contactColumns+contactFrom+` WHERE c.org_id = $1 AND c.key = $2`,
		orgID, normalizeKey(key)), now)
	if errors.Is(err, sql.ErrNoRows) {
		return c, errs.NotFoundf("no contact %q in the directory", key)
	}
	if err != nil {
		return c, fmt.Errorf("load contact %s: %w", key, err)
	}
	return c, nil
}

func insertContact(ctx context.Context, tx *db.Tx, orgID string, c Contact) error {
	_, err := tx.ExecContext(ctx, `INSERT INTO contacts (id, org_id, key, name, kind, role, organization, user_id, work_email, phone,
		personal_email, signal, out_of_band_notes, notes, verified_at, verified_by, created_by, created_at, updated_at, version)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20)`,
		c.ID, orgID, c.Key, c.Name, string(c.Kind), c.Role, c.Organization, nullString(c.UserID), c.WorkEmail, c.Phone,
		c.PersonalEmail, c.Signal, c.OutOfBandNotes, c.Notes, db.NullTime(c.VerifiedAt), nullString(c.VerifiedBy),
		c.CreatedBy, c.CreatedAt, c.UpdatedAt, c.Version)
	if errors.Is(db.MapError(err), db.ErrUnique) {
		return &errs.Error{Code: errs.Conflict, Message: "contact already exists",
			Fields: []errs.FieldError{{Field: "key", Message: fmt.Sprintf("the directory already has a contact %q", c.Key)}}}
	}
	if err != nil {
		return fmt.Errorf("insert contact %s: %w", c.Key, err)
	}
	return nil
}

// saveContact writes the mutable fields if the stored version is still
// prev: a concurrent writer makes it fail instead of being overwritten.
func saveContact(ctx context.Context, tx *db.Tx, orgID string, c Contact, prev int64) error {
	res, err := tx.ExecContext(ctx, `UPDATE contacts SET name = $1, kind = $2, role = $3, organization = $4, user_id = $5,
		work_email = $6, phone = $7, personal_email = $8, signal = $9, out_of_band_notes = $10, notes = $11,
		verified_at = $12, verified_by = $13, updated_at = $14, version = $15
		WHERE org_id = $16 AND id = $17 AND version = $18`,
		c.Name, string(c.Kind), c.Role, c.Organization, nullString(c.UserID), c.WorkEmail, c.Phone, c.PersonalEmail, c.Signal,
		c.OutOfBandNotes, c.Notes, db.NullTime(c.VerifiedAt), nullString(c.VerifiedBy), c.UpdatedAt, c.Version, orgID, c.ID, prev)
	if err != nil {
		return fmt.Errorf("update contact %s: %w", c.Key, err)
	}
	if n, _ := res.RowsAffected(); n != 1 {
		return errs.E(errs.PreconditionFailed, "contact %s was changed by someone else; reload it and try again", c.Key)
	}
	return nil
}

func deleteContact(ctx context.Context, tx *db.Tx, orgID string, c Contact) error {
	res, err := tx.ExecContext(ctx, `DELETE FROM contacts WHERE org_id = $1 AND id = $2 AND version = $3`, orgID, c.ID, c.Version)
	if err != nil {
		return fmt.Errorf("delete contact %s: %w", c.Key, err)
	}
	if n, _ := res.RowsAffected(); n != 1 {
		return errs.E(errs.PreconditionFailed, "contact %s was changed by someone else; reload it and try again", c.Key)
	}
	return nil
}

// listContacts returns the contacts of orgID that match f, by kind (in
// Kinds order) and name.
func listContacts(ctx context.Context, tx *db.Tx, orgID string, f Filter, now time.Time) ([]Contact, error) {
	where := []string{"c.org_id = $1"}
	args := []any{orgID}
	if f.Kind != "" {
		args = append(args, string(f.Kind))
		where = append(where, fmt.Sprintf("c.kind = $%d", len(args)))
	}
	if f.Stale {
		// The same rule as IsStale: never verified, or StaleAfter ago or longer.
		args = append(args, db.Time(now.Add(-StaleAfter)))
		where = append(where, fmt.Sprintf("(c.verified_at IS NULL OR c.verified_at <= $%d)", len(args)))
	}
	if q := strings.TrimSpace(f.Query); q != "" {
		args = append(args, "%"+strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`).Replace(strings.ToLower(q))+"%")
		n := len(args)
		where = append(where, fmt.Sprintf(`(lower(c.key) LIKE $%d ESCAPE '\' OR lower(c.name) LIKE $%d ESCAPE '\'
			OR lower(c.organization) LIKE $%d ESCAPE '\' OR lower(c.role) LIKE $%d ESCAPE '\')`, n, n, n, n))
	}
	rows, err := tx.QueryContext(ctx, `SELECT `+contactColumns+contactFrom+` WHERE `+strings.Join(where, " AND ")+` ORDER BY c.name, c.key`, args...)
	if err != nil {
		return nil, fmt.Errorf("list contacts: %w", err)
	}
	defer rows.Close()
	out := []Contact{}
	for rows.Next() {
		c, err := scanContact(rows, now)
		if err != nil {
			return nil, fmt.Errorf("scan contact: %w", err)
		}
		out = append(out, c)
	}
	return out, rows.Err()
}

func nullString(s string) any {
	if s == "" {
		return nil
	}
	return s
}
