// Package audit writes the audit trail: who signed in, who created a token,
// who read a restricted incident. It is a table, not a log, so it is
// queryable, tenant-scoped and survives log rotation.
package audit

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/warroom/warroom/internal/actor"
	"github.com/warroom/warroom/internal/db"
)

// Event is one audit row.
type Event struct {
	ID         string          `json:"id"`
	OrgID      string          `json:"-"`
	ActorID    string          `json:"actor_id,omitempty"`
	Action     string          `json:"action"`
	TargetType string          `json:"target_type"`
	TargetID   string          `json:"target_id"`
	Detail     json.RawMessage `json:"detail"`
	RemoteAddr string          `json:"remote_addr"`
	At         time.Time       `json:"at"`
}

// Write appends an audit row inside tx. a may be nil (an anonymous sign-in
// attempt); orgID may be "" for events outside any organisation.
func Write(ctx context.Context, tx *db.Tx, now time.Time, a *actor.Actor, orgID, action, targetType, targetID string, detail any) error {
	d := []byte("{}")
	if detail != nil {
		var err error
		if d, err = json.Marshal(detail); err != nil {
			return fmt.Errorf("encode audit detail: %w", err)
		}
	}
	var actorID, addr any = nil, ""
	if a != nil {
		actorID, addr = a.UserID, a.RemoteAddr
		if orgID == "" {
			orgID = a.OrgID
		}
	}
	var org any = orgID
	if orgID == "" {
		org = nil
	}
	_, err := tx.ExecContext(ctx, `INSERT INTO audit_log (id, org_id, actor_id, action, target_type, target_id, detail, remote_addr, at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
		db.NewID(), org, actorID, action, targetType, targetID, string(d), addr, db.Time(now))
	if err != nil {
		return fmt.Errorf("write audit %s: %w", action, err)
	}
	return nil
}

// List returns the newest audit rows of an organisation, newest first.
func List(ctx context.Context, tx *db.Tx, orgID string, limit int) ([]Event, error) {
	rows, err := tx.QueryContext(ctx, `SELECT id, COALESCE(actor_id, ''), action, target_type, target_id, detail, remote_addr, at
		FROM audit_log WHERE org_id = $1 ORDER BY at DESC, id DESC LIMIT $2`, orgID, limit)
	if err != nil {
		return nil, fmt.Errorf("list audit: %w", err)
	}
	defer rows.Close()
	var out []Event
	for rows.Next() {
		var e Event
		var d string
		if err := rows.Scan(&e.ID, &e.ActorID, &e.Action, &e.TargetType, &e.TargetID, &d, &e.RemoteAddr, &e.At); err != nil {
			return nil, fmt.Errorf("scan audit: %w", err)
		}
		e.OrgID, e.Detail, e.At = orgID, json.RawMessage(d), e.At.UTC()
		out = append(out, e)
	}
	return out, rows.Err()
}
