package evidence

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"os"
	"time"

	"github.com/warroom/warroom/internal/actor"
	"github.com/warroom/warroom/internal/audit"
	"github.com/warroom/warroom/internal/db"
	"github.com/warroom/warroom/internal/errs"
	"github.com/warroom/warroom/internal/incident"
	"github.com/warroom/warroom/internal/record"
)

// DefaultMaxSize is the upload size limit when Service.MaxSize is 0: large
// enough for a laptop's memory image, small enough to notice a mistake.
const DefaultMaxSize int64 = 10 << 30

// Service owns the rules of the locker. Exported methods begin and commit
// their own transaction; every custody event is a timeline entry written
// in the transaction that changes the item.
type Service struct {
	DB    *db.DB
	Now   func() time.Time
	Log   *slog.Logger
	Blobs *Blobs
	// MaxSize bounds one upload, in bytes (0: DefaultMaxSize).
	MaxSize int64
}

func (s *Service) maxSize() int64 {
	if s.MaxSize > 0 {
		return s.MaxSize
	}
	return DefaultMaxSize
}

func signedIn(a *actor.Actor) error {
	if a == nil {
		return &errs.Error{Code: errs.Unauthorized, Message: "sign in first"}
	}
	return nil
}

// Upload streams r into the blob store and adds it to the incident as a
// file item, with a "collected" entry carrying its hashes. The caller's
// right to add evidence and the metadata are checked before a byte is
// read, so a refused upload costs nothing.
func (s *Service) Upload(ctx context.Context, ref string, m Meta, r io.Reader) (Evidence, error) {
	a := actor.From(ctx)
	if err := signedIn(a); err != nil {
		return Evidence{}, err
	}
	now := db.Time(s.Now())
	var v errs.Validation
	m.check(&v, now)
	if m.Name == "" {
		v.Add("name", "name the file (uploads use the file's own name by default)")
	}
	if err := v.Err(); err != nil {
		return Evidence{}, err
	}
	if err := s.DB.Read(ctx, func(tx *db.Tx) error { _, err := incident.Changeable(ctx, tx, a, ref); return err }); err != nil {
		return Evidence{}, err
	}
	sums, err := s.Blobs.Put(ctx, r, s.maxSize())
	if err != nil {
		return Evidence{}, err
	}
	e := newItem(a, now, m, File)
	e.Size, e.MD5, e.SHA1, e.SHA256, e.blob = sums.Size, sums.MD5, sums.SHA1, sums.SHA256, sums.SHA256
	return s.add(ctx, ref, e)
}

// Register adds an item held outside Warroom, with the hashes someone
// computed where it is (optional, checked for form).
func (s *Service) Register(ctx context.Context, ref string, in ExternalInput) (Evidence, error) {
	a := actor.From(ctx)
	if err := signedIn(a); err != nil {
		return Evidence{}, err
	}
	now := db.Time(s.Now())
	var v errs.Validation
	in.check(&v, now)
	if err := v.Err(); err != nil {
		return Evidence{}, err
	}
	e := newItem(a, now, in.Meta, External)
	// A registration never points at stored content, whatever hashes it
	// names: only an upload of the bytes can make them downloadable.
	e.Location, e.Size, e.MD5, e.SHA1, e.SHA256 = in.Location, in.Size, in.MD5, in.SHA1, in.SHA256
	return s.add(ctx, ref, e)
}

func newItem(a *actor.Actor, now time.Time, m Meta, kind Kind) Evidence {
	e := Evidence{ID: db.NewID(), Kind: kind, Name: m.Name, Description: m.Description, SourceHost: m.SourceHost,
		SourcePerson: m.SourcePerson, CollectedBy: m.CollectedBy, CollectedAt: now, Method: m.Method, MediaType: m.MediaType,
		Status: Held, CreatedBy: a.UserID, CreatedAt: now, UpdatedAt: now, Version: 1}
	if e.CollectedBy == "" {
		e.CollectedBy = a.Name
		if e.CollectedBy == "" {
			e.CollectedBy = a.Email
		}
	}
	if m.CollectedAt != nil {
		e.CollectedAt = db.Time(*m.CollectedAt)
	}
	e.Custodian = e.CollectedBy
	return e
}

