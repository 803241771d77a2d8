package client

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
	"strings"
)

// AddEntry writes a note, a backdated event or a correction.
func (c *Client) AddEntry(ctx context.Context, ref string, in EntryInput) (Entry, error) {
	var out Entry
	_, err := c.Do(ctx, http.MethodPost, "/api/v1/incidents/"+esc(ref)+"/timeline", nil, in, &out)
	return out, err
}

// TimelineFilter selects timeline entries.
type TimelineFilter struct {
	Kinds  []string
	Desc   bool
	Limit  int
	Cursor string
}

// Timeline returns one page of an incident's timeline.
func (c *Client) Timeline(ctx context.Context, ref string, f TimelineFilter) (Page[Entry], error) {
	order := ""
	if f.Desc {
		order = "desc"
	}
	var out Page[Entry]
	q := values("kind", strings.Join(f.Kinds, ","), "order", order, "limit", strconv.Itoa(f.Limit), "cursor", f.Cursor)
	return out, c.get(ctx, "/api/v1/incidents/"+esc(ref)+"/timeline"+q, &out)
}

// Event is one Server-Sent Event.
type Event struct {
	ID    string
	Type  string
	Entry Entry
}

// Stream reads an event stream (path like /api/v1/incidents/IR-2026-0001/events)
// from lastID ("" for now) and calls fn for each event until ctx ends, the
// server closes the stream, or fn returns an error.
func (c *Client) Stream(ctx context.Context, path, lastID string, fn func(Event) error) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, c.BaseURL+path, nil)
	if err != nil {
		return err
	}
	req.Header.Set("Accept", "text/event-stream")
	req.Header.Set("Authorization", "Bearer "+c.Token)
	if lastID != "" {
		req.Header.Set("Last-Event-ID", lastID)
	}
	hc := *c.HTTP
	hc.Timeout = 0 // a stream lives as long as ctx
	resp, err := hc.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		e := &Error{Status: resp.StatusCode}
		_ = json.NewDecoder(resp.Body).Decode(e)
		if e.Detail == "" {
			e.Detail = fmt.Sprintf("GET %s: HTTP %d", path, resp.StatusCode)
		}
		return e
	}
	sc := bufio.NewScanner(resp.Body)
	sc.Buffer(make([]byte, 64*1024), 4<<20)
	var ev Event
	var data strings.Builder
	for sc.Scan() {
		line := sc.Text()
		switch {
		case line == "":
			if data.Len() > 0 || ev.Type != "" {
				if ev.Type == "entry" {
					if err := json.Unmarshal([]byte(data.String()), &ev.Entry); err != nil {
						return fmt.Errorf("decode event %s: %w", ev.ID, err)
					}
				}
				if err := fn(ev); err != nil {
					return err
				}
			}
			ev, data = Event{}, strings.Builder{}
		case strings.HasPrefix(line, ":"):
		case strings.HasPrefix(line, "id: "):
			ev.ID = strings.TrimPrefix(line, "id: ")
		case strings.HasPrefix(line, "event: "):
			ev.Type = strings.TrimPrefix(line, "event: ")
		case strings.HasPrefix(line, "data: "):
			data.WriteString(strings.TrimPrefix(line, "data: "))
		}
	}
	if ctx.Err() != nil {
		return ctx.Err()
	}
	return sc.Err()
}
