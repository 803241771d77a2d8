package org

import (
	"context"
	"fmt"
	"log/slog"
	"strings"
	"time"

	"github.com/warroom/warroom/internal/actor"
	"github.com/warroom/warroom/internal/audit"
	"github.com/warroom/warroom/internal/db"
	"github.com/warroom/warroom/internal/errs"
)

// Service owns the rules for organisations and people. Exported methods
// begin and commit their own transaction.
type Service struct {
	DB  *db.DB
	Now func() time.Time
	Log *slog.Logger
	// OnCreate runs in the transaction that creates an organisation, with
	// its first admin's user ID; other capabilities set up their defaults
	// there (the plan library imports the starter plans).
	OnCreate []func(ctx context.Context, tx *db.Tx, o Organization, adminID string) error
}

// BootstrapInput creates an organisation and its first administrator.
type BootstrapInput struct {
	OrgName  string
	Email    string
	Name     string
	Password string // empty: generate one
}

// BootstrapResult says what was created; Password is shown once.
type BootstrapResult struct {
	Org               Organization
	Admin             User
	Password          string
	PasswordGenerated bool
}

// IsEmpty reports whether no organisation exists yet (first start).
func (s *Service) IsEmpty(ctx context.Context) (bool, error) {
	var n int
	err := s.DB.Read(ctx, func(tx *db.Tx) (err error) { n, err = countOrganizations(ctx, tx); return err })
	return n == 0, err
}

// Bootstrap creates an organisation with its role catalogue and its first
// admin. It runs on the server's own machine (CLI or first start), so it
// needs no actor. An existing user is made admin of the new organisation
// and keeps their password.
func (s *Service) Bootstrap(ctx context.Context, in BootstrapInput) (BootstrapResult, error) {
	var v errs.Validation
	in.OrgName = strings.TrimSpace(in.OrgName)
	slug := Slugify(in.OrgName)
	if in.OrgName == "" || slug == "" || len(in.OrgName) > 200 {
		v.Add("org", "give the organisation a name of 1 to 200 characters with at least one letter or digit")
	}
	email := NormalizeEmail(in.Email)
	if email == "" {
		v.Add("email", "%q is not a valid email address", in.Email)
	}
	generated := in.Password == ""
	if generated {
		in.Password = GeneratePassword()
	} else if len(in.Password) < MinPasswordLength {
		v.Add("password", "must be at least %d characters", MinPasswordLength)
	}
	if err := v.Err(); err != nil {
		return BootstrapResult{}, err
	}
	now := db.Time(s.Now())
	res := BootstrapResult{
		Org:               Organization{ID: db.NewID(), Slug: slug, Name: in.OrgName, CreatedAt: now},
		Password:          in.Password,
		PasswordGenerated: generated,
	}
	hash := hashPassword(in.Password)
	err := s.DB.Write(ctx, func(tx *db.Tx) error {
		if err := insertOrganization(ctx, tx, res.Org); err != nil {
			return err
		}
		u, _, err := findUserByEmail(ctx, tx, email)
		switch errs.CodeOf(err) {
		case "":
			res.Password, res.PasswordGenerated = "", false
		case errs.NotFound:
			u = User{ID: db.NewID(), Email: email, Name: displayName(in.Name, email), CreatedAt: now}
			if err := insertUser(ctx, tx, u, hash); err != nil {
				return err
			}
		default:
			return err
		}
		res.Admin = u
		if err := upsertMembership(ctx, tx, res.Org.ID, u.ID, actor.Admin, now); err != nil {
			return err
		}
		for _, hook := range s.OnCreate {
			if err := hook(ctx, tx, res.Org, u.ID); err != nil {
				return err
			}
		}
		return audit.Write(ctx, tx, now, nil, res.Org.ID, "org.bootstrap", "user", u.ID, map[string]string{"email": email})
	})
	return res, err
}

func displayName(name, email string) string {
	if n := strings.TrimSpace(name); n != "" {
		return n
	}
	return strings.SplitN(email, "@", 2)[0]
}

