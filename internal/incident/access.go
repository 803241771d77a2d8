package incident

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/warroom/warroom/internal/actor"
	"github.com/warroom/warroom/internal/audit"
	"github.com/warroom/warroom/internal/db"
	"github.com/warroom/warroom/internal/errs"
)

// Visible returns, inside tx, the incident with ref if a may see it.
// Hidden and missing incidents are both not found. Capabilities that keep
// their own rows under an incident (evidence, indicators) begin with it,
// so need-to-know keeps one definition: the visible condition.
func Visible(ctx context.Context, tx *db.Tx, a *actor.Actor, ref string) (Incident, error) {
	return loadIncidentRow(ctx, tx, a, ref)
}

// Changeable is Visible plus the permission to change the incident
// (responders and admins). Visibility is checked first, so an incident the
// caller cannot see answers not found, never forbidden.
func Changeable(ctx context.Context, tx *db.Tx, a *actor.Actor, ref string) (Incident, error) {
	i, err := loadIncidentRow(ctx, tx, a, ref)
	if err != nil {
		return i, err
	}
	return i, mustWrite(a)
}

// AuditRead writes the restricted.read audit row for a read of a
// restricted incident (what names the view, like "evidence"); reads of
// ordinary incidents are not audited.
func AuditRead(ctx context.Context, tx *db.Tx, now time.Time, a *actor.Actor, i Incident, what string) error {
	if !i.Restricted {
		return nil
	}
	return audit.Write(ctx, tx, now, a, "", "restricted.read", "incident", i.ID, map[string]string{"ref": i.Ref, "view": what})
}

// WriteChangeable runs fn in a write transaction on an incident the actor
// in ctx may change. Need-to-know is checked in that same transaction, so
// a roster change cannot slip between the check and the write: not found
// when they may not see it, forbidden when they may only read it. The
// capabilities that write to an incident (indicators, obligations…) use it.
func WriteChangeable(ctx context.Context, d *db.DB, ref string, fn func(tx *db.Tx, a *actor.Actor, i Incident) error) error {
	a := actor.From(ctx)
	if a == nil {
		return &errs.Error{Code: errs.Unauthorized, Message: "sign in first"}
	}
	return d.Write(ctx, func(tx *db.Tx) error {
		i, err := Changeable(ctx, tx, a, ref)
		if err != nil {
			return err
		}
		return fn(tx, a, i)
	})
}

// ReadVisible runs fn on an incident (with its milestones) a may see, in a
// read transaction for ordinary incidents and in a write transaction that
// audits the read for restricted ones. The incident service's own reads
// use it too, so there is one way to read under need-to-know.
func ReadVisible(ctx context.Context, d *db.DB, now time.Time, ref, what string, fn func(tx *db.Tx, i Incident) error) error {
	a := actor.From(ctx)
	if a == nil {
		return &errs.Error{Code: errs.Unauthorized, Message: "sign in first"}
	}
	restricted := false
	err := d.Read(ctx, func(tx *db.Tx) error {
		i, err := loadIncident(ctx, tx, a, ref)
		if err != nil {
			return err
		}
		if restricted = i.Restricted; restricted {
			return nil
		}
		return fn(tx, i)
	})
	if err != nil || !restricted {
		return err
	}
	return d.Write(ctx, func(tx *db.Tx) error {
		i, err := loadIncident(ctx, tx, a, ref)
		if err != nil {
			return err
		}
		if err := AuditRead(ctx, tx, now, a, i, what); err != nil {
			return err
		}
		return fn(tx, i)
	})
}

// VisibleRefs reports which of refs (incidents of a's organisation) a may
// see, in one query over the shared need-to-know condition. Learning that
// another incident exists is not reading it, so nothing is audited.
func VisibleRefs(ctx context.Context, tx *db.Tx, a *actor.Actor, refs []string) (map[string]bool, error) {
	out := map[string]bool{}
	if len(refs) == 0 {
		return out, nil
	}
	args := visibleArgs(a)
	ph := make([]string, len(refs))
	for k, r := range refs {
		args = append(args, r)
		ph[k] = fmt.Sprintf("$%d", len(args))
	}
	rows, err := tx.QueryContext(ctx, `SELECT i.ref FROM incidents i WHERE `+visible+` AND i.ref IN (`+strings.Join(ph, ", ")+`)`, args...)
	if err != nil {
		return nil, fmt.Errorf("check visibility: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var ref string
		if err := rows.Scan(&ref); err != nil {
			return nil, err
		}
		out[ref] = true
	}
	return out, rows.Err()
}
