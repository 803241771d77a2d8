package ioc

import (
	"context"
	"fmt"
	"log/slog"
	"slices"
	"strings"
	"time"

	"github.com/warroom/warroom/internal/actor"
	"github.com/warroom/warroom/internal/db"
	"github.com/warroom/warroom/internal/errs"
	"github.com/warroom/warroom/internal/incident"
	"github.com/warroom/warroom/internal/record"
)

// Timeline entry kinds the indicator service writes.
const (
	KindAdded   = "indicator_added"
	KindMerged  = "indicator_merged"
	KindUpdated = "indicator_updated"
	KindDeleted = "indicator_deleted"
)

// MaxExtractText bounds the text Service.Extract reads, in bytes.
const MaxExtractText = 1 << 20

// Service owns the rules for indicators: everyone who may see an incident
// reads its indicators, responders and admins change them. Exported
// methods begin and commit their own transaction, and every change writes
// a timeline entry in it.
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

// write runs fn in a write transaction on an incident the actor may
// change; need-to-know is checked in that same transaction (not found when
// they may not see it, forbidden when they may only read it).
func (s *Service) write(ctx context.Context, ref string, fn func(tx *db.Tx, a *actor.Actor, i incident.Incident) error) error {
	return incident.WriteChangeable(ctx, s.DB, ref, fn)
}

// read runs fn on an incident the actor may see, auditing reads of a
// restricted one as the incident service does.
func (s *Service) read(ctx context.Context, ref string, fn func(tx *db.Tx, i incident.Incident) error) error {
	return incident.ReadVisible(ctx, s.DB, s.Now(), ref, "indicators", fn)
}

// Add records an indicator in the incident. When the incident already has
// the same type and (normalised) value, the sighting is merged into it
// instead: last_seen moves on (first_seen back), new tags are added and a
// new note is appended; TLP, confidence, source and is_ioc stay as they
// were (change them with Update). created says which happened.
func (s *Service) Add(ctx context.Context, ref string, in Input) (x Indicator, created bool, err error) {
	now := db.Time(s.Now())
	f, err := prepareInput(&in, now)
	if err != nil {
		return x, false, err
	}
	err = s.write(ctx, ref, func(tx *db.Tx, a *actor.Actor, i incident.Incident) error {
		if in.TLP == "" {
			f.TLP = string(i.TLP)
		}
		x = Indicator{ID: db.NewID(), IncidentRef: i.Ref, Type: in.Type, Value: in.Value, CreatedBy: a.UserID, CreatedAt: now, UpdatedAt: now, Version: 1}
		f.apply(&x)
		if created, err = insertIndicator(ctx, tx, a.OrgID, i.ID, x); err != nil {
			return err
		}
		if created {
			_, err = record.Append(ctx, tx, a, now, record.NewEntry{OrgID: a.OrgID, IncidentID: i.ID, Kind: KindAdded,
				Text: fmt.Sprintf("%s added: %s %s", label(x.IsIOC), x.Type, x.Value),
				Payload: map[string]any{"id": x.ID, "type": x.Type, "value": x.Value, "tlp": x.TLP, "confidence": x.Confidence,
					"source": x.Source, "first_seen": x.FirstSeen, "last_seen": x.LastSeen, "tags": x.Tags, "is_ioc": x.IsIOC, "note": x.Note}})
		} else {
			x, err = s.merge(ctx, tx, a, now, i, in.Type, in.Value, f)
		}
		if err != nil {
			return err
		}
		items := []Indicator{x}
		err = correlate(ctx, tx, a, i, items)
		x = items[0]
		return err
	})
	if err != nil {
		return Indicator{}, false, err
	}
	return x, created, nil
}

// prepareInput validates and normalises in (its Value in place) and
// returns the fields to store, with the defaults applied; an empty TLP
// stands for the incident's marking, which the caller fills in.
func prepareInput(in *Input, now time.Time) (fields, error) {
	var v errs.Validation
	in.Value = checkValue(&v, in.Type, in.Value)
	f := fields{TLP: in.TLP, Confidence: DefaultConfidence, Source: in.Source, Note: strings.TrimSpace(in.Note), Tags: in.Tags,
		FirstSeen: now, LastSeen: now, IsIOC: true}
	if in.Confidence != nil {
		f.Confidence = *in.Confidence
	}
	if in.IsIOC != nil {
		f.IsIOC = *in.IsIOC
	}
	// One sighting time given stands for both: an address seen in a log
	// line at 03:12 was first and last seen then, not now.
	if in.FirstSeen != nil {
		f.FirstSeen, f.LastSeen = db.Time(*in.FirstSeen), db.Time(*in.FirstSeen)
	}
	if in.LastSeen != nil {
		f.LastSeen = db.Time(*in.LastSeen)
		if in.FirstSeen == nil {
			f.FirstSeen = f.LastSeen
		}
	}
	if f.TLP == "" {
		f.TLP = "amber" // checked below; replaced by the incident's marking
	}
	f.check(&v, now)
	return f, v.Err()
}

