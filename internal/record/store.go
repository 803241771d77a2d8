package record

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/warroom/warroom/internal/actor"
	"github.com/warroom/warroom/internal/db"
	"github.com/warroom/warroom/internal/errs"
)

// NewEntry is what a capability asks to append.
type NewEntry struct {
	OrgID      string
	IncidentID string
	Kind       string
	EventTime  time.Time // zero means now
	Text       string
	Payload    any // marshalled to JSON; nil becomes {}
	CorrectsID string
}

// Append adds an entry to the incident's chain inside tx. The incident row
// is updated first, which locks it: appends to one incident are serialised
// and the chain can never fork.
func Append(ctx context.Context, tx *db.Tx, a *actor.Actor, now time.Time, n NewEntry) (Entry, error) {
	payload := []byte("{}")
	if n.Payload != nil {
		var err error
		if payload, err = json.Marshal(n.Payload); err != nil {
			return Entry{}, fmt.Errorf("encode %s payload: %w", n.Kind, err)
		}
	}
	now = db.Time(now)
	e := Entry{
		ID: db.NewID(), OrgID: n.OrgID, IncidentID: n.IncidentID, Kind: n.Kind,
		EventTime: db.Time(n.EventTime), RecordedAt: now,
		ActorID: a.UserID, ActorName: actorName(a), Text: n.Text, Payload: payload, CorrectsID: n.CorrectsID,
	}
	if n.EventTime.IsZero() {
		e.EventTime = now
	}
	if e.CorrectsID != "" {
		var seq int64
		err := tx.QueryRowContext(ctx, `SELECT seq FROM timeline_entries WHERE id = $1 AND incident_id = $2`, e.CorrectsID, e.IncidentID).Scan(&seq)
		if db.NoRows(err) {
			return Entry{}, &errs.Error{Code: errs.Invalid, Message: "invalid corrects",
				Fields: []errs.FieldError{{Field: "corrects", Message: "no timeline entry with this id in this incident"}}}
		} else if err != nil {
			return Entry{}, fmt.Errorf("find corrected entry: %w", err)
		}
	}
	err := tx.QueryRowContext(ctx, `UPDATE incidents SET last_seq = last_seq + 1 WHERE id = $1 RETURNING last_seq, head_hash`, e.IncidentID).
		Scan(&e.Seq, &e.PrevHash)
	if db.NoRows(err) {
		return Entry{}, fmt.Errorf("append to incident %s: no such incident", e.IncidentID)
	} else if err != nil {
		return Entry{}, fmt.Errorf("lock incident chain: %w", err)
	}
	e.Hash = ComputeHash(e)
	if _, err := tx.ExecContext(ctx, `UPDATE incidents SET head_hash = $1 WHERE id = $2`, e.Hash, e.IncidentID); err != nil {
		return Entry{}, fmt.Errorf("advance chain head: %w", err)
	}
	// The organisation-wide sequence orders entries for organisation event
	// streams; taking it last keeps the organisation row locked briefly.
	if err := tx.QueryRowContext(ctx, `UPDATE organizations SET timeline_seq = timeline_seq + 1 WHERE id = $1 RETURNING timeline_seq`, e.OrgID).
		Scan(&e.OrgSeq); err != nil {
		return Entry{}, fmt.Errorf("allocate organisation sequence: %w", err)
	}
	_, err = tx.ExecContext(ctx, `INSERT INTO timeline_entries
		(id, org_id, incident_id, seq, org_seq, kind, event_time, recorded_at, actor_id, actor_name, text, payload, corrects_id, prev_hash, hash)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15)`,
		e.ID, e.OrgID, e.IncidentID, e.Seq, e.OrgSeq, e.Kind, e.EventTime, e.RecordedAt, e.ActorID, e.ActorName,
		e.Text, string(e.Payload), nullString(e.CorrectsID), e.PrevHash, e.Hash)
	if err != nil {
		return Entry{}, fmt.Errorf("insert timeline entry: %w", db.MapError(err))
	}
	if err := tx.NotifyOrg(ctx, e.OrgID); err != nil {
		return Entry{}, fmt.Errorf("notify change: %w", err)
	}
	return e, nil
}

