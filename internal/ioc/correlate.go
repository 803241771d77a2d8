package ioc

import (
	"context"
	"slices"

	"github.com/warroom/warroom/internal/actor"
	"github.com/warroom/warroom/internal/db"
	"github.com/warroom/warroom/internal/incident"
)

// correlate fills SeenIn of items (indicators of incident i) with the
// other incidents holding the same type and value that a may see, using
// the incident package's one need-to-know condition, inside the caller's
// transaction. Learning that an incident holds the same value is not
// reading it, so nothing is audited.
func correlate(ctx context.Context, tx *db.Tx, a *actor.Actor, i incident.Incident, items []Indicator) error {
	if len(items) == 0 {
		return nil
	}
	ids := make([]string, len(items))
	for k, x := range items {
		ids[k] = x.ID
	}
	seen, err := seenElsewhere(ctx, tx, a.OrgID, i.ID, ids)
	if err != nil {
		return err
	}
	var refs []string
	for _, rs := range seen {
		refs = append(refs, rs...)
	}
	slices.Sort(refs)
	visible, err := incident.VisibleRefs(ctx, tx, a, slices.Compact(refs))
	if err != nil {
		return err
	}
	for k := range items {
		items[k].SeenIn = []string{}
		for _, ref := range seen[items[k].ID] {
			if visible[ref] {
				items[k].SeenIn = append(items[k].SeenIn, ref)
			}
		}
	}
	return nil
}
