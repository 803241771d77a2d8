package org

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"time"

	"github.com/warroom/warroom/internal/actor"
	"github.com/warroom/warroom/internal/audit"
	"github.com/warroom/warroom/internal/db"
	"github.com/warroom/warroom/internal/errs"
)

// TokenPrefix starts every API token, so a leaked one is recognisable.
const TokenPrefix = "wrt_"

// DefaultTokenLifetime applies when a token is created without an expiry.
const DefaultTokenLifetime = 90 * 24 * time.Hour

// Token describes an API token; the secret itself is never stored.
type Token struct {
	ID         string     `json:"id"`
	UserID     string     `json:"user_id"`
	UserEmail  string     `json:"user_email"`
	Name       string     `json:"name"`
	CreatedAt  time.Time  `json:"created_at"`
	ExpiresAt  *time.Time `json:"expires_at,omitempty"`
	LastUsedAt *time.Time `json:"last_used_at,omitempty"`
	RevokedAt  *time.Time `json:"revoked_at,omitempty"`
}

// TokenInput creates a token. ExpiresAt nil means DefaultTokenLifetime;
// NoExpiry makes a token that never expires.
type TokenInput struct {
	Name      string
	ExpiresAt *time.Time
	NoExpiry  bool
	// For local administrator use (no actor): whose token, in which org.
	Email string
	Org   string
}

// CreateToken creates an API token for the actor (or, locally, for
// in.Email in in.Org) and returns its secret, shown only this once.
func (s *Service) CreateToken(ctx context.Context, in TokenInput) (string, Token, error) {
	a := actor.From(ctx)
	now := db.Time(s.Now())
	var v errs.Validation
	in.Name = strings.TrimSpace(in.Name)
	if in.Name == "" || len(in.Name) > 100 {
		v.Add("name", "give the token a name of 1 to 100 characters (what or who uses it)")
	}
	exp := now.Add(DefaultTokenLifetime)
	switch {
	case in.NoExpiry:
		exp = time.Time{}
	case in.ExpiresAt != nil && !in.ExpiresAt.After(now):
		v.Add("expires_at", "must be in the future")
	case in.ExpiresAt != nil:
		exp = db.Time(*in.ExpiresAt)
	}
	if err := v.Err(); err != nil {
		return "", Token{}, err
	}
	secret, hash := newSecret(TokenPrefix)
	t := Token{ID: db.NewID(), Name: in.Name, CreatedAt: now}
	if !exp.IsZero() {
		t.ExpiresAt = &exp
	}
	err := s.DB.Write(ctx, func(tx *db.Tx) error {
		owner := a
		if owner == nil {
			o, err := findOrganization(ctx, tx, in.Org)
			if err != nil {
				return err
			}
			m, err := findMember(ctx, tx, o.ID, in.Email)
			if err != nil {
				return err
			}
			owner = &actor.Actor{UserID: m.ID, OrgID: o.ID, Email: m.Email}
		}
		t.UserID, t.UserEmail = owner.UserID, owner.Email
		_, err := tx.ExecContext(ctx, `INSERT INTO api_tokens (id, org_id, user_id, name, token_hash, created_at, expires_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7)`, t.ID, owner.OrgID, t.UserID, t.Name, hash, now, db.NullTime(t.ExpiresAt))
		if err != nil {
			return fmt.Errorf("insert token: %w", err)
		}
		return audit.Write(ctx, tx, now, a, owner.OrgID, "token.create", "token", t.ID, map[string]string{"name": t.Name, "user": t.UserEmail})
	})
	return secret, t, err
}

// AuthenticateToken resolves a bearer token to its actor. last_used_at is
// written at most once a minute so reads do not turn into writes.
func (s *Service) AuthenticateToken(ctx context.Context, secret, remoteAddr string) (*actor.Actor, error) {
	invalid := &errs.Error{Code: errs.Unauthorized, Message: "the API token is invalid, expired or revoked"}
	if !strings.HasPrefix(secret, TokenPrefix) {
		return nil, invalid
	}
	now := db.Time(s.Now())
	var id, userID, orgID string
	var exp, revoked, used sql.NullTime
	var a *actor.Actor
	err := s.DB.Read(ctx, func(tx *db.Tx) error {
		err := tx.QueryRowContext(ctx, `SELECT id, user_id, org_id, expires_at, revoked_at, last_used_at FROM api_tokens WHERE token_hash = $1`,
			hashSecret(secret)).Scan(&id, &userID, &orgID, &exp, &revoked, &used)
		if db.NoRows(err) {
			return invalid
		} else if err != nil {
			return fmt.Errorf("find token: %w", err)
		}
		if revoked.Valid || (exp.Valid && !exp.Time.After(now)) {
			return invalid
		}
		a, err = actorFor(ctx, tx, userID, orgID, remoteAddr, "token")
		if a != nil {
			a.CredentialID = id
		}
		return err
	})
	if err != nil {
		return nil, err
	}
	if !used.Valid || now.Sub(used.Time) > time.Minute {
		err = s.DB.Write(ctx, func(tx *db.Tx) error {
			_, err := tx.ExecContext(ctx, `UPDATE api_tokens SET last_used_at = $1 WHERE id = $2`, now, id)
			return err
		})
		if err != nil {
			return nil, fmt.Errorf("touch token: %w", err)
		}
	}
	return a, nil
}

// Tokens lists the actor's tokens; admins see every token of the organisation.
func (s *Service) Tokens(ctx context.Context) ([]Token, error) {
	a := actor.From(ctx)
	q := `SELECT t.id, t.user_id, u.email, t.name, t.created_at, t.expires_at, t.last_used_at, t.revoked_at
		FROM api_tokens t JOIN users u ON u.id = t.user_id WHERE t.org_id = $1 AND (t.user_id = $2 OR $3)
		ORDER BY t.created_at DESC`
	var out []Token
	err := s.DB.Read(ctx, func(tx *db.Tx) error {
		rows, err := tx.QueryContext(ctx, q, a.OrgID, a.UserID, a.IsAdmin())
		if err != nil {
			return fmt.Errorf("list tokens: %w", err)
		}
		defer rows.Close()
		for rows.Next() {
			var t Token
			var exp, used, rev sql.NullTime
			if err := rows.Scan(&t.ID, &t.UserID, &t.UserEmail, &t.Name, &t.CreatedAt, &exp, &used, &rev); err != nil {
				return err
			}
			t.CreatedAt, t.ExpiresAt, t.LastUsedAt, t.RevokedAt = t.CreatedAt.UTC(), ptrTime(exp), ptrTime(used), ptrTime(rev)
			out = append(out, t)
		}
		return rows.Err()
	})
	return out, err
}

// RevokeToken revokes one of the actor's tokens (admins: any in the organisation).
func (s *Service) RevokeToken(ctx context.Context, id string) error {
	a := actor.From(ctx)
	now := db.Time(s.Now())
	return s.DB.Write(ctx, func(tx *db.Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE api_tokens SET revoked_at = COALESCE(revoked_at, $1)
			WHERE id = $2 AND org_id = $3 AND (user_id = $4 OR $5)`, now, id, a.OrgID, a.UserID, a.IsAdmin())
		if err != nil {
			return fmt.Errorf("revoke token: %w", err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return errs.NotFoundf("token %s not found", id)
		}
		return audit.Write(ctx, tx, now, a, "", "token.revoke", "token", id, nil)
	})
}

func ptrTime(t sql.NullTime) *time.Time {
	if !t.Valid {
		return nil
	}
	u := t.Time.UTC()
	return &u
}
