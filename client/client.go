package client

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"
)

// Client talks to one Warroom server as one identity.
type Client struct {
	BaseURL string // like http://127.0.0.1:8080
	Token   string
	HTTP    *http.Client
	// Strict makes decoding fail on fields these types do not know; the
	// end-to-end tests set it to catch drift from the server.
	Strict bool
}

// New returns a client for baseURL authenticating with token.
func New(baseURL, token string) *Client {
	return &Client{BaseURL: strings.TrimRight(baseURL, "/"), Token: token, HTTP: &http.Client{Timeout: 60 * time.Second}}
}

// Error is a problem+json answer from the server.
type Error struct {
	Status    int          `json:"status"`
	Code      string       `json:"code"`
	Detail    string       `json:"detail"`
	Errors    []FieldError `json:"errors"`
	RequestID string       `json:"request_id"`
}

// FieldError says what was wrong with one input field.
type FieldError struct {
	Field   string `json:"field"`
	Message string `json:"message"`
}

func (e *Error) Error() string {
	var b strings.Builder
	b.WriteString(e.Detail)
	for _, f := range e.Errors {
		fmt.Fprintf(&b, "\n  %s: %s", f.Field, f.Message)
	}
	return b.String()
}

// ErrorCode returns the server's error code for err ("" when err did not come from the server).
func ErrorCode(err error) string {
	if e, ok := err.(*Error); ok {
		return e.Code
	}
	return ""
}

// Response is what Do saw besides the body, for callers that need headers.
type Response struct {
	Status int
	Header http.Header
}

// Raw is a request body Do sends as it is, with its media type, instead
// of encoding it as JSON (a YAML document, say).
type Raw struct {
	ContentType string
	Data        []byte
}

// Do sends a request with a JSON body (nil for none; a Raw body as it is)
// and decodes a JSON answer into out (nil to discard).
func (c *Client) Do(ctx context.Context, method, path string, headers map[string]string, body, out any) (*Response, error) {
	var rd io.Reader
	contentType := "application/json"
	if raw, ok := body.(Raw); ok {
		rd, contentType = bytes.NewReader(raw.Data), raw.ContentType
	} else if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			return nil, fmt.Errorf("encode request: %w", err)
		}
		rd = bytes.NewReader(b)
	}
	req, err := http.NewRequestWithContext(ctx, method, c.BaseURL+path, rd)
	if err != nil {
		return nil, err
	}
	if body != nil {
		req.Header.Set("Content-Type", contentType)
	}
	req.Header.Set("Accept", "application/json")
	if c.Token != "" {
		req.Header.Set("Authorization", "Bearer "+c.Token)
	}
	for k, v := range headers {
		req.Header.Set(k, v)
	}
	resp, err := c.HTTP.Do(req)
	if err != nil {
		return nil, fmt.Errorf("%s %s: %w", method, path, err)
	}
	defer resp.Body.Close()
	r := &Response{Status: resp.StatusCode, Header: resp.Header}
	if resp.StatusCode >= 400 {
		e := &Error{Status: resp.StatusCode}
		b, _ := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
		if json.Unmarshal(b, e) != nil || e.Detail == "" {
			e.Detail = fmt.Sprintf("%s %s: HTTP %d: %s", method, path, resp.StatusCode, strings.TrimSpace(string(b)))
		}
		return r, e
	}
	if out == nil || resp.StatusCode == http.StatusNoContent {
		return r, nil
	}
	dec := json.NewDecoder(resp.Body)
	if c.Strict {
		dec.DisallowUnknownFields()
	}
	if err := dec.Decode(out); err != nil {
		return r, fmt.Errorf("decode %s %s: %w", method, path, err)
	}
	return r, nil
}

func (c *Client) get(ctx context.Context, path string, out any) error {
	_, err := c.Do(ctx, http.MethodGet, path, nil, nil, out)
	return err
}

func ifMatch(version int64) map[string]string {
	if version == 0 {
		return nil
	}
	return map[string]string{"If-Match": `"` + strconv.FormatInt(version, 10) + `"`}
}

func esc(s string) string { return url.PathEscape(s) }

// values builds a query string from name/value pairs, skipping empty values.
func values(kv ...string) string {
	v := url.Values{}
	for i := 0; i+1 < len(kv); i += 2 {
		if kv[i+1] != "" && kv[i+1] != "false" && kv[i+1] != "0" {
			v.Set(kv[i], kv[i+1])
		}
	}
	if len(v) == 0 {
		return ""
	}
	return "?" + v.Encode()
}
