package client

import (
	"context"
	"net/http"
	"time"
)

// SweepReport is a sweep of one host reported to an incident
// (docs/sweep.md): where it ran, what it covered, and each indicator seen.
type SweepReport struct {
	Host       string     `json:"host"`
	Paths      []string   `json:"paths"`
	StartedAt  time.Time  `json:"started_at"`
	FinishedAt time.Time  `json:"finished_at"`
	Files      int64      `json:"files"`
	Bytes      int64      `json:"bytes"`
	Errors     int64      `json:"errors"`
	Sightings  []Sighting `json:"sightings"`
}

// Sighting is one indicator seen by a sweep, how often and when.
type Sighting struct {
	Type      string    `json:"type"`
	Value     string    `json:"value"`
	Hits      int64     `json:"hits"`
	FirstSeen time.Time `json:"first_seen"`
	LastSeen  time.Time `json:"last_seen"`
}

// SweepResult says which indicators the report moved.
type SweepResult struct {
	Updated   int               `json:"updated"`
	Unchanged int               `json:"unchanged"`
	Unknown   []ImportRejection `json:"unknown"`
}

// RecordSweep reports a sweep to an incident in one transaction.
func (c *Client) RecordSweep(ctx context.Context, ref string, rep SweepReport) (SweepResult, error) {
	var out SweepResult
	_, err := c.Do(ctx, http.MethodPost, "/api/v1/incidents/"+esc(ref)+"/iocs/sightings", nil, rep, &out)
	return out, err
}
