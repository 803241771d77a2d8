package contact

import (
	"context"
	"log/slog"
	"slices"
	"strings"
	"time"

	"github.com/warroom/warroom/internal/actor"
	"github.com/warroom/warroom/internal/audit"
	"github.com/warroom/warroom/internal/db"
	"github.com/warroom/warroom/internal/errs"
	"github.com/warroom/warroom/internal/org"
)

// Service owns the rules of the directory: everyone in the organisation
// reads it, responders and admins keep it up to date, admins delete.
// Exported methods begin and commit their own transaction, and every
// change writes an audit row in it.
type Service struct {
	DB  *db.DB
	Now func() time.Time
	Log *slog.Logger
}

func signedIn(a *actor.Actor) error {
	if a == nil {
		return &errs.Error{Code: errs.Unauthorized, Message: "sign in first"}
	}
	return nil
}

func mustWrite(a *actor.Actor) error {
	if err := signedIn(a); err != nil {
		return err
	}
	if !a.Role.CanWrite() {
		return errs.Forbiddenf("your role (%s) can read the directory but not change it", a.Role)
	}
	return nil
}

// List returns the contacts that match f, by kind in Kinds order and by
// name within a kind.
func (s *Service) List(ctx context.Context, f Filter) ([]Contact, error) {
	a := actor.From(ctx)
	if err := signedIn(a); err != nil {
		return nil, err
	}
	if f.Kind != "" && !slices.Contains(Kinds, f.Kind) {
		var v errs.Validation
		v.Add("kind", "%q is not allowed; use one of %s", f.Kind, kindList())
		return nil, v.Err()
	}
	var out []Contact
	now := s.Now()
	err := s.DB.Read(ctx, func(tx *db.Tx) (err error) { out, err = listContacts(ctx, tx, a.OrgID, f, now); return err })
	slices.SortStableFunc(out, func(x, y Contact) int { return slices.Index(Kinds, x.Kind) - slices.Index(Kinds, y.Kind) })
	return out, err
}

// Get returns one contact by key.
func (s *Service) Get(ctx context.Context, key string) (Contact, error) {
	a := actor.From(ctx)
	if err := signedIn(a); err != nil {
		return Contact{}, err
	}
	var c Contact
	err := s.DB.Read(ctx, func(tx *db.Tx) (err error) { c, err = Find(ctx, tx, a.OrgID, key, s.Now()); return err })
	return c, err
}

// Create adds a contact. With in.Verified the details count as confirmed
// with the person now; otherwise the new contact is stale until someone
// verifies it. Every problem with the input is reported at once.
func (s *Service) Create(ctx context.Context, in Input) (Contact, error) {
	a := actor.From(ctx)
	if err := mustWrite(a); err != nil {
		return Contact{}, err
	}
	now := db.Time(s.Now())
	c := Contact{ID: db.NewID(), Key: normalizeKey(in.Key), CreatedBy: a.UserID, CreatedAt: now, UpdatedAt: now, Version: 1}
	var out Contact
	err := s.DB.Write(ctx, func(tx *db.Tx) error {
		var v errs.Validation
		checkKey(&v, c.Key)
		f := fields{Name: in.Name, Kind: in.Kind, Role: in.Role, Organization: in.Organization, WorkEmail: in.WorkEmail, Phone: in.Phone,
			PersonalEmail: in.PersonalEmail, Signal: in.Signal, OutOfBandNotes: in.OutOfBandNotes, Notes: in.Notes}
		f.check(&v)
		f.apply(&c)
		if err := link(ctx, tx, a, &c, in.User, &v); err != nil {
			return err
		}
		if err := v.Err(); err != nil {
			return err
		}
		if in.Verified {
			c.VerifiedAt, c.VerifiedBy = &now, a.UserID
		}
		if err := insertContact(ctx, tx, a.OrgID, c); err != nil {
			return err
		}
		if err := audit.Write(ctx, tx, now, a, "", "contact.create", "contact", c.ID,
			map[string]any{"key": c.Key, "name": c.Name, "kind": c.Kind, "verified": in.Verified}); err != nil {
			return err
		}
		var err error
		out, err = Find(ctx, tx, a.OrgID, c.Key, now)
		return err
	})
	return out, err
}

