package ioc

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/warroom/warroom/internal/actor"
	"github.com/warroom/warroom/internal/db"
	"github.com/warroom/warroom/internal/errs"
	"github.com/warroom/warroom/internal/incident"
	"github.com/warroom/warroom/internal/record"
)

type change struct {
	From any `json:"from"`
	To   any `json:"to"`
}

// Update applies p to one indicator of the incident. ifVersion, when not
// zero, must equal the stored version (the API's If-Match). Nothing
// changed means nothing written.
func (s *Service) Update(ctx context.Context, ref, id string, p Patch, ifVersion int64) (Indicator, error) {
	var out Indicator
	err := s.write(ctx, ref, func(tx *db.Tx, a *actor.Actor, i incident.Incident) error {
		now := db.Time(s.Now())
		old, err := findIndicator(ctx, tx, i.ID, id)
		if err != nil {
			return err
		}
		if ifVersion != 0 && ifVersion != old.Version {
			return errs.E(errs.PreconditionFailed, "indicator %s is at version %d, not %d: someone else changed it; reload and try again", id, old.Version, ifVersion)
		}
		x, err := updateOne(ctx, tx, a, i, now, old, p)
		if err != nil {
			return err
		}
		items := []Indicator{x}
		err = correlate(ctx, tx, a, i, items)
		out = items[0]
		return err
	})
	if err != nil {
		return Indicator{}, err
	}
	return out, nil
}

// updateOne applies p to old inside the caller's transaction and writes
// its timeline entry; nothing changed means nothing written.
func updateOne(ctx context.Context, tx *db.Tx, a *actor.Actor, i incident.Incident, now time.Time, old Indicator, p Patch) (Indicator, error) {
	f := fields{TLP: old.TLP, Confidence: old.Confidence, Source: old.Source, Note: old.Note, Tags: old.Tags,
		FirstSeen: old.FirstSeen, LastSeen: old.LastSeen, IsIOC: old.IsIOC}
	for _, sp := range []struct{ dst, src *string }{{&f.TLP, p.TLP}, {&f.Source, p.Source}, {&f.Note, p.Note}} {
		if sp.src != nil {
			*sp.dst = *sp.src
		}
	}
	if p.Note != nil {
		f.Note = strings.TrimSpace(f.Note)
	}
	if p.Confidence != nil {
		f.Confidence = *p.Confidence
	}
	if p.Tags != nil {
		f.Tags = *p.Tags
	}
	if p.FirstSeen != nil {
		f.FirstSeen = db.Time(*p.FirstSeen)
	}
	if p.LastSeen != nil {
		f.LastSeen = db.Time(*p.LastSeen)
	}
	if p.IsIOC != nil {
		f.IsIOC = *p.IsIOC
	}
	var v errs.Validation
	f.check(&v, now)
	if err := v.Err(); err != nil {
		return Indicator{}, err
	}
	x := old
	f.apply(&x)
	changes := diff(old, x)
	if len(changes) == 0 {
		return old, nil
	}
	x.UpdatedAt, x.Version = now, old.Version+1
	if err := saveIndicator(ctx, tx, x, old.Version); err != nil {
		return Indicator{}, err
	}
	names := make([]string, 0, len(changes))
	for k := range changes {
		names = append(names, k)
	}
	slices.Sort(names)
	_, err := record.Append(ctx, tx, a, now, record.NewEntry{OrgID: a.OrgID, IncidentID: i.ID, Kind: KindUpdated,
		Text:    fmt.Sprintf("%s %s %s updated: %s", label(x.IsIOC), x.Type, x.Value, strings.Join(names, ", ")),
		Payload: map[string]any{"id": x.ID, "type": x.Type, "value": x.Value, "changes": changes}})
	return x, err
}

// diff lists the fields that differ between two versions of an indicator.
func diff(a, b Indicator) map[string]change {
	out := map[string]change{}
	add := func(name string, from, to any, differ bool) {
		if differ {
			out[name] = change{from, to}
		}
	}
	add("tlp", a.TLP, b.TLP, a.TLP != b.TLP)
	add("confidence", a.Confidence, b.Confidence, a.Confidence != b.Confidence)
	add("source", a.Source, b.Source, a.Source != b.Source)
	add("note", a.Note, b.Note, a.Note != b.Note)
	add("tags", a.Tags, b.Tags, !slices.Equal(a.Tags, b.Tags))
	add("first_seen", a.FirstSeen, b.FirstSeen, !a.FirstSeen.Equal(b.FirstSeen))
	add("last_seen", a.LastSeen, b.LastSeen, !a.LastSeen.Equal(b.LastSeen))
	add("is_ioc", a.IsIOC, b.IsIOC, a.IsIOC != b.IsIOC)
	return out
}

// Delete removes an indicator from the incident. The timeline entry keeps
// its type and value: the record shows it was there and who removed it.
func (s *Service) Delete(ctx context.Context, ref, id string, ifVersion int64) error {
	return s.write(ctx, ref, func(tx *db.Tx, a *actor.Actor, i incident.Incident) error {
		x, err := findIndicator(ctx, tx, i.ID, id)
		if err != nil {
			return err
		}
		if ifVersion != 0 && ifVersion != x.Version {
			return errs.E(errs.PreconditionFailed, "indicator %s is at version %d, not %d: someone else changed it; reload and try again", id, x.Version, ifVersion)
		}
		return deleteOne(ctx, tx, a, i, db.Time(s.Now()), x)
	})
}

// deleteOne removes x inside the caller's transaction and writes its
// timeline entry.
func deleteOne(ctx context.Context, tx *db.Tx, a *actor.Actor, i incident.Incident, now time.Time, x Indicator) error {
	if err := deleteIndicator(ctx, tx, x); err != nil {
		return err
	}
	_, err := record.Append(ctx, tx, a, now, record.NewEntry{OrgID: a.OrgID, IncidentID: i.ID, Kind: KindDeleted,
		Text:    fmt.Sprintf("%s deleted: %s %s", label(x.IsIOC), x.Type, x.Value),
		Payload: map[string]any{"id": x.ID, "type": x.Type, "value": x.Value, "is_ioc": x.IsIOC}})
	return err
}

// ExtractInput is text to find indicators in.
type ExtractInput struct {
	Text string `json:"text"`
}

// Extract finds candidate indicators in text for a signed-in person
// (see the package function Extract); it touches no incident and no
// database. Text longer than MaxExtractText is refused.
func (s *Service) Extract(ctx context.Context, in ExtractInput) ([]Candidate, error) {
	if err := signedIn(actor.From(ctx)); err != nil {
		return nil, err
	}
	if len(in.Text) > MaxExtractText {
		var v errs.Validation
		v.Add("text", "is %d bytes; the limit is %d: split it and extract each part", len(in.Text), MaxExtractText)
		return nil, v.Err()
	}
	return Extract(in.Text), nil
}