// add numbers and inserts e and writes its "collected" entry, dated when
// it was collected.
func (s *Service) add(ctx context.Context, ref string, e Evidence) (Evidence, error) {
	a := actor.From(ctx)
	err := s.DB.Write(ctx, func(tx *db.Tx) error {
		i, err := incident.Changeable(ctx, tx, a, ref)
		if err != nil {
			return err
		}
		if e.Number, err = nextNumber(ctx, tx, i.ID); err != nil {
			return err
		}
		e.IncidentRef, e.Label = i.Ref, Label(e.Number)
		if err := insertEvidence(ctx, tx, a.OrgID, i.ID, e); err != nil {
			return err
		}
		p := newPayload(e, "collected")
		p.To, p.Method, p.Location, p.SourceHost, p.SourcePerson = e.Custodian, e.Method, e.Location, e.SourceHost, e.SourcePerson
		_, err = record.Append(ctx, tx, a, e.CreatedAt, record.NewEntry{OrgID: a.OrgID, IncidentID: i.ID, Kind: KindCollected,
			EventTime: e.CollectedAt, Text: fmt.Sprintf("Evidence %s collected by %s", describe(e), e.CollectedBy),
			Payload: p})
		if err != nil {
			return err
		}
		e, err = findEvidence(ctx, tx, i, e.Label)
		return err
	})
	return e, err
}

// List returns the items of an incident, by number.
func (s *Service) List(ctx context.Context, ref string) ([]Evidence, error) {
	if err := signedIn(actor.From(ctx)); err != nil {
		return nil, err
	}
	var out []Evidence
	err := incident.ReadVisible(ctx, s.DB, s.Now(), ref, "evidence", func(tx *db.Tx, i incident.Incident) (err error) {
		out, err = listEvidence(ctx, tx, i)
		return err
	})
	return out, err
}

// Get returns one item by its label (EV-3 or 3).
func (s *Service) Get(ctx context.Context, ref, label string) (Evidence, error) {
	if err := signedIn(actor.From(ctx)); err != nil {
		return Evidence{}, err
	}
	var out Evidence
	err := incident.ReadVisible(ctx, s.DB, s.Now(), ref, "evidence", func(tx *db.Tx, i incident.Incident) (err error) {
		out, err = findEvidence(ctx, tx, i, label)
		return err
	})
	return out, err
}

// Open opens a stored file for download. Responders and admins who can
// see the incident may; viewers may not, since a download is an access in
// the chain of custody. The access is written to the record (with the
// hashes, and reason when given) and to the audit log in one transaction
// before the content is handed over. The caller closes the file.
func (s *Service) Open(ctx context.Context, ref, label, reason string) (Evidence, *os.File, error) {
	a := actor.From(ctx)
	if err := signedIn(a); err != nil {
		return Evidence{}, nil, err
	}
	if len(reason) > 2000 {
		return Evidence{}, nil, fieldErr("reason", "must be at most 2000 bytes")
	}
	var out Evidence
	var f *os.File
	err := s.DB.Write(ctx, func(tx *db.Tx) error {
		if f != nil { // a retried transaction
			f.Close()
			f = nil
		}
		now := db.Time(s.Now())
		i, err := incident.Changeable(ctx, tx, a, ref)
		if err != nil {
			return err
		}
		e, err := findEvidence(ctx, tx, i, label)
		if err != nil {
			return err
		}
		if e.Kind != File {
			return errs.Invalidf("%s is held outside Warroom (%s): there is nothing to download", e.Label, e.Location)
		}
		if err := allowed(e, "access"); err != nil {
			return err
		}
		if f, err = s.Blobs.Open(e.blob); errors.Is(err, fs.ErrNotExist) {
			return &errs.Error{Code: errs.Internal, Message: fmt.Sprintf("the stored content of %s is missing; an administrator should run warroom evidence verify", e.Label), Err: err}
		} else if err != nil {
			return fmt.Errorf("open blob of %s: %w", e.Label, err)
		}
		p := newPayload(e, "accessed")
		p.Via, p.Reason = "download", reason
		if _, err := record.Append(ctx, tx, a, now, record.NewEntry{OrgID: a.OrgID, IncidentID: i.ID, Kind: KindAccessed,
			Text: fmt.Sprintf("Evidence %s downloaded", describe(e)), Payload: p}); err != nil {
			return err
		}
		out = e
		return audit.Write(ctx, tx, now, a, "", "evidence.download", "evidence", e.ID,
			map[string]any{"ref": i.Ref, "evidence": e.Label, "sha256": e.SHA256, "size": e.Size, "reason": reason})
	})
	if err != nil && f != nil {
		f.Close()
		f = nil
	}
	return out, f, err
}

func fieldErr(field, format string, args ...any) error {
	var v errs.Validation
	v.Add(field, format, args...)
	return v.Err()
}
