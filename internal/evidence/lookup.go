package evidence

import (
	"context"
	"fmt"

	"github.com/warroom/warroom/internal/db"
	"github.com/warroom/warroom/internal/incident"
)

// Lookup returns those of keys (an item's label like EV-3, its number, or
// its ID) that name evidence of incident i, keyed by the key as given,
// inside the caller's transaction. Other capabilities (the attacker
// timeline) use it to validate links in the transaction that writes them:
// a key naming another incident's item, or none, is simply absent.
func Lookup(ctx context.Context, tx *db.Tx, i incident.Incident, keys []string) (map[string]Evidence, error) {
	out := map[string]Evidence{}
	for _, k := range keys {
		var e Evidence
		var err error
		if n, ok := ParseLabel(k); ok {
			e, err = scanEvidence(tx.QueryRowContext(ctx, `SELECT `+evidenceColumns+` FROM evidence e WHERE e.incident_id = $1 AND e.number = $2`, i.ID, n), i.Ref)
		} else {
			e, err = scanEvidence(tx.QueryRowContext(ctx, `SELECT `+evidenceColumns+` FROM evidence e WHERE e.incident_id = $1 AND e.id = $2`, i.ID, k), i.Ref)
		}
		if db.NoRows(err) {
			continue
		}
		if err != nil {
			return nil, fmt.Errorf("look up evidence %s: %w", k, err)
		}
		out[k] = e
	}
	return out, nil
}

// InIncident returns the evidence of incident i by number, for pickers in
// other pages.
func InIncident(ctx context.Context, tx *db.Tx, i incident.Incident) ([]Evidence, error) {
	return listEvidence(ctx, tx, i)
}
