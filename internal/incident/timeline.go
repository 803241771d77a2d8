package incident

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/warroom/warroom/internal/actor"
	"github.com/warroom/warroom/internal/db"
	"github.com/warroom/warroom/internal/errs"
	"github.com/warroom/warroom/internal/record"
)

// Entry is a timeline entry with the reference of its incident.
type Entry struct {
	record.Entry
	IncidentRef string `json:"incident_ref"`
}

// EntryInput is what a person writes to the timeline.
type EntryInput struct {
	Text      string     `json:"text"`
	Kind      string     `json:"kind"`       // default note
	EventTime *time.Time `json:"event_time"` // when it happened; default now; may be backdated
	Corrects  string     `json:"corrects"`   // ID of an entry this one corrects
}

// MaxEntryText bounds a timeline entry's text.
const MaxEntryText = 20000

// AddEntry writes a note (or another person-written kind) to the timeline.
// A correction is an entry that points at the one it corrects; the
// original is never changed.
func (s *Service) AddEntry(ctx context.Context, ref string, in EntryInput) (Entry, error) {
	a := actor.From(ctx)
	now := db.Time(s.Now())
	var v errs.Validation
	in.Text = strings.TrimSpace(in.Text)
	if in.Text == "" || len(in.Text) > MaxEntryText {
		v.Add("text", "must be 1 to %d bytes", MaxEntryText)
	}
	if in.Kind == "" {
		in.Kind = record.KindNote
	}
	if in.Corrects != "" && in.Kind == record.KindNote {
		in.Kind = record.KindCorrection
	}
	if in.Kind != record.KindCorrection || in.Corrects == "" {
		oneOf(&v, "kind", in.Kind, record.UserKinds)
	}
	checkEventTime(&v, "event_time", in.EventTime, now)
	if err := v.Err(); err != nil {
		return Entry{}, err
	}
	var out Entry
	err := s.change(ctx, ref, func(tx *db.Tx, i Incident) error {
		n := record.NewEntry{OrgID: a.OrgID, IncidentID: i.ID, Kind: in.Kind, Text: in.Text, CorrectsID: in.Corrects}
		if in.EventTime != nil {
			n.EventTime = *in.EventTime
		}
		e, err := record.Append(ctx, tx, a, now, n)
		out = Entry{Entry: e, IncidentRef: i.Ref}
		return err
	})
	return out, err
}

// TimelineFilter selects entries of one incident.
type TimelineFilter struct {
	Kinds  []string
	After  int64 // entries with seq > After
	Before int64 // entries with seq < Before
	Desc   bool
	Limit  int
}

// Timeline returns a page of an incident's timeline. The cursor is the
// seq of the last entry returned.
func (s *Service) Timeline(ctx context.Context, ref string, f TimelineFilter) (Page[Entry], error) {
	var v errs.Validation
	f.Limit = CheckLimit(&v, f.Limit)
	if err := v.Err(); err != nil {
		return Page[Entry]{}, err
	}
	page := Page[Entry]{Items: []Entry{}}
	err := s.readIncident(ctx, ref, "timeline", func(tx *db.Tx, i Incident) error {
		es, err := record.List(ctx, tx, record.Filter{IncidentID: i.ID, Kinds: f.Kinds, AfterSeq: f.After, BeforeSeq: f.Before, Desc: f.Desc, Limit: f.Limit + 1})
		if err != nil {
			return err
		}
		page.Items = page.Items[:0] // the transaction may be retried
		for _, e := range es {
			page.Items = append(page.Items, Entry{Entry: e, IncidentRef: i.Ref})
		}
		return nil
	})
	if len(page.Items) > f.Limit {
		page.Items = page.Items[:f.Limit]
		page.NextCursor = fmt.Sprint(page.Items[f.Limit-1].Seq)
	}
	return page, err
}

// Verify recomputes the hash chain of one incident, or of every incident
// the actor can see when ref is empty.
func (s *Service) Verify(ctx context.Context, ref string) ([]record.Report, error) {
	a := actor.From(ctx)
	var out []record.Report
	err := s.DB.Read(ctx, func(tx *db.Tx) error {
		var ids []string
		if ref != "" {
			i, err := loadIncident(ctx, tx, a, ref)
			if err != nil {
				return err
			}
			ids = []string{i.ID}
		} else {
			var err error
			if ids, err = s.visibleIDs(ctx, tx, a); err != nil {
				return err
			}
		}
		for _, id := range ids {
			r, err := record.Verify(ctx, tx, id)
			if err != nil {
				return err
			}
			out = append(out, r)
		}
		return nil
	})
	return out, err
}

