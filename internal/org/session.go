package org

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"github.com/warroom/warroom/internal/actor"
	"github.com/warroom/warroom/internal/audit"
	"github.com/warroom/warroom/internal/db"
	"github.com/warroom/warroom/internal/errs"
)

// Session lifetimes: a browser session ends after SessionIdle without use
// and in any case SessionMax after sign-in.
const (
	SessionIdle = 12 * time.Hour
	SessionMax  = 7 * 24 * time.Hour
)

// SessionPrefix starts every session secret.
const SessionPrefix = "wrs_"

// Session is a server-side browser session.
type Session struct {
	ID         string     `json:"id"`
	UserID     string     `json:"user_id"`
	UserEmail  string     `json:"user_email"`
	CSRFToken  string     `json:"-"`
	UserAgent  string     `json:"user_agent"`
	RemoteAddr string     `json:"remote_addr"`
	CreatedAt  time.Time  `json:"created_at"`
	ExpiresAt  time.Time  `json:"expires_at"`
	LastSeenAt time.Time  `json:"last_seen_at"`
	RevokedAt  *time.Time `json:"revoked_at,omitempty"`
}

// CreateSession starts a session for an actor that has just signed in and
// returns the cookie secret.
func (s *Service) CreateSession(ctx context.Context, a *actor.Actor, userAgent string) (string, Session, error) {
	now := db.Time(s.Now())
	secret, hash := newSecret(SessionPrefix)
	csrf, _ := newSecret("")
	if len(userAgent) > 300 {
		userAgent = userAgent[:300]
	}
	ses := Session{ID: db.NewID(), UserID: a.UserID, UserEmail: a.Email, CSRFToken: csrf, UserAgent: userAgent,
		RemoteAddr: a.RemoteAddr, CreatedAt: now, ExpiresAt: now.Add(SessionIdle), LastSeenAt: now}
	err := s.DB.Write(ctx, func(tx *db.Tx) error {
		_, err := tx.ExecContext(ctx, `INSERT INTO sessions (id, org_id, user_id, token_hash, csrf_token, user_agent, remote_addr, created_at, expires_at, last_seen_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
			ses.ID, a.OrgID, a.UserID, hash, csrf, userAgent, a.RemoteAddr, now, ses.ExpiresAt, now)
		if err != nil {
			return fmt.Errorf("insert session: %w", err)
		}
		return audit.Write(ctx, tx, now, a, "", "session.create", "session", ses.ID, nil)
	})
	return secret, ses, err
}

// AuthenticateSession resolves a session cookie to its actor and session,
// sliding the idle expiry forward (at most once a minute).
func (s *Service) AuthenticateSession(ctx context.Context, secret, remoteAddr string) (*actor.Actor, Session, error) {
	invalid := &errs.Error{Code: errs.Unauthorized, Message: "your session has ended; sign in again"}
	var ses Session
	var orgID string
	var revoked sql.NullTime
	now := db.Time(s.Now())
	var a *actor.Actor
	err := s.DB.Read(ctx, func(tx *db.Tx) error {
		err := tx.QueryRowContext(ctx, `SELECT id, org_id, user_id, csrf_token, user_agent, remote_addr, created_at, expires_at, last_seen_at, revoked_at
			FROM sessions WHERE token_hash = $1`, hashSecret(secret)).
			Scan(&ses.ID, &orgID, &ses.UserID, &ses.CSRFToken, &ses.UserAgent, &ses.RemoteAddr, &ses.CreatedAt, &ses.ExpiresAt, &ses.LastSeenAt, &revoked)
		if db.NoRows(err) {
			return invalid
		} else if err != nil {
			return fmt.Errorf("find session: %w", err)
		}
		if revoked.Valid || !ses.ExpiresAt.After(now) || !ses.CreatedAt.Add(SessionMax).After(now) {
			return invalid
		}
		a, err = actorFor(ctx, tx, ses.UserID, orgID, remoteAddr, "session")
		if a != nil {
			a.CredentialID = ses.ID
		}
		return err
	})
	if err != nil {
		return nil, ses, err
	}
	ses.UserEmail = a.Email
	if now.Sub(ses.LastSeenAt) > time.Minute {
		ses.LastSeenAt, ses.ExpiresAt = now, now.Add(SessionIdle)
		err = s.DB.Write(ctx, func(tx *db.Tx) error {
			_, err := tx.ExecContext(ctx, `UPDATE sessions SET last_seen_at = $1, expires_at = $2 WHERE id = $3`, now, ses.ExpiresAt, ses.ID)
			return err
		})
		if err != nil {
			return nil, ses, fmt.Errorf("touch session: %w", err)
		}
	}
	return a, ses, nil
}

// Sessions lists the actor's sessions; admins see every session of the organisation.
func (s *Service) Sessions(ctx context.Context) ([]Session, error) {
	a := actor.From(ctx)
	var out []Session
	err := s.DB.Read(ctx, func(tx *db.Tx) error {
		rows, err := tx.QueryContext(ctx, `SELECT s.id, s.user_id, u.email, s.user_agent, s.remote_addr, s.created_at, s.expires_at, s.last_seen_at, s.revoked_at
			FROM sessions s JOIN users u ON u.id = s.user_id WHERE s.org_id = $1 AND (s.user_id = $2 OR $3) ORDER BY s.created_at DESC`,
			a.OrgID, a.UserID, a.IsAdmin())
		if err != nil {
			return fmt.Errorf("list sessions: %w", err)
		}
		defer rows.Close()
		for rows.Next() {
			var x Session
			var rev sql.NullTime
			if err := rows.Scan(&x.ID, &x.UserID, &x.UserEmail, &x.UserAgent, &x.RemoteAddr, &x.CreatedAt, &x.ExpiresAt, &x.LastSeenAt, &rev); err != nil {
				return err
			}
			x.CreatedAt, x.ExpiresAt, x.LastSeenAt, x.RevokedAt = x.CreatedAt.UTC(), x.ExpiresAt.UTC(), x.LastSeenAt.UTC(), ptrTime(rev)
			out = append(out, x)
		}
		return rows.Err()
	})
	return out, err
}

// RevokeSession ends a session: the actor's own, or any in the
// organisation for an admin.
func (s *Service) RevokeSession(ctx context.Context, id string) error {
	a := actor.From(ctx)
	now := db.Time(s.Now())
	return s.DB.Write(ctx, func(tx *db.Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE sessions SET revoked_at = COALESCE(revoked_at, $1)
			WHERE id = $2 AND org_id = $3 AND (user_id = $4 OR $5)`, now, id, a.OrgID, a.UserID, a.IsAdmin())
		if err != nil {
			return fmt.Errorf("revoke session: %w", err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return errs.NotFoundf("session %s not found", id)
		}
		return audit.Write(ctx, tx, now, a, "", "session.revoke", "session", id, nil)
	})
}
