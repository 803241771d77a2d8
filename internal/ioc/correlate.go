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
// other incidents holding the same type and value that the caller may
// see. Which incidents those are is the incident service's rule
// (need-to-know): each candidate is looked up through it, as the caller,
// so a restricted incident the caller is not on never appears. Reads
// only: looking up does not count as reading a restricted incident.
func (s *Service) correlate(ctx context.Context, i incident.Incident, items []Indicator) error {
	if len(items) == 0 {
		return nil
	}
	ids := make([]string, len(items))
	for k, x := range items {
		ids[k] = x.ID
	}
	var seen map[string][]string
	err := s.DB.Read(ctx, func(tx *db.Tx) (err error) {
		seen, err = seenElsewhere(ctx, tx, actor.From(ctx).OrgID, i.ID, ids)
		return err
	})
	if err != nil {
		return err
	}
	visible := map[string]bool{}
	for k := range items {
		items[k].SeenIn = []string{}
		for _, ref := range seen[items[k].ID] {
			ok, known := visible[ref]
			if !known {
				if ok, err = s.canSee(ctx, ref); err != nil {
					return err
				}
				visible[ref] = ok
			}
			if ok {
				items[k].SeenIn = append(items[k].SeenIn, ref)
			}
		}
	}
	return nil
}

// canSee asks the incident service whether the caller may see ref. Its
// list, not Get: Get audits a read of a restricted incident, and merely
// learning that one holds the same indicator is not reading it.
func (s *Service) canSee(ctx context.Context, ref string) (bool, error) {
	page, err := s.incidents().List(ctx, incident.Filter{Query: ref, Limit: 500})
	if err != nil {
		return false, err
	}
	for _, i := range page.Items {
		if i.Ref == ref {
			return true, nil
		}
	}
	return false, nil
}

// Correlations lists the incident's indicators that other incidents of
// the organisation also hold, with those incidents' references ("also
// seen in IR-2026-0003"), limited to the incidents the caller may see.
func (s *Service) Correlations(ctx context.Context, ref string) ([]Correlation, error) {
	i, err := s.incident(ctx, ref, false)
	if err != nil {
		return nil, err
	}
	var items []Indicator
	err = s.DB.Read(ctx, func(tx *db.Tx) error {
		seen, err := seenElsewhere(ctx, tx, actor.From(ctx).OrgID, i.ID, nil)
		if err != nil {
			return err
		}
		for id := range seen {
			x, err := findIndicator(ctx, tx, i.ID, id)
			if err != nil {
				return err
			}
			items = append(items, x)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	if err := s.correlate(ctx, i, items); err != nil {
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
