package ioc

import (
	"context"
	"fmt"
	"strings"

	"github.com/warroom/warroom/internal/db"
)

// Lookup returns those of ids that are indicators of the incident, keyed
// by ID, inside the caller's transaction. Other capabilities (the attacker
// timeline) use it to validate links in the transaction that writes them:
// an ID of another incident's indicator, or of none, is simply absent.
func Lookup(ctx context.Context, tx *db.Tx, incidentID string, ids []string) (map[string]Indicator, error) {
	out := map[string]Indicator{}
	if len(ids) == 0 {
		return out, nil
	}
	args := []any{incidentID}
	ph := make([]string, len(ids))
	for k, id := range ids {
		args = append(args, id)
		ph[k] = fmt.Sprintf("$%d", len(args))
	}
	rows, err := tx.QueryContext(ctx, `SELECT `+iocColumns+iocFrom+` WHERE c.incident_id = $1 AND c.id IN (`+strings.Join(ph, ", ")+`)`, args...)
	if err != nil {
		return nil, fmt.Errorf("look up indicators: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		x, err := scanIndicator(rows)
		if err != nil {
			return nil, fmt.Errorf("scan indicator: %w", err)
		}
		out[x.ID] = x
	}
	return out, rows.Err()
}

// InIncident returns up to limit of the incident's indicators in the order
// they were added, without correlations, for pickers in other pages.
func InIncident(ctx context.Context, tx *db.Tx, incidentID string, limit int) ([]Indicator, error) {
	items, err := listIndicators(ctx, tx, incidentID, Filter{Limit: limit})
	if len(items) > limit {
		items = items[:limit]
	}
	return items, err
}
