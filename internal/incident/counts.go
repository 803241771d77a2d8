package incident

import (
	"context"
	"fmt"

	"github.com/warroom/warroom/internal/actor"
	"github.com/warroom/warroom/internal/db"
)

// Counts are the numbers behind an incident list's filters, over the
// incidents the actor may see (restricted ones they may not see are not
// counted: a count must not reveal that they exist).
type Counts struct {
	Open           int              `json:"open"`
	Closed         int              `json:"closed"`
	OpenBySeverity map[Severity]int `json:"open_by_severity"`
	Mine           int              `json:"mine"` // open incidents where the actor holds a role
}

// Counts counts the visible incidents by status and severity.
func (s *Service) Counts(ctx context.Context) (Counts, error) {
	a := actor.From(ctx)
	c := Counts{OpenBySeverity: map[Severity]int{}}
	for _, sev := range Severities {
		c.OpenBySeverity[sev] = 0
	}
	err := s.DB.Read(ctx, func(tx *db.Tx) error {
		rows, err := tx.QueryContext(ctx, `SELECT i.status, i.severity, count(*) FROM incidents i WHERE `+visible+` GROUP BY i.status, i.severity`, visibleArgs(a)...)
		if err != nil {
			return fmt.Errorf("count incidents: %w", err)
		}
		defer rows.Close()
		for rows.Next() {
			var st Status
			var sev Severity
			var n int
			if err := rows.Scan(&st, &sev, &n); err != nil {
				return err
			}
			if st == Open {
				c.Open += n
				c.OpenBySeverity[sev] += n
			} else {
				c.Closed += n
			}
		}
		if err := rows.Err(); err != nil {
			return err
		}
		return tx.QueryRowContext(ctx, `SELECT count(*) FROM incidents i WHERE `+visible+` AND i.status = 'open'
			AND EXISTS (SELECT 1 FROM roster_assignments m WHERE m.incident_id = i.id AND m.user_id = $2 AND m.released_at IS NULL)`,
			visibleArgs(a)...).Scan(&c.Mine)
	})
	return c, err
}