// change is one changed field, for the audit row. Old values are kept on
// purpose: a swapped out-of-band number is exactly what an attacker inside
// would do, and the audit log is where someone will look for it.
type change struct {
	From string `json:"from"`
	To   string `json:"to"`
}

// Update applies p. ifVersion, when not zero, must equal the stored
// version (the API's If-Match). Changing a channel clears the
// verification, since nobody has confirmed the new details yet, unless
// p.Verified says they just did.
func (s *Service) Update(ctx context.Context, key string, p Patch, ifVersion int64) (Contact, error) {
	a := actor.From(ctx)
	if err := mustWrite(a); err != nil {
		return Contact{}, err
	}
	var out Contact
	err := s.DB.Write(ctx, func(tx *db.Tx) error {
		now := db.Time(s.Now())
		c, err := Find(ctx, tx, a.OrgID, key, now)
		if err != nil {
			return err
		}
		if err := checkVersion(c, ifVersion); err != nil {
			return err
		}
		next := c
		f := fields{Name: c.Name, Kind: c.Kind, Role: c.Role, Organization: c.Organization, WorkEmail: c.WorkEmail, Phone: c.Phone,
			PersonalEmail: c.PersonalEmail, Signal: c.Signal, OutOfBandNotes: c.OutOfBandNotes, Notes: c.Notes}
		for _, fp := range []struct {
			dst *string
			src *string
		}{{&f.Name, p.Name}, {&f.Role, p.Role}, {&f.Organization, p.Organization}, {&f.WorkEmail, p.WorkEmail}, {&f.Phone, p.Phone},
			{&f.PersonalEmail, p.PersonalEmail}, {&f.Signal, p.Signal}, {&f.OutOfBandNotes, p.OutOfBandNotes}, {&f.Notes, p.Notes}} {
			if fp.src != nil {
				*fp.dst = *fp.src
			}
		}
		if p.Kind != nil {
			f.Kind = *p.Kind
		}
		var v errs.Validation
		f.check(&v)
		f.apply(&next)
		if p.User != nil {
			if err := link(ctx, tx, a, &next, *p.User, &v); err != nil {
				return err
			}
		}
		if err := v.Err(); err != nil {
			return err
		}
		changes := diff(c, next)
		reachable := false
		for _, ch := range []string{"work_email", "phone", "personal_email", "signal"} {
			if _, ok := changes[ch]; ok {
				reachable = true
			}
		}
		cleared := reachable && c.VerifiedAt != nil && !p.Verified
		if reachable {
			next.VerifiedAt, next.VerifiedBy = nil, ""
		}
		if p.Verified {
			next.VerifiedAt, next.VerifiedBy = &now, a.UserID
		}
		if len(changes) == 0 && !p.Verified {
			out = c
			return nil
		}
		next.UpdatedAt, next.Version = now, c.Version+1
		if err := saveContact(ctx, tx, a.OrgID, next, c.Version); err != nil {
			return err
		}
		if err := audit.Write(ctx, tx, now, a, "", "contact.update", "contact", c.ID,
			map[string]any{"key": c.Key, "changes": changes, "verified": p.Verified, "verification_cleared": cleared}); err != nil {
			return err
		}
		out, err = Find(ctx, tx, a.OrgID, c.Key, now)
		return err
	})
	return out, err
}

