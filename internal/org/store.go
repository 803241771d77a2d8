package org

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/warroom/warroom/internal/actor"
	"github.com/warroom/warroom/internal/db"
	"github.com/warroom/warroom/internal/errs"
)

func insertOrganization(ctx context.Context, tx *db.Tx, o Organization) error {
	_, err := tx.ExecContext(ctx, `INSERT INTO organizations (id, slug, name, created_at) VALUES ($1, $2, $3, $4)`,
		o.ID, o.Slug, o.Name, o.CreatedAt)
	if errors.Is(db.MapError(err), db.ErrUnique) {
		return &errs.Error{Code: errs.Conflict, Message: "organisation already exists",
			Fields: []errs.FieldError{{Field: "org", Message: fmt.Sprintf("an organisation with slug %q already exists", o.Slug)}}}
	}
	if err != nil {
		return fmt.Errorf("insert organisation: %w", err)
	}
	for _, r := range BuiltinRoles {
		r.Builtin, r.CreatedAt = true, o.CreatedAt
		if err := insertRole(ctx, tx, o.ID, r); err != nil {
			return err
		}
	}
	return nil
}

// findOrganization finds an organisation by slug or ID.
func findOrganization(ctx context.Context, tx *db.Tx, slugOrID string) (Organization, error) {
	var o Organization
	err := tx.QueryRowContext(ctx, `SELECT id, slug, name, created_at FROM organizations WHERE slug = $1 OR id = $1`, slugOrID).
		Scan(&o.ID, &o.Slug, &o.Name, &o.CreatedAt)
	if db.NoRows(err) {
		return o, errs.NotFoundf("organisation %q not found", slugOrID)
	}
	o.CreatedAt = o.CreatedAt.UTC()
	return o, err
}

func countOrganizations(ctx context.Context, tx *db.Tx) (int, error) {
	var n int
	err := tx.QueryRowContext(ctx, `SELECT count(*) FROM organizations`).Scan(&n)
	return n, err
}

func insertUser(ctx context.Context, tx *db.Tx, u User, passwordHash string) error {
	_, err := tx.ExecContext(ctx, `INSERT INTO users (id, email, name, password_hash, created_at) VALUES ($1, $2, $3, $4, $5)`,
		u.ID, u.Email, u.Name, passwordHash, u.CreatedAt)
	if errors.Is(db.MapError(err), db.ErrUnique) {
		return &errs.Error{Code: errs.Conflict, Message: "user already exists",
			Fields: []errs.FieldError{{Field: "email", Message: fmt.Sprintf("%s already has an account", u.Email)}}}
	}
	if err != nil {
		return fmt.Errorf("insert user: %w", err)
	}
	return nil
}

const userColumns = `u.id, u.email, u.name, u.created_at, u.disabled_at`

func scanUser(row interface{ Scan(...any) error }, extra ...any) (User, error) {
	var u User
	var disabled sql.NullTime
	err := row.Scan(append([]any{&u.ID, &u.Email, &u.Name, &u.CreatedAt, &disabled}, extra...)...)
	u.CreatedAt = u.CreatedAt.UTC()
	if disabled.Valid {
		t := disabled.Time.UTC()
		u.DisabledAt = &t
	}
	return u, err
}

func findUserByEmail(ctx context.Context, tx *db.Tx, email string) (User, string, error) {
	var hash string
	u, err := scanUser(tx.QueryRowContext(ctx, `SELECT `+userColumns+`, u.password_hash FROM users u WHERE u.email = $1`, email), &hash)
	if db.NoRows(err) {
		return u, "", errs.NotFoundf("no user %s", email)
	}
	return u, hash, err
}

func upsertMembership(ctx context.Context, tx *db.Tx, orgID, userID string, role actor.Role, now time.Time) error {
	_, err := tx.ExecContext(ctx, `INSERT INTO memberships (org_id, user_id, role, created_at) VALUES ($1, $2, $3, $4)
		ON CONFLICT (org_id, user_id) DO UPDATE SET role = excluded.role`, orgID, userID, string(role), now)
	if err != nil {
		return fmt.Errorf("save membership: %w", err)
	}
	return nil
}

// findMember returns a member of orgID by user ID or email.
func findMember(ctx context.Context, tx *db.Tx, orgID, idOrEmail string) (Member, error) {
	var m Member
	var role string
	u, err := scanUser(tx.QueryRowContext(ctx, `SELECT `+userColumns+`, m.role FROM users u JOIN memberships m ON m.user_id = u.id
		WHERE m.org_id = $1 AND (u.id = $2 OR u.email = $3)`, orgID, idOrEmail, NormalizeEmail(idOrEmail)), &role)
	if db.NoRows(err) {
		return m, errs.NotFoundf("%s is not a member of this organisation", idOrEmail)
	}
	if err != nil {
		return m, fmt.Errorf("find member: %w", err)
	}
	return Member{User: u, Role: actor.Role(role)}, nil
}