// VerifyAll recomputes every chain of every organisation. It is for the
// server's own administrator (warroom verify run locally) and needs no actor.
func (s *Service) VerifyAll(ctx context.Context) ([]record.Report, error) {
	var out []record.Report
	err := s.DB.Read(ctx, func(tx *db.Tx) error {
		rows, err := tx.QueryContext(ctx, `SELECT id FROM incidents ORDER BY org_id, ref`)
		if err != nil {
			return err
		}
		var ids []string
		for rows.Next() {
			var id string
			if err := rows.Scan(&id); err != nil {
				rows.Close()
				return err
			}
			ids = append(ids, id)
		}
		rows.Close()
		for _, id := range ids {
			r, err := record.Verify(ctx, tx, id)
			if err != nil {
				return err
			}
			out = append(out, r)
		}
		return nil
	})
	return out, err
}

func (s *Service) visibleIDs(ctx context.Context, tx *db.Tx, a *actor.Actor) ([]string, error) {
	rows, err := tx.QueryContext(ctx, `SELECT i.id FROM incidents i WHERE `+visible+` ORDER BY i.ref`, visibleArgs(a)...)
	if err != nil {
		return nil, fmt.Errorf("list visible incidents: %w", err)
	}
	defer rows.Close()
	var ids []string
	for rows.Next() {
		var id string
		if err := rows.Scan(&id); err != nil {
			return nil, err
		}
		ids = append(ids, id)
	}
	return ids, rows.Err()
}

// IncidentEvents returns up to limit entries of an incident after seq
// after, for a live stream. It checks visibility on every call, so a
// person taken off a restricted incident's roster stops receiving events.
func (s *Service) IncidentEvents(ctx context.Context, ref string, after int64, limit int) (Incident, []Entry, error) {
	var out []Entry
	var inc Incident
	err := s.DB.Read(ctx, func(tx *db.Tx) error {
		i, err := loadIncident(ctx, tx, actor.From(ctx), ref)
		if err != nil {
			return err
		}
		inc = i
		es, err := record.List(ctx, tx, record.Filter{IncidentID: i.ID, AfterSeq: after, Limit: limit})
		for _, e := range es {
			out = append(out, Entry{Entry: e, IncidentRef: i.Ref})
		}
		return err
	})
	return inc, out, err
}

// OrgEvents returns entries of the actor's organisation with an
// organisation sequence after after, leaving out incidents the actor may
// not see. next is the cursor to continue from, which moves past hidden
// entries too.
func (s *Service) OrgEvents(ctx context.Context, after int64, limit int) (out []Entry, next int64, err error) {
	a := actor.From(ctx)
	next = after
	err = s.DB.Read(ctx, func(tx *db.Tx) error {
		es, err := record.ListOrg(ctx, tx, a.OrgID, after, limit)
		if err != nil {
			return err
		}
		refs := map[string]string{}
		for _, e := range es {
			next = e.OrgSeq
			ref, seen := refs[e.IncidentID]
			if !seen {
				args := append(visibleArgs(a), e.IncidentID)
				err := tx.QueryRowContext(ctx, `SELECT i.ref FROM incidents i WHERE `+visible+` AND i.id = $4`, args...).Scan(&ref)
				if err != nil && !db.NoRows(err) {
					return fmt.Errorf("check visibility: %w", err)
				}
				refs[e.IncidentID] = ref
			}
			if ref != "" {
				out = append(out, Entry{Entry: e, IncidentRef: ref})
			}
		}
		return nil
	})
	return out, next, err
}

// LastOrgEvent is the organisation sequence a new stream starts after.
func (s *Service) LastOrgEvent(ctx context.Context) (int64, error) {
	var n int64
	err := s.DB.Read(ctx, func(tx *db.Tx) (err error) { n, err = record.LastOrgSeq(ctx, tx, actor.From(ctx).OrgID); return err })
	return n, err
}