// merge folds a new sighting f into the stored indicator and records it.
func (s *Service) merge(ctx context.Context, tx *db.Tx, a *actor.Actor, now time.Time, i incident.Incident, t Type, value string, f fields) (Indicator, error) {
	x, added, noteAdded, err := mergeSighting(ctx, tx, now, i, t, value, f)
	if err != nil {
		return x, err
	}
	_, err = record.Append(ctx, tx, a, now, record.NewEntry{OrgID: a.OrgID, IncidentID: i.ID, Kind: KindMerged,
		Text: fmt.Sprintf("%s seen again: %s %s", label(x.IsIOC), x.Type, x.Value),
		Payload: map[string]any{"id": x.ID, "type": x.Type, "value": x.Value, "first_seen": x.FirstSeen, "last_seen": x.LastSeen,
			"tags_added": added, "note_added": noteAdded}})
	return x, err
}

// mergeSighting folds a new sighting f into the stored indicator without
// writing a timeline entry (merge and Import write their own). Invalid
// errors come before anything is written.
func mergeSighting(ctx context.Context, tx *db.Tx, now time.Time, i incident.Incident, t Type, value string, f fields) (x Indicator, added []string, noteAdded bool, err error) {
	old, err := findByValue(ctx, tx, i.ID, t, value)
	if err != nil {
		return old, nil, false, err
	}
	x = old
	x.FirstSeen, x.LastSeen = minTime(old.FirstSeen, f.FirstSeen), maxTime(old.LastSeen, f.LastSeen)
	for _, tag := range f.Tags {
		if !slices.Contains(x.Tags, tag) {
			added = append(added, tag)
		}
	}
	x.Tags = append(slices.Clone(old.Tags), added...)
	if len(x.Tags) > MaxTags {
		return x, nil, false, errs.Invalidf("indicator %s %s would have more than %d tags", t, value, MaxTags)
	}
	noteAdded = f.Note != "" && !strings.Contains(old.Note, f.Note)
	if noteAdded {
		x.Note = strings.TrimSpace(old.Note + "\n\n" + f.Note)
		if len(x.Note) > MaxNote {
			return x, nil, false, errs.Invalidf("indicator %s %s: the merged note would be longer than %d bytes", t, value, MaxNote)
		}
	}
	x.UpdatedAt, x.Version = now, old.Version+1
	if err := saveIndicator(ctx, tx, x, old.Version); err != nil {
		return x, nil, false, err
	}
	return x, added, noteAdded, nil
}

// Get returns one indicator of the incident, with its correlations.
func (s *Service) Get(ctx context.Context, ref, id string) (Indicator, error) {
	var x Indicator
	err := s.read(ctx, ref, func(tx *db.Tx, i incident.Incident) error {
		found, err := findIndicator(ctx, tx, i.ID, id)
		if err != nil {
			return err
		}
		items := []Indicator{found}
		err = correlate(ctx, tx, actor.From(ctx), i, items)
		x = items[0]
		return err
	})
	return x, err
}

// List returns a page of the incident's indicators that match f, in the
// order they were added, each with its correlations.
func (s *Service) List(ctx context.Context, ref string, f Filter) (incident.Page[Indicator], error) {
	page := incident.Page[Indicator]{Items: []Indicator{}}
	var v errs.Validation
	if f.Type != "" && !slices.Contains(Types, f.Type) {
		v.Add("type", "%q is not allowed; use one of %s", f.Type, typeList())
	}
	f.Limit = incident.CheckLimit(&v, f.Limit)
	checkCursor(&v, f.Cursor)
	if err := v.Err(); err != nil {
		return page, err
	}
	err := s.read(ctx, ref, func(tx *db.Tx, i incident.Incident) error {
		items, err := listIndicators(ctx, tx, i.ID, f)
		if err != nil {
			return err
		}
		page.Items, page.NextCursor = items, "" // the transaction may be retried
		if len(page.Items) > f.Limit {
			page.Items = page.Items[:f.Limit]
			page.NextCursor = page.Items[f.Limit-1].ID
		}
		return correlate(ctx, tx, actor.From(ctx), i, page.Items)
	})
	return page, err
}

func label(isIOC bool) string {
	if isIOC {
		return "Indicator"
	}
	return "Artifact"
}

func minTime(a, b time.Time) time.Time {
	if b.Before(a) {
		return b
	}
	return a
}

func maxTime(a, b time.Time) time.Time {
	if b.After(a) {
		return b
	}
	return a
}

func (f fields) apply(x *Indicator) {
	x.TLP, x.Confidence, x.Source, x.Note = f.TLP, f.Confidence, f.Source, f.Note
	x.FirstSeen, x.LastSeen, x.Tags, x.IsIOC = f.FirstSeen, f.LastSeen, f.Tags, f.IsIOC
}
