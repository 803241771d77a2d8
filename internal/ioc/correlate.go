package ioc

import (
	"context"
	"slices"
	"strings"

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

// Correlations lists the incident's indicators that other incidents of
// the organisation also hold, with those incidents' references ("also
// seen in IR-2026-0003"), limited to the incidents the caller may see.
func (s *Service) Correlations(ctx context.Context, ref string) ([]Correlation, error) {
	var items []Indicator
	err := s.read(ctx, ref, func(tx *db.Tx, i incident.Incident) error {
		seen, err := seenElsewhere(ctx, tx, actor.From(ctx).OrgID, i.ID, nil)
		if err != nil {
			return err
		}
		items = items[:0] // the transaction may be retried
		for id := range seen {
			x, err := findIndicator(ctx, tx, i.ID, id)
			if err != nil {
				return err
			}
			items = append(items, x)
		}
		return correlate(ctx, tx, actor.From(ctx), i, items)
	})
	if err != nil {
		return nil, err
	}
	out := []Correlation{}
	for _, x := range items {
		if len(x.SeenIn) > 0 {
			out = append(out, Correlation{ID: x.ID, Type: x.Type, Value: x.Value, SeenIn: x.SeenIn})
		}
	}
	slices.SortFunc(out, func(a, b Correlation) int { return strings.Compare(a.ID, b.ID) })
	return out, nil
}
