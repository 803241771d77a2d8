package incident

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/warroom/warroom/internal/actor"
	"github.com/warroom/warroom/internal/db"
	"github.com/warroom/warroom/internal/errs"
	"github.com/warroom/warroom/internal/org"
	"github.com/warroom/warroom/internal/record"
)

// Assignment is one person holding one role on an incident, current
// (ReleasedAt nil) or past.
type Assignment struct {
	ID         string     `json:"id"`
	Role       string     `json:"role"`
	RoleName   string     `json:"role_name"`
	UserID     string     `json:"user_id"`
	UserName   string     `json:"user_name"`
	UserEmail  string     `json:"user_email"`
	AssignedBy string     `json:"assigned_by"`
	AssignedAt time.Time  `json:"assigned_at"`
	ReleasedBy string     `json:"released_by,omitempty"`
	ReleasedAt *time.Time `json:"released_at,omitempty"`
	Note       string     `json:"note"`
}

// Roster is who holds which role now, and every hand-over before.
type Roster struct {
	Current []Assignment `json:"current"`
	History []Assignment `json:"history"`
	Flags   []Flag       `json:"flags"`
}

// Roster returns an incident's roster.
func (s *Service) Roster(ctx context.Context, ref string) (Roster, error) {
	var r Roster
	err := s.readIncident(ctx, ref, "roster", func(tx *db.Tx, i Incident) error {
		all, err := listAssignments(ctx, tx, i.ID)
		if err != nil {
			return err
		}
		r = Roster{Current: []Assignment{}, History: []Assignment{}, Flags: i.Flags}
		for _, as := range all {
			if as.ReleasedAt == nil {
				r.Current = append(r.Current, as)
			} else {
				r.History = append(r.History, as)
			}
		}
		return nil
	})
	return r, err
}

func listAssignments(ctx context.Context, tx *db.Tx, incidentID string) ([]Assignment, error) {
	rows, err := tx.QueryContext(ctx, `SELECT r.id, r.role_key, COALESCE(ro.name, r.role_key), r.user_id, u.name, u.email,
		r.assigned_by, r.assigned_at, COALESCE(r.released_by, ''), r.released_at, r.note
		FROM roster_assignments r JOIN users u ON u.id = r.user_id
		JOIN incidents i ON i.id = r.incident_id
		LEFT JOIN roles ro ON ro.org_id = i.org_id AND ro.key = r.role_key
		WHERE r.incident_id = $1 ORDER BY r.assigned_at, r.id`, incidentID)
	if err != nil {
		return nil, fmt.Errorf("list roster: %w", err)
	}
	defer rows.Close()
	var out []Assignment
	for rows.Next() {
		var as Assignment
		var rel sql.NullTime
		if err := rows.Scan(&as.ID, &as.Role, &as.RoleName, &as.UserID, &as.UserName, &as.UserEmail,
			&as.AssignedBy, &as.AssignedAt, &as.ReleasedBy, &rel, &as.Note); err != nil {
			return nil, fmt.Errorf("scan assignment: %w", err)
		}
		as.AssignedAt = as.AssignedAt.UTC()
		if rel.Valid {
			t := rel.Time.UTC()
			as.ReleasedAt = &t
		}
		out = append(out, as)
	}
	return out, rows.Err()
}

// AssignInput puts a person in a role.
type AssignInput struct {
	Role string `json:"role"`
	User string `json:"user"` // user ID or email
	Note string `json:"note"`
}

// Assign gives a person a role on the incident. Several people may hold
// the same role (two investigators); the same person twice is a conflict.
func (s *Service) Assign(ctx context.Context, ref string, in AssignInput) (Assignment, error) {
	a := actor.From(ctx)
	now := db.Time(s.Now())
	if err := checkNote(in.Note); err != nil {
		return Assignment{}, err
	}
	var out Assignment
	err := s.change(ctx, ref, func(tx *db.Tx, i Incident) error {
		role, err := org.FindRole(ctx, tx, a.OrgID, in.Role, "role")
		if err != nil {
			return err
		}
		m, err := org.FindMember(ctx, tx, a.OrgID, in.User, "user")
		if err != nil {
			return err
		}
		if out, err = assign(ctx, tx, a, now, i, role, m, in.Note); err != nil {
			return err
		}
		return s.applyPlanner(ctx, tx, a, now, i.Ref, false, "")
	})
	return out, err
}

