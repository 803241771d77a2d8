package client

import (
	"context"
	"net/http"
	"strconv"
	"time"
)

// Indicator is a value recorded in an incident: an address, domain, URL,
// hash, registry key, account… (docs/indicators.md).
type Indicator struct {
	ID          string    `json:"id"`
	IncidentRef string    `json:"incident_ref"`
	Type        string    `json:"type"`
	Value       string    `json:"value"`
	TLP         string    `json:"tlp"`
	Confidence  int       `json:"confidence"`
	Source      string    `json:"source"`
	FirstSeen   time.Time `json:"first_seen"`
	LastSeen    time.Time `json:"last_seen"`
	Tags        []string  `json:"tags"`
	Note        string    `json:"note"`
	IsIOC       bool      `json:"is_ioc"`
	CreatedBy   string    `json:"created_by"`
	CreatedAt   time.Time `json:"created_at"`
	UpdatedAt   time.Time `json:"updated_at"`
	Version     int64     `json:"version"`
	// SeenIn lists the other incidents you may see that hold it too.
	SeenIn []string `json:"seen_in"`
}

// IndicatorInput adds an indicator; Type and Value are required.
type IndicatorInput struct {
	Type       string     `json:"type"`
	Value      string     `json:"value"`
	TLP        string     `json:"tlp,omitempty"`        // default: the incident's
	Confidence *int       `json:"confidence,omitempty"` // default 50
	Source     string     `json:"source,omitempty"`
	FirstSeen  *time.Time `json:"first_seen,omitempty"`
	LastSeen   *time.Time `json:"last_seen,omitempty"`
	Tags       []string   `json:"tags,omitempty"`
	Note       string     `json:"note,omitempty"`
	IsIOC      *bool      `json:"is_ioc,omitempty"` // default true; false for an observed artifact
}

// IndicatorPatch changes some fields of an indicator.
type IndicatorPatch struct {
	TLP        *string    `json:"tlp,omitempty"`
	Confidence *int       `json:"confidence,omitempty"`
	Source     *string    `json:"source,omitempty"`
	FirstSeen  *time.Time `json:"first_seen,omitempty"`
	LastSeen   *time.Time `json:"last_seen,omitempty"`
	Tags       *[]string  `json:"tags,omitempty"`
	Note       *string    `json:"note,omitempty"`
	IsIOC      *bool      `json:"is_ioc,omitempty"`
}

// IndicatorFilter selects an incident's indicators.
type IndicatorFilter struct {
	Type    string
	IOCOnly bool
	Query   string
	Limit   int
	Cursor  string
}

// Candidate is an indicator found in text, for review before adding.
type Candidate struct {
	Type    string `json:"type"`
	Value   string `json:"value"`
	Raw     string `json:"raw"`
	Line    int    `json:"line"`
	Note    string `json:"note"`
	Suggest bool   `json:"suggest"`
}

// AddIndicator adds an indicator to an incident; created is false when the
// incident already had it and the sighting was merged.
func (c *Client) AddIndicator(ctx context.Context, ref string, in IndicatorInput) (x Indicator, created bool, err error) {
	r, err := c.Do(ctx, http.MethodPost, "/api/v1/incidents/"+esc(ref)+"/iocs", nil, in, &x)
	return x, err == nil && r.Status == http.StatusCreated, err
}

// Indicators lists a page of an incident's indicators.
func (c *Client) Indicators(ctx context.Context, ref string, f IndicatorFilter) (Page[Indicator], error) {
	var out Page[Indicator]
	q := values("type", f.Type, "ioc", strconv.FormatBool(f.IOCOnly), "q", f.Query, "limit", strconv.Itoa(f.Limit), "cursor", f.Cursor)
	return out, c.get(ctx, "/api/v1/incidents/"+esc(ref)+"/iocs"+q, &out)
}

// Indicator returns one indicator.
func (c *Client) Indicator(ctx context.Context, ref, id string) (Indicator, error) {
	var out Indicator
	return out, c.get(ctx, "/api/v1/incidents/"+esc(ref)+"/iocs/"+esc(id), &out)
}

// UpdateIndicator changes an indicator; version, when not 0, must be current.
func (c *Client) UpdateIndicator(ctx context.Context, ref, id string, p IndicatorPatch, version int64) (Indicator, error) {
	var out Indicator
	_, err := c.Do(ctx, http.MethodPatch, "/api/v1/incidents/"+esc(ref)+"/iocs/"+esc(id), ifMatch(version), p, &out)
	return out, err
}

// DeleteIndicator removes an indicator from an incident.
func (c *Client) DeleteIndicator(ctx context.Context, ref, id string, version int64) error {
	_, err := c.Do(ctx, http.MethodDelete, "/api/v1/incidents/"+esc(ref)+"/iocs/"+esc(id), ifMatch(version), nil, nil)
	return err
}

// ExtractIndicators asks the server to find candidate indicators in text.
func (c *Client) ExtractIndicators(ctx context.Context, text string) ([]Candidate, error) {
	var out Page[Candidate]
	_, err := c.Do(ctx, http.MethodPost, "/api/v1/iocs/extract", nil, map[string]string{"text": text}, &out)
	return out.Items, err
}
