package client

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"time"
)

// Plan is one stored version of an IR plan.
type Plan struct {
	ID         string    `json:"id"`
	Version    int       `json:"version"`
	Title      string    `json:"title"`
	Types      []string  `json:"types"`
	Severities []string  `json:"severities"`
	Source     string    `json:"source,omitempty"`
	SHA256     string    `json:"sha256"`
	ImportedBy string    `json:"imported_by,omitempty"`
	ImportedAt time.Time `json:"imported_at"`
}

// PlanImported says what an import stored.
type PlanImported struct {
	Plan    Plan `json:"plan"`
	Created bool `json:"created"`
}

// PlanVersion is a stored version with its parsed form.
type PlanVersion struct {
	Plan
	Parsed json.RawMessage `json:"plan"`
}

// ImportPlan adds a plan (YAML) to the library.
func (c *Client) ImportPlan(ctx context.Context, file, source string) (PlanImported, error) {
	var out PlanImported
	_, err := c.Do(ctx, http.MethodPost, "/api/v1/plans", nil, map[string]string{"file": file, "source": source}, &out)
	return out, err
}

// Plans lists the newest version of every plan.
func (c *Client) Plans(ctx context.Context) ([]Plan, error) {
	var out Page[Plan]
	return out.Items, c.get(ctx, "/api/v1/plans", &out)
}

// PlanVersions lists the versions of a plan, newest first.
func (c *Client) PlanVersions(ctx context.Context, id string) ([]Plan, error) {
	var out Page[Plan]
	return out.Items, c.get(ctx, "/api/v1/plans/"+esc(id), &out)
}

// PlanVersion returns one version (0: newest).
func (c *Client) PlanVersion(ctx context.Context, id string, version int) (PlanVersion, error) {
	var out PlanVersion
	return out, c.get(ctx, fmt.Sprintf("/api/v1/plans/%s/versions/%d", esc(id), version), &out)
}

// PlanDiff returns a unified diff between two versions.
func (c *Client) PlanDiff(ctx context.Context, id string, from, to int) (string, error) {
	var out struct {
		Diff string `json:"diff"`
	}
	return out.Diff, c.get(ctx, fmt.Sprintf("/api/v1/plans/%s/diff?from=%d&to=%d", esc(id), from, to), &out)
}
