package evidence

import (
	"context"
	"encoding/json"
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

// Timeline entry kinds of the chain of custody.
const (
	KindCollected   = "evidence_collected"
	KindTransferred = "evidence_transferred"
	KindAccessed    = "evidence_accessed"
	KindExported    = "evidence_exported"
	KindReturned    = "evidence_returned"
	KindDestroyed   = "evidence_destroyed"
)

// Kinds lists the custody entry kinds, in the order of an item's life.
var Kinds = []string{KindCollected, KindTransferred, KindAccessed, KindExported, KindReturned, KindDestroyed}

// Actions are what people record with Custody; "collected" is written by
// Upload and Register.
var Actions = []string{"transfer", "access", "export", "return", "destroy"}

// CustodyInput records one custody event. Which fields an action takes:
// transfer {to, reason, from (checked against the current custodian)},
// access {reason}, export {to, reason}, return {to, reason optional},
// destroy {method, witness}. At backdates the event.
type CustodyInput struct {
	Action  string     `json:"action"`
	From    string     `json:"from"`
	To      string     `json:"to"`
	Reason  string     `json:"reason"`
	Method  string     `json:"method"`
	Witness string     `json:"witness"`
	At      *time.Time `json:"at"`
}

// Event is one custody event as the record holds it.
type Event struct {
	Seq        int64     `json:"seq"`
	EntryID    string    `json:"entry_id"`
	Action     string    `json:"action"`
	At         time.Time `json:"at"`
	RecordedAt time.Time `json:"recorded_at"`
	ActorID    string    `json:"actor_id"`
	ActorName  string    `json:"actor_name"`
	Text       string    `json:"text"`
	From       string    `json:"from,omitempty"`
	To         string    `json:"to,omitempty"`
	Reason     string    `json:"reason,omitempty"`
	Method     string    `json:"method,omitempty"`
	Witness    string    `json:"witness,omitempty"`
	Via        string    `json:"via,omitempty"`
	SHA256     string    `json:"sha256,omitempty"` // the item's hash as this entry recorded it
	Hash       string    `json:"hash"`             // the entry's hash in the incident's chain
}

// Transfer records that the item passed from one custodian to another.
func (s *Service) Transfer(ctx context.Context, ref, label, from, to, reason string) (Event, error) {
	return s.Custody(ctx, ref, label, CustodyInput{Action: "transfer", From: from, To: to, Reason: reason})
}

// Access records that someone examined the item (downloads record it themselves).
func (s *Service) Access(ctx context.Context, ref, label, reason string) (Event, error) {
	return s.Custody(ctx, ref, label, CustodyInput{Action: "access", Reason: reason})
}

// Export records that a copy went to someone outside (law enforcement, an insurer's forensics firm).
func (s *Service) Export(ctx context.Context, ref, label, to, reason string) (Event, error) {
	return s.Custody(ctx, ref, label, CustodyInput{Action: "export", To: to, Reason: reason})
}

// Return records that the item went back to its owner; it is no longer held.
func (s *Service) Return(ctx context.Context, ref, label, to, reason string) (Event, error) {
	return s.Custody(ctx, ref, label, CustodyInput{Action: "return", To: to, Reason: reason})
}

// Destroy records the item's destruction; a stored file's content is
// removed once no other item holds the same content.
func (s *Service) Destroy(ctx context.Context, ref, label, method, witness string) (Event, error) {
	return s.Custody(ctx, ref, label, CustodyInput{Action: "destroy", Method: method, Witness: witness})
}

var kindOf = map[string]string{"transfer": KindTransferred, "access": KindAccessed, "export": KindExported,
	"return": KindReturned, "destroy": KindDestroyed}

// check validates in for its action: required fields present, fields the
// action does not take empty.
func (in *CustodyInput) check(now time.Time) error {
	var v errs.Validation
	fields := map[string]*string{"from": &in.From, "to": &in.To, "reason": &in.Reason, "method": &in.Method, "witness": &in.Witness}
	for name, p := range fields {
		*p = strings.TrimSpace(*p)
		if len(*p) > 2000 {
			v.Add(name, "must be at most 2000 bytes")
		}
	}
	takes := map[string][]string{"transfer": {"to", "reason", "from"}, "access": {"reason"}, "export": {"to", "reason"},
		"return": {"to", "reason"}, "destroy": {"method", "witness"}}
	needs := map[string][]string{"transfer": {"to", "reason"}, "access": {"reason"}, "export": {"to", "reason"},
		"return": {"to"}, "destroy": {"method", "witness"}}
	if !slices.Contains(Actions, in.Action) {
		v.Add("action", "%q is not allowed; use one of %s", in.Action, strings.Join(Actions, ", "))
		return v.Err()
	}
	for _, name := range []string{"from", "to", "reason", "method", "witness"} {
		switch {
		case slices.Contains(needs[in.Action], name) && *fields[name] == "":
			v.Add(name, "%s needs %s", in.Action, name)
		case !slices.Contains(takes[in.Action], name) && *fields[name] != "":
			v.Add(name, "is not used by %s (it takes %s)", in.Action, strings.Join(takes[in.Action], ", "))
		}
	}
	if in.At != nil && in.At.After(now.Add(5*time.Minute)) {
		v.Add("at", "%s is in the future", in.At.UTC().Format(time.RFC3339))
	}
	return v.Err()
}

// Custody records one custody event on a held item: the item's custodian
// and status change and the timeline entry is written in one transaction.
func (s *Service) Custody(ctx context.Context, ref, label string, in CustodyInput) (Event, error) {
	a := actor.From(ctx)
	if err := signedIn(a); err != nil {
		return Event{}, err
	}
	now := db.Time(s.Now())
	if err := in.check(now); err != nil {
		return Event{}, err
	}
	var out Event
	var removeBlob string
	err := s.DB.Write(ctx, func(tx *db.Tx) error {
		removeBlob = ""
		i, err := incident.Changeable(ctx, tx, a, ref)
		if err != nil {
			return err
		}
		e, err := findEvidence(ctx, tx, i, label)
		if err != nil {
			return err
		}
		if err := allowed(e, in.Action); err != nil {
			return err
		}
		p := newPayload(e, strings.TrimPrefix(kindOf[in.Action], "evidence_"))
		p.From, p.To, p.Reason, p.Method, p.Witness = in.From, in.To, in.Reason, in.Method, in.Witness
		next := e
		var text string
		switch in.Action {
		case "transfer":
			if in.From != "" && !strings.EqualFold(in.From, e.Custodian) {
				return fieldErr("from", "the record says %s is held by %q, not %q", e.Label, e.Custodian, in.From)
			}
			p.From, next.Custodian = e.Custodian, in.To
			text = fmt.Sprintf("Evidence %s transferred from %s to %s: %s", describe(e), e.Custodian, in.To, in.Reason)
		case "access":
			text = fmt.Sprintf("Evidence %s accessed: %s", describe(e), in.Reason)
		case "export":
			text = fmt.Sprintf("Evidence %s exported to %s: %s", describe(e), in.To, in.Reason)
		case "return":
			p.From, next.Custodian, next.Status = e.Custodian, in.To, Returned
			text = fmt.Sprintf("Evidence %s returned to %s", describe(e), in.To)
		case "destroy":
			next.Status = Destroyed
			text = fmt.Sprintf("Evidence %s destroyed (%s), witnessed by %s", describe(e), in.Method, in.Witness)
			if e.blob != "" {
				inUse, err := blobInUse(ctx, tx, e.blob, e.ID)
				if err != nil {
					return err
				}
				if !inUse {
					removeBlob = e.blob
				}
			}
		}
		if next.Custodian != e.Custodian || next.Status != e.Status {
			next.UpdatedAt, next.Version = now, e.Version+1
			if err := saveCustody(ctx, tx, next, e.Version); err != nil {
				return err
			}
		}
		n := record.NewEntry{OrgID: a.OrgID, IncidentID: i.ID, Kind: kindOf[in.Action], Text: text, Payload: p}
		if in.At != nil {
			n.EventTime = *in.At
		}
		entry, err := record.Append(ctx, tx, a, now, n)
		if err != nil {
			return err
		}
		out = eventOf(entry, p)
		return nil
	})
	if err == nil && removeBlob != "" {
		if rerr := s.Blobs.Remove(removeBlob); rerr != nil {
			s.Log.Error("remove destroyed evidence content", "sha256", removeBlob, "err", rerr)
		}
	}
	return out, err
}

// History returns an item's chain of custody, oldest first, read from the
// incident's record.
func (s *Service) History(ctx context.Context, ref, label string) ([]Event, error) {
	if err := signedIn(actor.From(ctx)); err != nil {
		return nil, err
	}
	var out []Event
	err := incident.ReadVisible(ctx, s.DB, s.Now(), ref, "evidence custody", func(tx *db.Tx, i incident.Incident) error {
		e, err := findEvidence(ctx, tx, i, label)
		if err != nil {
			return err
		}
		entries, err := record.List(ctx, tx, record.Filter{IncidentID: i.ID, Kinds: Kinds})
		if err != nil {
			return err
		}
		out = []Event{}
		for _, en := range entries {
			var p payload
			if err := json.Unmarshal(en.Payload, &p); err != nil {
				return fmt.Errorf("decode custody entry %d of %s: %w", en.Seq, i.Ref, err)
			}
			if p.EvidenceID == e.ID {
				out = append(out, eventOf(en, p))
			}
		}
		return nil
	})
	return out, err
}

// allowed says whether action can happen to e now. A destroyed item is
// history. A returned item is no longer ours to pass on, but Warroom's copy
// of a returned file can still be examined, exported or destroyed.
func allowed(e Evidence, action string) error {
	switch {
	case e.Status == Destroyed:
		return errs.Conflictf("%s was destroyed: nothing more can happen to it", e.Label)
	case e.Status == Held:
		return nil
	case action == "access" || action == "export" || (action == "destroy" && e.Stored):
		return nil
	}
	return errs.Conflictf("%s was %s: it is no longer held, so it cannot be %s", e.Label, e.Status,
		strings.TrimPrefix(kindOf[action], "evidence_"))
}

func eventOf(en record.Entry, p payload) Event {
	return Event{Seq: en.Seq, EntryID: en.ID, Action: p.Action, At: en.EventTime, RecordedAt: en.RecordedAt, ActorID: en.ActorID,
		ActorName: en.ActorName, Text: en.Text, From: p.From, To: p.To, Reason: p.Reason, Method: p.Method, Witness: p.Witness,
		Via: p.Via, SHA256: p.SHA256, Hash: en.Hash}
}
