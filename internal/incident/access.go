package incident

import (
	"context"
	"time"

	"github.com/warroom/warroom/internal/actor"
	"github.com/warroom/warroom/internal/audit"
	"github.com/warroom/warroom/internal/db"
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

// ReadVisible runs fn on an incident a may see, in a read transaction for
// ordinary incidents and in a write transaction that audits the read for
// restricted ones, as the incident service's own reads do.
func ReadVisible(ctx context.Context, d *db.DB, now time.Time, ref, what string, fn func(tx *db.Tx, i Incident) error) error {
	a := actor.From(ctx)
	restricted := false
	err := d.Read(ctx, func(tx *db.Tx) error {
		i, err := loadIncidentRow(ctx, tx, a, ref)
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
		i, err := loadIncidentRow(ctx, tx, a, ref)
		if err != nil {
			return err
		}
		if err := AuditRead(ctx, tx, now, a, i, what); err != nil {
			return err
		}
		return fn(tx, i)
	})
}
