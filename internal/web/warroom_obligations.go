package web

import (
	"context"
	"time"

	"github.com/warroom/warroom/internal/obligation"
)

// owedPanel is the war room's summary of the notification clocks: the
// notifications still owed, soonest first, with a countdown, and how many
// more wait for an event (a materiality determination, a classification)
// to start their clock. The Notifications tab has the rest.
type owedPanel struct {
	FactsSet bool
	Owed     []owedNotice
	// More is how many owed notifications the panel leaves to the tab.
	More    int
	Waiting int
	Done    int // submitted or decided not required
}

type owedNotice struct {
	obligation.IncidentObligation
}

// DueAt is the due instant; zero for "without undue delay" duties with
// no fixed limit.
func (n owedNotice) DueAt() time.Time { return n.DueTime() }

// maxOwedShown keeps the panel short; the tab lists them all.
const maxOwedShown = 6

func (s *Server) owedPanel(ctx context.Context, ref string) (*owedPanel, error) {
	if s.Obligations == nil {
		return nil, nil
	}
	rep, err := s.Obligations.Obligations(ctx, ref, false)
	if err != nil {
		return nil, err
	}
	p := &owedPanel{FactsSet: rep.FactsVersion > 0}
	for _, o := range rep.Obligations {
		switch {
		case o.Notification.Status == obligation.Submitted || o.Notification.Status == obligation.NotRequired:
			p.Done++
		case o.Status == obligation.PendingEvent:
			p.Waiting++
		case o.Status == obligation.Due && len(p.Owed) < maxOwedShown:
			p.Owed = append(p.Owed, owedNotice{o})
		case o.Status == obligation.Due:
			p.More++
		}
	}
	return p, nil
}