// MarkVerified records that someone confirmed the contact's details with
// the person now: verified_at is the service clock, verified_by the actor.
func (s *Service) MarkVerified(ctx context.Context, key string, ifVersion int64) (Contact, error) {
	a := actor.From(ctx)
	if err := mustWrite(a); err != nil {
		return Contact{}, err
	}
	var out Contact
	err := s.DB.Write(ctx, func(tx *db.Tx) error {
		now := db.Time(s.Now())
		c, err := Find(ctx, tx, a.OrgID, key, now)
		if err != nil {
			return err
		}
		if err := checkVersion(c, ifVersion); err != nil {
			return err
		}
		next := c
		next.VerifiedAt, next.VerifiedBy, next.UpdatedAt, next.Version = &now, a.UserID, now, c.Version+1
		if err := saveContact(ctx, tx, a.OrgID, next, c.Version); err != nil {
			return err
		}
		detail := map[string]any{"key": c.Key, "previously_verified_at": c.VerifiedAt}
		if err := audit.Write(ctx, tx, now, a, "", "contact.verify", "contact", c.ID, detail); err != nil {
			return err
		}
		out, err = Find(ctx, tx, a.OrgID, c.Key, now)
		return err
	})
	return out, err
}

// Delete removes a contact from the directory (admins only). It is a real
// delete: the directory holds personal data of people outside the
// organisation, which should go when they do. The audit row keeps who
// deleted which key and name, not the person's channels.
func (s *Service) Delete(ctx context.Context, key string, ifVersion int64) error {
	a := actor.From(ctx)
	if err := signedIn(a); err != nil {
		return err
	}
	if !a.IsAdmin() {
		return errs.Forbiddenf("only organisation admins can delete contacts")
	}
	return s.DB.Write(ctx, func(tx *db.Tx) error {
		now := db.Time(s.Now())
		c, err := Find(ctx, tx, a.OrgID, key, now)
		if err != nil {
			return err
		}
		if err := checkVersion(c, ifVersion); err != nil {
			return err
		}
		if err := deleteContact(ctx, tx, a.OrgID, c); err != nil {
			return err
		}
		return audit.Write(ctx, tx, now, a, "", "contact.delete", "contact", c.ID, map[string]any{"key": c.Key, "name": c.Name, "kind": c.Kind})
	})
}

func checkVersion(c Contact, ifVersion int64) error {
	if ifVersion != 0 && ifVersion != c.Version {
		return errs.E(errs.PreconditionFailed, "contact %s is at version %d, not %d: someone else changed it; reload and try again", c.Key, c.Version, ifVersion)
	}
	return nil
}

// link points c at the member named by user (email or ID), or at nobody
// for "". An unknown member is a problem with the "user" field.
func link(ctx context.Context, tx *db.Tx, a *actor.Actor, c *Contact, user string, v *errs.Validation) error {
	user = strings.TrimSpace(user)
	if user == "" {
		c.UserID, c.UserEmail = "", ""
		return nil
	}
	m, err := org.FindMember(ctx, tx, a.OrgID, user, "user")
	if errs.CodeOf(err) == errs.Invalid {
		for _, fe := range errs.FieldsOf(err) {
			v.Add(fe.Field, "%s", fe.Message)
		}
		return nil
	}
	if err != nil {
		return err
	}
	c.UserID, c.UserEmail = m.ID, m.Email
	return nil
}

func (f fields) apply(c *Contact) {
	c.Name, c.Kind, c.Role, c.Organization = f.Name, f.Kind, f.Role, f.Organization
	c.WorkEmail, c.Phone, c.PersonalEmail, c.Signal = f.WorkEmail, f.Phone, f.PersonalEmail, f.Signal
	c.OutOfBandNotes, c.Notes = f.OutOfBandNotes, f.Notes
}

// diff lists the fields that differ between two versions of a contact.
func diff(a, b Contact) map[string]change {
	out := map[string]change{}
	for _, f := range []struct{ name, from, to string }{
		{"name", a.Name, b.Name}, {"kind", string(a.Kind), string(b.Kind)}, {"role", a.Role, b.Role},
		{"organization", a.Organization, b.Organization}, {"user", a.UserEmail, b.UserEmail},
		{"work_email", a.WorkEmail, b.WorkEmail}, {"phone", a.Phone, b.Phone}, {"personal_email", a.PersonalEmail, b.PersonalEmail},
		{"signal", a.Signal, b.Signal}, {"out_of_band_notes", a.OutOfBandNotes, b.OutOfBandNotes}, {"notes", a.Notes, b.Notes},
	} {
		if f.from != f.to {
			out[f.name] = change{f.from, f.to}
		}
	}
	return out
}