func assign(ctx context.Context, tx *db.Tx, a *actor.Actor, now time.Time, i Incident, r org.IRRole, m org.Member, note string) (Assignment, error) {
	role := r.Key
	as := Assignment{ID: db.NewID(), Role: role, RoleName: r.Name, UserID: m.ID, UserName: m.Name, UserEmail: m.Email, AssignedBy: a.UserID, AssignedAt: now, Note: note}
	if err := insertAssignment(ctx, tx, i, as); err != nil {
		return as, err
	}
	_, err := record.Append(ctx, tx, a, now, record.NewEntry{OrgID: a.OrgID, IncidentID: i.ID, Kind: KindRoleAssigned,
		Text:    fmt.Sprintf("%s assigned as %s", displayName(m), r.Name),
		Payload: map[string]any{"role": role, "user_id": m.ID, "user_email": m.Email, "note": note}})
	return as, err
}

// insertAssignment adds a current assignment. A unique index on current
// assignments makes "the same person twice in a role" impossible even for
// concurrent requests.
func insertAssignment(ctx context.Context, tx *db.Tx, i Incident, as Assignment) error {
	_, err := tx.ExecContext(ctx, `INSERT INTO roster_assignments (id, incident_id, role_key, user_id, assigned_by, assigned_at, note)
		VALUES ($1, $2, $3, $4, $5, $6, $7)`, as.ID, i.ID, as.Role, as.UserID, as.AssignedBy, as.AssignedAt, as.Note)
	if errors.Is(db.MapError(err), db.ErrUnique) {
		return errs.Conflictf("%s already holds %s on %s", as.UserEmail, as.Role, i.Ref)
	}
	if err != nil {
		return fmt.Errorf("insert assignment: %w", err)
	}
	return nil
}

// ReleaseInput takes a person out of a role.
type ReleaseInput struct {
	Role string `json:"role"`
	User string `json:"user"`
	Note string `json:"note"`
}

// Release ends a person's hold on a role; the assignment stays in history.
func (s *Service) Release(ctx context.Context, ref string, in ReleaseInput) error {
	a := actor.From(ctx)
	now := db.Time(s.Now())
	if err := checkNote(in.Note); err != nil {
		return err
	}
	return s.change(ctx, ref, func(tx *db.Tx, i Incident) error {
		m, err := org.FindMember(ctx, tx, a.OrgID, in.User, "user")
		if err != nil {
			return err
		}
		role, err := org.FindRole(ctx, tx, a.OrgID, in.Role, "role")
		if err != nil {
			return err
		}
		if err := release(ctx, tx, a, now, i, in.Role, m, "user"); err != nil {
			return err
		}
		_, err = record.Append(ctx, tx, a, now, record.NewEntry{OrgID: a.OrgID, IncidentID: i.ID, Kind: KindRoleReleased,
			Text:    fmt.Sprintf("%s released from %s", displayName(m), role.Name),
			Payload: map[string]any{"role": in.Role, "user_id": m.ID, "user_email": m.Email, "note": in.Note}})
		return err
	})
}