func actorName(a *actor.Actor) string {
	if a.Name != "" {
		return a.Name
	}
	return a.Email
}

// Filter selects entries of one incident (or, with IncidentIDs, of several).
type Filter struct {
	IncidentID string
	Kinds      []string
	AfterSeq   int64 // only entries with seq > AfterSeq
	BeforeSeq  int64 // only entries with seq < BeforeSeq (0: no bound)
	Desc       bool  // newest first
	Limit      int   // 0: no limit
}

const entryColumns = `id, org_id, incident_id, seq, org_seq, kind, event_time, recorded_at, actor_id, actor_name, text, payload, corrects_id, prev_hash, hash`

// List returns the entries f selects, ordered by seq.
func List(ctx context.Context, tx *db.Tx, f Filter) ([]Entry, error) {
	where := []string{"incident_id = $1", "seq > $2"}
	args := []any{f.IncidentID, f.AfterSeq}
	if f.BeforeSeq > 0 {
		args = append(args, f.BeforeSeq)
		where = append(where, fmt.Sprintf("seq < $%d", len(args)))
	}
	if len(f.Kinds) > 0 {
		ph := make([]string, len(f.Kinds))
		for i, k := range f.Kinds {
			args = append(args, k)
			ph[i] = fmt.Sprintf("$%d", len(args))
		}
		where = append(where, "kind IN ("+strings.Join(ph, ", ")+")")
	}
	q := `SELECT ` + entryColumns + ` FROM timeline_entries WHERE ` + strings.Join(where, " AND ") + ` ORDER BY seq`
	if f.Desc {
		q += " DESC"
	}
	if f.Limit > 0 {
		q += fmt.Sprintf(" LIMIT %d", f.Limit)
	}
	return query(ctx, tx, q, args...)
}

// ListOrg returns entries of an organisation with org_seq > after, in
// commit order, for organisation event streams.
func ListOrg(ctx context.Context, tx *db.Tx, orgID string, after int64, limit int) ([]Entry, error) {
	return query(ctx, tx, `SELECT `+entryColumns+` FROM timeline_entries WHERE org_id = $1 AND org_seq > $2 ORDER BY org_seq LIMIT $3`, orgID, after, limit)
}

// LastOrgSeq returns the newest organisation sequence number.
func LastOrgSeq(ctx context.Context, tx *db.Tx, orgID string) (int64, error) {
	var n int64
	err := tx.QueryRowContext(ctx, `SELECT timeline_seq FROM organizations WHERE id = $1`, orgID).Scan(&n)
	return n, err
}

// Get returns one entry of an incident by id.
func Get(ctx context.Context, tx *db.Tx, incidentID, id string) (Entry, error) {
	es, err := query(ctx, tx, `SELECT `+entryColumns+` FROM timeline_entries WHERE incident_id = $1 AND id = $2`, incidentID, id)
	if err != nil {
		return Entry{}, err
	}
	if len(es) == 0 {
		return Entry{}, errs.NotFoundf("timeline entry %s not found", id)
	}
	return es[0], nil
}

func query(ctx context.Context, tx *db.Tx, q string, args ...any) ([]Entry, error) {
	rows, err := tx.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, fmt.Errorf("query timeline: %w", err)
	}
	defer rows.Close()
	var out []Entry
	for rows.Next() {
		var e Entry
		var payload string
		var corrects sql.NullString
		if err := rows.Scan(&e.ID, &e.OrgID, &e.IncidentID, &e.Seq, &e.OrgSeq, &e.Kind, &e.EventTime, &e.RecordedAt,
			&e.ActorID, &e.ActorName, &e.Text, &payload, &corrects, &e.PrevHash, &e.Hash); err != nil {
			return nil, fmt.Errorf("scan timeline entry: %w", err)
		}
		e.EventTime, e.RecordedAt = e.EventTime.UTC(), e.RecordedAt.UTC()
		e.Payload, e.CorrectsID = json.RawMessage(payload), corrects.String
		out = append(out, e)
	}
	return out, rows.Err()
}

func nullString(s string) any {
	if s == "" {
		return nil
	}
	return s
}