func listMembers(ctx context.Context, tx *db.Tx, orgID string) ([]Member, error) {
	rows, err := tx.QueryContext(ctx, `SELECT `+userColumns+`, m.role FROM users u JOIN memberships m ON m.user_id = u.id
		WHERE m.org_id = $1 ORDER BY u.email`, orgID)
	if err != nil {
		return nil, fmt.Errorf("list members: %w", err)
	}
	defer rows.Close()
	var out []Member
	for rows.Next() {
		var role string
		u, err := scanUser(rows, &role)
		if err != nil {
			return nil, fmt.Errorf("scan member: %w", err)
		}
		out = append(out, Member{User: u, Role: actor.Role(role)})
	}
	return out, rows.Err()
}

// membershipsOf returns the organisations a user belongs to, oldest first.
func membershipsOf(ctx context.Context, tx *db.Tx, userID string) ([]Organization, []actor.Role, error) {
	rows, err := tx.QueryContext(ctx, `SELECT o.id, o.slug, o.name, o.created_at, m.role FROM organizations o
		JOIN memberships m ON m.org_id = o.id WHERE m.user_id = $1 ORDER BY m.created_at, o.slug`, userID)
	if err != nil {
		return nil, nil, fmt.Errorf("list memberships: %w", err)
	}
	defer rows.Close()
	var orgs []Organization
	var roles []actor.Role
	for rows.Next() {
		var o Organization
		var r string
		if err := rows.Scan(&o.ID, &o.Slug, &o.Name, &o.CreatedAt, &r); err != nil {
			return nil, nil, err
		}
		orgs, roles = append(orgs, o), append(roles, actor.Role(r))
	}
	return orgs, roles, rows.Err()
}

func insertRole(ctx context.Context, tx *db.Tx, orgID string, r IRRole) error {
	_, err := tx.ExecContext(ctx, `INSERT INTO roles (org_id, key, name, description, builtin, created_at) VALUES ($1, $2, $3, $4, $5, $6)`,
		orgID, r.Key, r.Name, r.Description, r.Builtin, r.CreatedAt)
	if errors.Is(db.MapError(err), db.ErrUnique) {
		return &errs.Error{Code: errs.Conflict, Message: "role already exists",
			Fields: []errs.FieldError{{Field: "key", Message: fmt.Sprintf("the catalogue already has a role %q", r.Key)}}}
	}
	if err != nil {
		return fmt.Errorf("insert role: %w", err)
	}
	return nil
}

// ListRoles returns an organisation's role catalogue, built-in roles first
// in their catalogue order. Exported so incident can join a transaction.
func ListRoles(ctx context.Context, tx *db.Tx, orgID string) ([]IRRole, error) {
	rows, err := tx.QueryContext(ctx, `SELECT key, name, description, builtin, created_at FROM roles WHERE org_id = $1`, orgID)
	if err != nil {
		return nil, fmt.Errorf("list roles: %w", err)
	}
	defer rows.Close()
	var out []IRRole
	for rows.Next() {
		var r IRRole
		if err := rows.Scan(&r.Key, &r.Name, &r.Description, &r.Builtin, &r.CreatedAt); err != nil {
			return nil, fmt.Errorf("scan role: %w", err)
		}
		r.CreatedAt = r.CreatedAt.UTC()
		out = append(out, r)
	}
	sortRoles(out)
	return out, rows.Err()
}

// FindRole returns one role of the catalogue, or an Invalid error naming field.
func FindRole(ctx context.Context, tx *db.Tx, orgID, key, field string) (IRRole, error) {
	var r IRRole
	err := tx.QueryRowContext(ctx, `SELECT key, name, description, builtin, created_at FROM roles WHERE org_id = $1 AND key = $2`, orgID, key).
		Scan(&r.Key, &r.Name, &r.Description, &r.Builtin, &r.CreatedAt)
	if db.NoRows(err) {
		return r, &errs.Error{Code: errs.Invalid, Message: "unknown role",
			Fields: []errs.FieldError{{Field: field, Message: fmt.Sprintf("%q is not in the organisation's role catalogue (see GET /api/v1/roles)", key)}}}
	}
	return r, err
}

// FindMember returns a member of orgID by user ID or email, or an Invalid
// error naming field; for capabilities that assign people.
func FindMember(ctx context.Context, tx *db.Tx, orgID, idOrEmail, field string) (Member, error) {
	m, err := findMember(ctx, tx, orgID, idOrEmail)
	if errs.CodeOf(err) == errs.NotFound {
		return m, &errs.Error{Code: errs.Invalid, Message: "unknown person",
			Fields: []errs.FieldError{{Field: field, Message: fmt.Sprintf("%q is not a member of this organisation", idOrEmail)}}}
	}
	return m, err
}
