package ioc

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/warroom/warroom/internal/actor"
	"github.com/warroom/warroom/internal/db"
	"github.com/warroom/warroom/internal/errs"
	"github.com/warroom/warroom/internal/incident"
	"github.com/warroom/warroom/internal/record"
)

// KindSighted is the timeline entry of a sweep reported to an incident.
const KindSighted = "indicators_sighted"

// Limits on a sweep report.
const (
	MaxSightings  = 10000
	maxSweepPaths = 100
	// maxEntrySightings bounds the sightings the timeline entry lists; the
	// rest are counted.
	maxEntrySightings = 1000
)

// SweepReport is what a sweep of one host found for an incident's
// indicators: where it ran, what it covered, and each indicator it saw
// with how often and when (the event times of the lines it was in, or when
// the sweep found it).
type SweepReport struct {
	Host       string     `json:"host"`
	Paths      []string   `json:"paths"`
	StartedAt  time.Time  `json:"started_at"`
	FinishedAt time.Time  `json:"finished_at"`
	Files      int64      `json:"files"`
	Bytes      int64      `json:"bytes"`
	Errors     int64      `json:"errors"` // files that could not be read
	Sightings  []Sighting `json:"sightings"`
}

// Sighting is one indicator seen by a sweep.
type Sighting struct {
	Type      Type      `json:"type"`
	Value     string    `json:"value"`
	Hits      int64     `json:"hits"`
	FirstSeen time.Time `json:"first_seen"`
	LastSeen  time.Time `json:"last_seen"`
}

// SweepResult says which indicators a report moved: first/last seen
// widened (updated) or already covering the sightings (unchanged), and
// sightings of values the incident does not have (unknown: a sweep run
// with another list), which are not added.
type SweepResult struct {
	Updated   int         `json:"updated"`
	Unchanged int         `json:"unchanged"`
	Unknown   []Rejection `json:"unknown"`
}

// RecordSweep reports a sweep to the incident in one transaction: each
// sighted indicator's first and last seen widen to cover its sightings,
// and one timeline entry records the host, what was covered and every
// sighting (so the hash chain holds where each indicator was found).
func (s *Service) RecordSweep(ctx context.Context, ref string, rep SweepReport) (SweepResult, error) {
	now := db.Time(s.Now())
	if err := rep.check(now); err != nil {
		return SweepResult{}, err
	}
	var res SweepResult
	err := s.write(ctx, ref, func(tx *db.Tx, a *actor.Actor, i incident.Incident) error {
		res = SweepResult{Unknown: []Rejection{}}
		for n, sg := range rep.Sightings {
			x, err := findByValue(ctx, tx, i.ID, sg.Type, sg.Value)
			if errors.Is(err, sql.ErrNoRows) {
				res.Unknown = append(res.Unknown, Rejection{Item: fmt.Sprintf("sightings[%d]: %s %s", n, sg.Type, sg.Value),
					Reason: "the incident has no such indicator; add it first"})
				continue
			} else if err != nil {
				return err
			}
			first, last := minTime(x.FirstSeen, db.Time(sg.FirstSeen)), maxTime(x.LastSeen, db.Time(sg.LastSeen))
			if first.Equal(x.FirstSeen) && last.Equal(x.LastSeen) {
				res.Unchanged++
				continue
			}
			prev := x.Version
			x.FirstSeen, x.LastSeen, x.UpdatedAt, x.Version = first, last, now, prev+1
			if err := saveIndicator(ctx, tx, x, prev); err != nil {
				return err
			}
			res.Updated++
		}
		listed := rep.Sightings
		if len(listed) > maxEntrySightings {
			listed = listed[:maxEntrySightings]
		}
		var hits int64
		for _, sg := range rep.Sightings {
			hits += sg.Hits
		}
		_, err := record.Append(ctx, tx, a, now, record.NewEntry{OrgID: a.OrgID, IncidentID: i.ID, Kind: KindSighted,
			Text: fmt.Sprintf("Sweep on %s: %d %s of %d %s in %d files (%s); %d could not be read", rep.Host, hits, plural(hits, "hit", "hits"),
				len(rep.Sightings), plural(int64(len(rep.Sightings)), "indicator", "indicators"), rep.Files, strings.Join(rep.Paths, ", "), rep.Errors),
			Payload: map[string]any{"host": rep.Host, "paths": rep.Paths, "started_at": rep.StartedAt, "finished_at": rep.FinishedAt,
				"files": rep.Files, "bytes": rep.Bytes, "errors": rep.Errors, "hits": hits, "sightings": listed,
				"sightings_total": len(rep.Sightings), "unknown": len(res.Unknown)}})
		return err
	})
	return res, err
}

func plural(n int64, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

// check validates and normalises a report; nothing is written when it fails.
func (rep *SweepReport) check(now time.Time) error {
	var v errs.Validation
	rep.Host = strings.TrimSpace(rep.Host)
	if rep.Host == "" || len(rep.Host) > 255 {
		v.Add("host", "must be 1 to 255 bytes: the host the sweep ran on")
	}
	if len(rep.Paths) > maxSweepPaths {
		v.Add("paths", "at most %d paths", maxSweepPaths)
	}
	for n, p := range rep.Paths {
		if len(p) > 4096 {
			v.Add(fmt.Sprintf("paths[%d]", n), "must be at most 4096 bytes")
		}
	}
	if rep.Files < 0 || rep.Bytes < 0 || rep.Errors < 0 {
		v.Add("files", "files, bytes and errors cannot be negative")
	}
	skew := now.Add(5 * time.Minute)
	if rep.FinishedAt.After(skew) || rep.StartedAt.After(skew) {
		v.Add("finished_at", "is in the future")
	}
	if !rep.StartedAt.IsZero() && rep.FinishedAt.Before(rep.StartedAt) {
		v.Add("finished_at", "is before started_at")
	}
	if len(rep.Sightings) > MaxSightings {
		v.Add("sightings", "%d sightings; at most %d in one report: send the rest in another", len(rep.Sightings), MaxSightings)
		return v.Err()
	}
	for n, sg := range rep.Sightings {
		f := fmt.Sprintf("sightings[%d]", n)
		if !slices.Contains(Types, sg.Type) {
			v.Add(f+".type", "%q is not allowed; use one of %s", sg.Type, typeList())
			continue
		}
		value, err := Normalize(sg.Type, sg.Value)
		if err != nil {
			v.Add(f+".value", "%s", err.Error())
			continue
		}
		rep.Sightings[n].Value = value
		if sg.Hits < 1 {
			v.Add(f+".hits", "must be at least 1")
		}
		if sg.FirstSeen.IsZero() || sg.LastSeen.IsZero() {
			v.Add(f+".first_seen", "first_seen and last_seen are required")
		} else if sg.LastSeen.Before(sg.FirstSeen) {
			v.Add(f+".last_seen", "is before first_seen")
		} else if sg.LastSeen.After(skew) {
			v.Add(f+".last_seen", "is in the future")
		}
	}
	return v.Err()
}
