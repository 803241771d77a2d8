package main

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/warroom/warroom/client"
	"github.com/warroom/warroom/internal/ioc"
	"github.com/warroom/warroom/internal/sweep"
)

// sightings gathers, per indicator, how often and when a sweep saw it, to
// report back to the incident.
type sightings struct {
	mu  sync.Mutex
	now func() time.Time
	m   map[[2]string]*sighting
}

type sighting struct {
	typ, value  string
	hits        int
	first, last time.Time
}

func newSightings(now func() time.Time) *sightings {
	return &sightings{now: now, m: map[[2]string]*sighting{}}
}

// add counts a hit. A line's event time is when the indicator was seen;
// a hit without one (a file name, a hash, a line with no timestamp) was
// seen when the sweep found it. Times ahead of the clock (a syslog line
// from last December read in January gets this year) are taken as now,
// since the server refuses sightings in the future.
func (s *sightings) add(h sweep.Hit) {
	now := s.now()
	at := now
	if h.Time != nil && h.Time.Before(now) {
		at = *h.Time
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	k := [2]string{string(h.Type), h.Indicator}
	x := s.m[k]
	if x == nil {
		x = &sighting{typ: k[0], value: k[1], first: at, last: at}
		s.m[k] = x
	}
	x.hits++
	if at.Before(x.first) {
		x.first = at
	}
	if at.After(x.last) {
		x.last = at
	}
}

// sorted lists the sightings, most hits first.
func (s *sightings) sorted() []*sighting {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []*sighting
	for _, x := range s.m {
		out = append(out, x)
	}
	slices.SortFunc(out, func(a, b *sighting) int {
		if a.hits != b.hits {
			return b.hits - a.hits
		}
		return strings.Compare(a.typ+a.value, b.typ+b.value)
	})
	return out
}

// uploadSightings reports a finished sweep to the incident in one
// request and one transaction: the indicators' first and last seen widen to
// cover the hits, and one timeline entry records the host, what the sweep
// covered and every sighting.
func (a *app) uploadSightings(ctx context.Context, ref, host string, paths []string, s *sightings, stats *sweep.Stats, started time.Time) error {
	c, err := a.client()
	if err != nil {
		return err
	}
	rep := client.SweepReport{Host: host, Paths: paths, StartedAt: started.UTC(), FinishedAt: s.now().UTC(), Files: stats.Files.Load(),
		Bytes: stats.Bytes.Load(), Errors: stats.Errors.Load(), Sightings: []client.Sighting{}}
	for _, x := range s.sorted() {
		rep.Sightings = append(rep.Sightings, client.Sighting{Type: x.typ, Value: x.value, Hits: int64(x.hits), FirstSeen: x.first.UTC(), LastSeen: x.last.UTC()})
	}
	// A report holds at most ioc.MaxSightings; a sweep that saw more
	// sends several, each its own timeline entry.
	all := rep.Sightings
	for start := 0; start == 0 || start < len(all); start += ioc.MaxSightings {
		rep.Sightings = all[start:min(len(all), start+ioc.MaxSightings)]
		res, err := c.RecordSweep(ctx, ref, rep)
		if err != nil {
			return fmt.Errorf("report the sweep to %s: %w", ref, err)
		}
		for _, u := range res.Unknown {
			fmt.Fprintf(a.stderr, "warroom: %s has no such indicator, so this sighting was not recorded: %s\n", ref, u.Item)
		}
	}
	return nil
}
