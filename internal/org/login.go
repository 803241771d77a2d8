package org

import (
	"context"
	"fmt"
	"time"

	"github.com/warroom/warroom/internal/actor"
	"github.com/warroom/warroom/internal/audit"
	"github.com/warroom/warroom/internal/db"
	"github.com/warroom/warroom/internal/errs"
)

// Sign-in limits: failures counted over a sliding window, per account (so
// one account cannot be guessed at) and per address (so one address
// cannot spray many accounts).
const (
	loginWindow         = 15 * time.Minute
	maxFailuresPerEmail = 10
	maxFailuresPerAddr  = 50
)

// LoginInput is a sign-in attempt.
type LoginInput struct {
	Email      string
	Password   string
	Org        string // slug; empty: the user's first organisation
	RemoteAddr string
}

var errBadCredentials = &errs.Error{Code: errs.Unauthorized, Message: "email or password is incorrect"}

// Login checks a password and returns the actor it authenticates. Every
// failure looks the same to the caller, whatever the reason.
func (s *Service) Login(ctx context.Context, in LoginInput) (*actor.Actor, error) {
	email := NormalizeEmail(in.Email)
	emailKey, addrKey := "email:"+email, "addr:"+in.RemoteAddr
	now := db.Time(s.Now())
	var u User
	var hash string
	err := s.DB.Read(ctx, func(tx *db.Tx) error {
		for _, l := range []struct {
			key string
			max int
		}{{emailKey, maxFailuresPerEmail}, {addrKey, maxFailuresPerAddr}} {
			var n int
			if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM login_failures WHERE scope_key = $1 AND attempted_at > $2`,
				l.key, now.Add(-loginWindow)).Scan(&n); err != nil {
				return fmt.Errorf("count sign-in failures: %w", err)
			}
			if n >= l.max {
				return errs.E(errs.TooManyRequests, "too many failed sign-ins; wait %d minutes and try again", int(loginWindow.Minutes()))
			}
		}
		var err error
		u, hash, err = findUserByEmail(ctx, tx, email)
		if errs.CodeOf(err) == errs.NotFound {
			return nil
		}
		return err
	})
	if err != nil {
		return nil, err
	}
	// Hash outside any transaction: argon2 is slow on purpose and must not
	// hold the write lock.
	ok := false
	if hash == "" {
		_, _ = checkPassword(dummyHash, in.Password)
	} else if ok, err = checkPassword(hash, in.Password); err != nil {
		return nil, fmt.Errorf("check password of %s: %w", u.ID, err)
	}
	if !ok || u.DisabledAt != nil {
		err := s.DB.Write(ctx, func(tx *db.Tx) error {
			for _, k := range []string{emailKey, addrKey} {
				if _, err := tx.ExecContext(ctx, `INSERT INTO login_failures (id, scope_key, attempted_at) VALUES ($1, $2, $3)`, db.NewID(), k, now); err != nil {
					return fmt.Errorf("record sign-in failure: %w", err)
				}
			}
			_, err := tx.ExecContext(ctx, `DELETE FROM login_failures WHERE attempted_at < $1`, now.Add(-loginWindow))
			return err
		})
		if err != nil {
			return nil, err
		}
		return nil, errBadCredentials
	}
	var a *actor.Actor
	err = s.DB.Write(ctx, func(tx *db.Tx) error {
		orgs, roles, err := membershipsOf(ctx, tx, u.ID)
		if err != nil {
			return err
		}
		for i, o := range orgs {
			if in.Org == "" || in.Org == o.Slug || in.Org == o.ID {
				a = &actor.Actor{UserID: u.ID, OrgID: o.ID, Email: u.Email, Name: u.Name, Role: roles[i], RemoteAddr: in.RemoteAddr}
				break
			}
		}
		if a == nil {
			return &errs.Error{Code: errs.Unauthorized, Message: "you are not a member of that organisation"}
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM login_failures WHERE scope_key = $1`, emailKey); err != nil {
			return err
		}
		return audit.Write(ctx, tx, now, a, "", "login", "user", u.ID, nil)
	})
	return a, err
}

// actorFor builds the actor for a user in an organisation from current
// rows, so a role change or removal takes effect on the next request.
func actorFor(ctx context.Context, tx *db.Tx, userID, orgID, remoteAddr, via string) (*actor.Actor, error) {
	var a actor.Actor
	var role string
	var disabled *time.Time
	err := tx.QueryRowContext(ctx, `SELECT u.id, u.email, u.name, u.disabled_at, m.role FROM users u
		JOIN memberships m ON m.user_id = u.id WHERE u.id = $1 AND m.org_id = $2`, userID, orgID).
		Scan(&a.UserID, &a.Email, &a.Name, &disabled, &role)
	if db.NoRows(err) || (err == nil && disabled != nil) {
		return nil, &errs.Error{Code: errs.Unauthorized, Message: "this account no longer has access to the organisation"}
	}
	if err != nil {
		return nil, fmt.Errorf("load actor: %w", err)
	}
	a.OrgID, a.Role, a.RemoteAddr, a.Via = orgID, actor.Role(role), remoteAddr, via
	return &a, nil
}