// AddUserInput adds a person to an organisation.
type AddUserInput struct {
	Org      string // slug or ID; ignored for an actor, who adds to their own
	Email    string
	Name     string
	Role     actor.Role
	Password string // empty: generate one (for new users)
}

// AddUser creates the user if needed and gives them a role in the
// organisation. With an actor in ctx it must be an admin of that
// organisation; without one it is a local administrator command. The
// password is returned only when one was generated for a new user.
func (s *Service) AddUser(ctx context.Context, in AddUserInput) (Member, string, error) {
	a := actor.From(ctx)
	if a != nil && !a.IsAdmin() {
		return Member{}, "", errs.Forbiddenf("only organisation admins can add people")
	}
	var v errs.Validation
	email := NormalizeEmail(in.Email)
	if email == "" {
		v.Add("email", "%q is not a valid email address", in.Email)
	}
	if !in.Role.Valid() {
		v.Add("role", "%q is not a role; use viewer, responder or admin", in.Role)
	}
	if in.Password != "" && len(in.Password) < MinPasswordLength {
		v.Add("password", "must be at least %d characters", MinPasswordLength)
	}
	if len(in.Name) > 200 {
		v.Add("name", "must be at most 200 characters")
	}
	if err := v.Err(); err != nil {
		return Member{}, "", err
	}
	var m Member
	var shown string
	now := db.Time(s.Now())
	err := s.DB.Write(ctx, func(tx *db.Tx) error {
		orgID := ""
		if a != nil {
			orgID = a.OrgID
		} else {
			o, err := findOrganization(ctx, tx, in.Org)
			if err != nil {
				return err
			}
			orgID = o.ID
		}
		u, _, err := findUserByEmail(ctx, tx, email)
		if errs.CodeOf(err) == errs.NotFound {
			pw := in.Password
			if pw == "" {
				pw = GeneratePassword()
				shown = pw
			}
			u = User{ID: db.NewID(), Email: email, Name: displayName(in.Name, email), CreatedAt: now}
			if err := insertUser(ctx, tx, u, hashPassword(pw)); err != nil {
				return err
			}
		} else if err != nil {
			return err
		}
		if err := setRole(ctx, tx, orgID, u, in.Role, now); err != nil {
			return err
		}
		m = Member{User: u, Role: in.Role}
		return audit.Write(ctx, tx, now, a, orgID, "member.add", "user", u.ID, map[string]string{"email": email, "role": string(in.Role)})
	})
	return m, shown, err
}

// Members lists the people of the actor's organisation.
func (s *Service) Members(ctx context.Context) ([]Member, error) {
	a := actor.From(ctx)
	var out []Member
	err := s.DB.Read(ctx, func(tx *db.Tx) (err error) { out, err = listMembers(ctx, tx, a.OrgID); return err })
	return out, err
}

// SetMemberRole changes a member's organisation role. An admin cannot
// demote the last admin: the organisation would become unmanageable.
func (s *Service) SetMemberRole(ctx context.Context, idOrEmail string, role actor.Role) (Member, error) {
	a := actor.From(ctx)
	if !a.IsAdmin() {
		return Member{}, errs.Forbiddenf("only organisation admins can change roles")
	}
	if !role.Valid() {
		return Member{}, &errs.Error{Code: errs.Invalid, Message: "invalid role",
			Fields: []errs.FieldError{{Field: "role", Message: fmt.Sprintf("%q is not a role; use viewer, responder or admin", role)}}}
	}
	var m Member
	err := s.DB.Write(ctx, func(tx *db.Tx) error {
		var err error
		if m, err = findMember(ctx, tx, a.OrgID, idOrEmail); err != nil {
			return err
		}
		now := db.Time(s.Now())
		if err := setRole(ctx, tx, a.OrgID, m.User, role, now); err != nil {
			return err
		}
		m.Role = role
		return audit.Write(ctx, tx, now, a, "", "member.role", "user", m.ID, map[string]string{"role": string(role)})
	})
	return m, err
}

