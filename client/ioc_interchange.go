package client

import (
	"context"
	"fmt"
	"io"
	"mime"
	"net/http"
	"strconv"
)

// ImportReport says what an indicator import did (docs/indicators.md).
type ImportReport struct {
	Took     int               `json:"took"`
	Merged   int               `json:"merged"`
	Rejected []ImportRejection `json:"rejected"`
	// Ignored counts objects read only for context, by type.
	Ignored map[string]int `json:"ignored"`
}

// ImportRejection is an item not imported, and why.
type ImportRejection struct {
	Item   string `json:"item"`
	Reason string `json:"reason"`
}

// ExportFilter chooses what ExportIndicators writes: Format stix, csv,
// misp or list; Type one indicator type ("" for all); All adds artifacts.
type ExportFilter struct {
	Format string
	Type   string
	All    bool
	// MaxTLP leaves out indicators marked more restrictively ("" = all).
	MaxTLP string
}

// Exported describes an export ExportIndicators wrote.
type Exported struct {
	ContentType string
	Filename    string // as the server suggests it
	Count       int    // indicators in it
	Size        int64
}

var importMediaTypes = map[string]string{"stix": "application/stix+json", "misp": "application/json", "csv": "text/csv", "text": "text/plain"}

// ImportIndicators sends a document (format stix, misp, csv or text) to be
// imported into an incident; it is streamed, not held in memory.
func (c *Client) ImportIndicators(ctx context.Context, ref, format string, doc io.Reader) (ImportReport, error) {
	var out ImportReport
	ct := importMediaTypes[format]
	if ct == "" {
		ct = "application/octet-stream" // the server names the formats it takes
	}
	resp, err := c.stream(ctx, http.MethodPost, "/api/v1/incidents/"+esc(ref)+"/iocs/import"+values("format", format), ct, doc)
	if err != nil {
		return out, err
	}
	defer resp.Body.Close()
	return out, c.decode(resp.Body, &out)
}

// ExportIndicators writes an incident's indicators to w in the chosen format.
func (c *Client) ExportIndicators(ctx context.Context, ref string, f ExportFilter, w io.Writer) (Exported, error) {
	q := values("format", f.Format, "type", f.Type, "all", strconv.FormatBool(f.All), "max_tlp", f.MaxTLP)
	resp, err := c.stream(ctx, http.MethodGet, "/api/v1/incidents/"+esc(ref)+"/iocs/export"+q, "", nil)
	if err != nil {
		return Exported{}, err
	}
	defer resp.Body.Close()
	out := Exported{ContentType: resp.Header.Get("Content-Type")}
	out.Count, _ = strconv.Atoi(resp.Header.Get("X-Warroom-Count"))
	if _, params, err := mime.ParseMediaType(resp.Header.Get("Content-Disposition")); err == nil {
		out.Filename = params["filename"]
	}
	out.Size, err = io.Copy(w, resp.Body)
	if err != nil {
		return out, fmt.Errorf("export %s: %w", ref, err)
	}
	return out, nil
}