// release ends m's hold on role; field names the input that chose m.
func release(ctx context.Context, tx *db.Tx, a *actor.Actor, now time.Time, i Incident, role string, m org.Member, field string) error {
	res, err := tx.ExecContext(ctx, `UPDATE roster_assignments SET released_at = $1, released_by = $2
		WHERE incident_id = $3 AND role_key = $4 AND user_id = $5 AND released_at IS NULL`, now, a.UserID, i.ID, role, m.ID)
	if err != nil {
		return fmt.Errorf("release assignment: %w", err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return &errs.Error{Code: errs.Invalid, Message: "not on the roster",
			Fields: []errs.FieldError{{Field: field, Message: fmt.Sprintf("%s does not hold %s on %s", m.Email, role, i.Ref)}}}
	}
	return nil
}

// HandoverInput passes a role from one person to another.
type HandoverInput struct {
	Role string `json:"role"`
	From string `json:"from"` // optional when exactly one person holds the role
	To   string `json:"to"`
	Note string `json:"note"`
}

// Handover passes a role in one step, so the role is never seen empty and
// the history shows who handed to whom and why.
func (s *Service) Handover(ctx context.Context, ref string, in HandoverInput) (Assignment, error) {
	a := actor.From(ctx)
	now := db.Time(s.Now())
	if err := checkNote(in.Note); err != nil {
		return Assignment{}, err
	}
	var out Assignment
	err := s.change(ctx, ref, func(tx *db.Tx, i Incident) error {
		role, err := org.FindRole(ctx, tx, a.OrgID, in.Role, "role")
		if err != nil {
			return err
		}
		to, err := org.FindMember(ctx, tx, a.OrgID, in.To, "to")
		if err != nil {
			return err
		}
		from, err := currentHolder(ctx, tx, a, i, in.Role, in.From)
		if err != nil {
			return err
		}
		if from.ID == to.ID {
			return &errs.Error{Code: errs.Invalid, Message: "invalid hand-over",
				Fields: []errs.FieldError{{Field: "to", Message: "is the person who already holds the role"}}}
		}
		if err := release(ctx, tx, a, now, i, in.Role, from, "from"); err != nil {
			return err
		}
		out = Assignment{ID: db.NewID(), Role: in.Role, RoleName: role.Name, UserID: to.ID, UserName: to.Name, UserEmail: to.Email, AssignedBy: a.UserID, AssignedAt: now, Note: in.Note}
		if err := insertAssignment(ctx, tx, i, out); err != nil {
			return err
		}
		_, err = record.Append(ctx, tx, a, now, record.NewEntry{OrgID: a.OrgID, IncidentID: i.ID, Kind: KindHandover,
			Text: fmt.Sprintf("%s handed %s over to %s", displayName(from), role.Name, displayName(to)),
			Payload: map[string]any{"role": in.Role, "from_user_id": from.ID, "from_email": from.Email,
				"to_user_id": to.ID, "to_email": to.Email, "note": in.Note}})
		if err != nil {
			return err
		}
		return s.applyPlanner(ctx, tx, a, now, i.Ref, false, "")
	})
	return out, err
}

// currentHolder resolves who hands a role over: the named person, or the
// only holder when none is named.
func currentHolder(ctx context.Context, tx *db.Tx, a *actor.Actor, i Incident, role, from string) (org.Member, error) {
	if from != "" {
		return org.FindMember(ctx, tx, a.OrgID, from, "from")
	}
	rows, err := tx.QueryContext(ctx, `SELECT user_id FROM roster_assignments WHERE incident_id = $1 AND role_key = $2 AND released_at IS NULL`, i.ID, role)
	if err != nil {
		return org.Member{}, fmt.Errorf("find holders: %w", err)
	}
	var ids []string
	for rows.Next() {
		var id string
		if err := rows.Scan(&id); err != nil {
			rows.Close()
			return org.Member{}, err
		}
		ids = append(ids, id)
	}
	rows.Close()
	switch len(ids) {
	case 0:
		return org.Member{}, &errs.Error{Code: errs.Invalid, Message: "nobody to hand over from",
			Fields: []errs.FieldError{{Field: "role", Message: fmt.Sprintf("nobody holds %s on %s; assign it instead", role, i.Ref)}}}
	case 1:
		return org.FindMember(ctx, tx, a.OrgID, ids[0], "from")
	}
	return org.Member{}, &errs.Error{Code: errs.Invalid, Message: "ambiguous hand-over",
		Fields: []errs.FieldError{{Field: "from", Message: fmt.Sprintf("%d people hold %s; say who hands over", len(ids), role)}}}
}

func displayName(m org.Member) string {
	if strings.TrimSpace(m.Name) != "" {
		return m.Name
	}
	return m.Email
}

func checkNote(note string) error {
	if len(note) > 2000 {
		return &errs.Error{Code: errs.Invalid, Message: "invalid note", Fields: []errs.FieldError{{Field: "note", Message: "must be at most 2000 bytes"}}}
	}
	return nil
}