// setRole gives u a role in the organisation, refusing to demote its last
// admin: the organisation would become unmanageable. The organisation row
// is locked first (a no-op update, portable to both engines) so two admins
// demoting each other concurrently cannot both pass the check.
func setRole(ctx context.Context, tx *db.Tx, orgID string, u User, role actor.Role, now time.Time) error {
	if _, err := tx.ExecContext(ctx, `UPDATE organizations SET slug = slug WHERE id = $1`, orgID); err != nil {
		return fmt.Errorf("lock organisation: %w", err)
	}
	if role != actor.Admin {
		var isAdmin, admins int
		err := tx.QueryRowContext(ctx, `SELECT
			(SELECT count(*) FROM memberships WHERE org_id = $1 AND user_id = $2 AND role = 'admin'),
			(SELECT count(*) FROM memberships WHERE org_id = $1 AND role = 'admin')`, orgID, u.ID).Scan(&isAdmin, &admins)
		if err != nil {
			return fmt.Errorf("count admins: %w", err)
		}
		if isAdmin == 1 && admins <= 1 {
			return errs.Conflictf("%s is the last admin of the organisation; make someone else admin first", u.Email)
		}
	}
	return upsertMembership(ctx, tx, orgID, u.ID, role, now)
}

// Organization returns the actor's organisation.
func (s *Service) Organization(ctx context.Context) (Organization, error) {
	a := actor.From(ctx)
	var o Organization
	err := s.DB.Read(ctx, func(tx *db.Tx) (err error) { o, err = findOrganization(ctx, tx, a.OrgID); return err })
	return o, err
}

// Roles returns the actor's organisation's role catalogue.
func (s *Service) Roles(ctx context.Context) ([]IRRole, error) {
	a := actor.From(ctx)
	var out []IRRole
	err := s.DB.Read(ctx, func(tx *db.Tx) (err error) { out, err = ListRoles(ctx, tx, a.OrgID); return err })
	return out, err
}

// AddRole extends the role catalogue (admins only).
func (s *Service) AddRole(ctx context.Context, r IRRole) (IRRole, error) {
	a := actor.From(ctx)
	if !a.IsAdmin() {
		return r, errs.Forbiddenf("only organisation admins can change the role catalogue")
	}
	var v errs.Validation
	r.Key, r.Name, r.Description = strings.TrimSpace(r.Key), strings.TrimSpace(r.Name), strings.TrimSpace(r.Description)
	if !roleKeyRE.MatchString(r.Key) {
		v.Add("key", "%q must be 2-48 characters of lower-case letters, digits and underscores, starting with a letter", r.Key)
	}
	if r.Name == "" || len(r.Name) > 100 {
		v.Add("name", "must be 1 to 100 characters")
	}
	if len(r.Description) > 1000 {
		v.Add("description", "must be at most 1000 characters")
	}
	if err := v.Err(); err != nil {
		return r, err
	}
	r.Builtin, r.CreatedAt = false, db.Time(s.Now())
	err := s.DB.Write(ctx, func(tx *db.Tx) error {
		if err := insertRole(ctx, tx, a.OrgID, r); err != nil {
			return err
		}
		return audit.Write(ctx, tx, r.CreatedAt, a, "", "role.add", "role", r.Key, nil)
	})
	return r, err
}

// Audit returns the newest audit events of the organisation (admins only).
func (s *Service) Audit(ctx context.Context, limit int) ([]audit.Event, error) {
	a := actor.From(ctx)
	if !a.IsAdmin() {
		return nil, errs.Forbiddenf("only organisation admins can read the audit log")
	}
	if limit == 0 {
		limit = 100
	}
	if limit < 1 || limit > 1000 {
		return nil, &errs.Error{Code: errs.Invalid, Message: "invalid limit", Fields: []errs.FieldError{{Field: "limit", Message: "must be between 1 and 1000"}}}
	}
	var out []audit.Event
	err := s.DB.Read(ctx, func(tx *db.Tx) (err error) { out, err = audit.List(ctx, tx, a.OrgID, limit); return err })
	return out, err
}
