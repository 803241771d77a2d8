package main

import (
	"bytes"
	"context"
	"encoding/csv"
	"fmt"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/warroom/warroom/client"
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

// uploadSightings reports a finished sweep to the incident: the
// indicators' first and last seen times are widened to cover the hits
// (one import, merged into the indicators the sweep downloaded), then one
// timeline entry says where the sweep ran, what it covered and what it
// found.
func (a *app) uploadSightings(ctx context.Context, ref, host string, paths []string, s *sightings, stats *sweep.Stats, took time.Duration) error {
	c, err := a.client()
	if err != nil {
		return err
	}
	found := s.sorted()
	if len(found) > 0 {
		var buf bytes.Buffer
		w := csv.NewWriter(&buf)
		w.Write([]string{"type", "value", "first_seen", "last_seen"})
		for _, x := range found {
			w.Write([]string{x.typ, x.value, x.first.UTC().Format(time.RFC3339), x.last.UTC().Format(time.RFC3339)})
		}
		w.Flush()
		rep, err := c.ImportIndicators(ctx, ref, "csv", &buf)
		if err != nil {
			return fmt.Errorf("upload the sightings to %s: %w", ref, err)
		}
		for _, r := range rep.Rejected {
			fmt.Fprintf(a.stderr, "warroom: the server did not take sighting %s: %s\n", r.Item, r.Reason)
		}
	}
	var sb strings.Builder
	fmt.Fprintf(&sb, "Sweep on %s: %d hits of %d indicators in %d files (%s) under %s, in %s.",
		host, stats.Hits.Load(), len(found), stats.Files.Load(), sizeOf(stats.Bytes.Load()), strings.Join(paths, ", "), took.Round(time.Second))
	for i, x := range found {
		if i == 10 {
			fmt.Fprintf(&sb, " And %d more.", len(found)-10)
			break
		}
		fmt.Fprintf(&sb, " %s %s: %d (%s to %s).", x.typ, x.value, x.hits, x.first.UTC().Format(time.RFC3339), x.last.UTC().Format(time.RFC3339))
	}
	if n := stats.Errors.Load(); n > 0 {
		fmt.Fprintf(&sb, " %d files could not be read.", n)
	}
	if _, err := c.AddEntry(ctx, ref, client.EntryInput{Text: sb.String()}); err != nil {
		return fmt.Errorf("record the sweep on %s's timeline: %w", ref, err)
	}
	return nil
}
