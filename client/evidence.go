package client

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"net/textproto"
	"strings"
	"time"
)

// Evidence is an item in an incident's evidence locker.
type Evidence struct {
	ID           string    `json:"id"`
	IncidentRef  string    `json:"incident_ref"`
	Number       int64     `json:"number"`
	Label        string    `json:"label"`
	Kind         string    `json:"kind"` // file or external
	Name         string    `json:"name"`
	Description  string    `json:"description"`
	SourceHost   string    `json:"source_host"`
	SourcePerson string    `json:"source_person"`
	CollectedBy  string    `json:"collected_by"`
	CollectedAt  time.Time `json:"collected_at"`
	Method       string    `json:"method"`
	Location     string    `json:"location"`
	MediaType    string    `json:"media_type"`
	Size         int64     `json:"size"`
	MD5          string    `json:"md5"`
	SHA1         string    `json:"sha1"`
	SHA256       string    `json:"sha256"`
	Stored       bool      `json:"stored"`
	Custodian    string    `json:"custodian"`
	Status       string    `json:"status"` // held, returned or destroyed
	CreatedBy    string    `json:"created_by"`
	CreatedAt    time.Time `json:"created_at"`
	UpdatedAt    time.Time `json:"updated_at"`
	Version      int64     `json:"version"`
}

// EvidenceMeta describes how an item was collected.
type EvidenceMeta struct {
	Name         string     `json:"name,omitempty"`
	Description  string     `json:"description,omitempty"`
	SourceHost   string     `json:"source_host,omitempty"`
	SourcePerson string     `json:"source_person,omitempty"`
	CollectedBy  string     `json:"collected_by,omitempty"`
	CollectedAt  *time.Time `json:"collected_at,omitempty"`
	Method       string     `json:"method,omitempty"`
	MediaType    string     `json:"media_type,omitempty"`
}

// ExternalEvidence registers an item held outside Warroom.
type ExternalEvidence struct {
	EvidenceMeta
	Location string `json:"location"`
	Size     int64  `json:"size,omitempty"`
	MD5      string `json:"md5,omitempty"`
	SHA1     string `json:"sha1,omitempty"`
	SHA256   string `json:"sha256,omitempty"`
}

// CustodyInput records a custody event: action transfer (to, reason,
// from), access (reason), export (to, reason), return (to) or destroy
// (method, witness).
type CustodyInput struct {
	Action  string     `json:"action"`
	From    string     `json:"from,omitempty"`
	To      string     `json:"to,omitempty"`
	Reason  string     `json:"reason,omitempty"`
	Method  string     `json:"method,omitempty"`
	Witness string     `json:"witness,omitempty"`
	At      *time.Time `json:"at,omitempty"`
}

// CustodyEvent is one event of an item's chain of custody.
type CustodyEvent struct {
	Seq        int64     `json:"seq"`
	EntryID    string    `json:"entry_id"`
	Action     string    `json:"action"`
	At         time.Time `json:"at"`
	RecordedAt time.Time `json:"recorded_at"`
	ActorID    string    `json:"actor_id"`
	ActorName  string    `json:"actor_name"`
	Text       string    `json:"text"`
	From       string    `json:"from,omitempty"`
	To         string    `json:"to,omitempty"`
	Reason     string    `json:"reason,omitempty"`
	Method     string    `json:"method,omitempty"`
	Witness    string    `json:"witness,omitempty"`
	Via        string    `json:"via,omitempty"`
	SHA256     string    `json:"sha256,omitempty"`
	Hash       string    `json:"hash"`
}

func evidencePath(ref string) string { return "/api/v1/incidents/" + esc(ref) + "/evidence" }

// UploadEvidence streams r to the server as a multipart upload: it is
// never held whole in memory, on either side. fileName names the item
// unless m.Name does.
func (c *Client) UploadEvidence(ctx context.Context, ref string, m EvidenceMeta, fileName string, r io.Reader) (Evidence, error) {
	pr, pw := io.Pipe()
	mw := multipart.NewWriter(pw)
	go func() {
		pw.CloseWithError(writeUpload(mw, m, fileName, r))
	}()
	resp, err := c.stream(ctx, http.MethodPost, evidencePath(ref), mw.FormDataContentType(), pr)
	pr.CloseWithError(io.ErrClosedPipe) // stops the writer if the server answered early
	if err != nil {
		return Evidence{}, err
	}
	defer resp.Body.Close()
	var out Evidence
	return out, c.decode(resp.Body, &out)
}

func writeUpload(mw *multipart.Writer, m EvidenceMeta, fileName string, r io.Reader) error {
	fields := [][2]string{{"name", m.Name}, {"description", m.Description}, {"source_host", m.SourceHost},
		{"source_person", m.SourcePerson}, {"collected_by", m.CollectedBy}, {"method", m.Method}, {"media_type", m.MediaType}}
	if m.CollectedAt != nil {
		fields = append(fields, [2]string{"collected_at", m.CollectedAt.UTC().Format(time.RFC3339Nano)})
	}
	for _, f := range fields {
		if f[1] == "" {
			continue
		}
		if err := mw.WriteField(f[0], f[1]); err != nil {
			return err
		}
	}
	h := textproto.MIMEHeader{}
	h.Set("Content-Disposition", fmt.Sprintf(`form-data; name="file"; filename="%s"`, strings.NewReplacer(`"`, "_", "\\", "_", "\r", "_", "\n", "_").Replace(fileName)))
	h.Set("Content-Type", "application/octet-stream")
	part, err := mw.CreatePart(h)
	if err != nil {
		return err
	}
	if _, err := io.Copy(part, r); err != nil {
		return fmt.Errorf("read the file: %w", err)
	}
	return mw.Close()
}

// RegisterEvidence adds an item held elsewhere.
func (c *Client) RegisterEvidence(ctx context.Context, ref string, in ExternalEvidence) (Evidence, error) {
	var out Evidence
	_, err := c.Do(ctx, http.MethodPost, evidencePath(ref)+"/external", nil, in, &out)
	return out, err
}

// ListEvidence returns an incident's items by number.
func (c *Client) ListEvidence(ctx context.Context, ref string) ([]Evidence, error) {
	var out Page[Evidence]
	return out.Items, c.get(ctx, evidencePath(ref), &out)
}

// GetEvidence returns one item (id: EV-3 or 3).
func (c *Client) GetEvidence(ctx context.Context, ref, id string) (Evidence, error) {
	var out Evidence
	return out, c.get(ctx, evidencePath(ref)+"/"+esc(id), &out)
}

// Custody records a custody event.
func (c *Client) Custody(ctx context.Context, ref, id string, in CustodyInput) (CustodyEvent, error) {
	var out CustodyEvent
	_, err := c.Do(ctx, http.MethodPost, evidencePath(ref)+"/"+esc(id)+"/custody", nil, in, &out)
	return out, err
}

// CustodyHistory returns an item's chain of custody, oldest first.
func (c *Client) CustodyHistory(ctx context.Context, ref, id string) ([]CustodyEvent, error) {
	var out Page[CustodyEvent]
	return out.Items, c.get(ctx, evidencePath(ref)+"/"+esc(id)+"/custody", &out)
}

// Download is what DownloadEvidence received.
type Download struct {
	Size     int64
	Expected string // the SHA-256 the server recorded
	SHA256   string // the SHA-256 of what arrived
}

// DigestMismatchError says a download does not hash to the recorded SHA-256.
type DigestMismatchError struct{ Download }

func (e *DigestMismatchError) Error() string {
	return fmt.Sprintf("the download (%d bytes) hashes to SHA-256 %s but the record says %s: the stored copy changed or the transfer was damaged",
		e.Size, e.SHA256, e.Expected)
}

// DownloadEvidence streams a stored file into w while hashing it, and
// returns a *DigestMismatchError when it does not match the recorded
// SHA-256. reason goes into the custody entry.
func (c *Client) DownloadEvidence(ctx context.Context, ref, id, reason string, w io.Writer) (Download, error) {
	resp, err := c.stream(ctx, http.MethodGet, evidencePath(ref)+"/"+esc(id)+"/download"+values("reason", reason), "", nil)
	if err != nil {
		return Download{}, err
	}
	defer resp.Body.Close()
	h := sha256.New()
	n, err := io.Copy(io.MultiWriter(w, h), resp.Body)
	d := Download{Size: n, Expected: resp.Header.Get("X-Warroom-Sha256"), SHA256: hex.EncodeToString(h.Sum(nil))}
	if err != nil {
		return d, fmt.Errorf("download %s %s: %w", ref, id, err)
	}
	if d.SHA256 != d.Expected {
		return d, &DigestMismatchError{d}
	}
	return d, nil
}

// stream sends a request whose body (or answer) may be far larger than
// fits in memory or in the client's overall timeout: it has no timeout
// but ctx. A problem answer becomes an *Error.
func (c *Client) stream(ctx context.Context, method, path, contentType string, body io.Reader) (*http.Response, error) {
	req, err := http.NewRequestWithContext(ctx, method, c.BaseURL+path, body)
	if err != nil {
		return nil, err
	}
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	if c.Token != "" {
		req.Header.Set("Authorization", "Bearer "+c.Token)
	}
	hc := http.Client{}
	if c.HTTP != nil {
		hc = *c.HTTP
		hc.Timeout = 0
	}
	resp, err := hc.Do(req)
	if err != nil {
		return nil, fmt.Errorf("%s %s: %w", method, path, err)
	}
	if resp.StatusCode >= 400 {
		defer resp.Body.Close()
		e := &Error{Status: resp.StatusCode}
		b, _ := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
		if json.Unmarshal(b, e) != nil || e.Detail == "" {
			e.Detail = fmt.Sprintf("%s %s: HTTP %d: %s", method, path, resp.StatusCode, strings.TrimSpace(string(b)))
		}
		return nil, e
	}
	return resp, nil
}

func (c *Client) decode(r io.Reader, out any) error {
	dec := json.NewDecoder(r)
	if c.Strict {
		dec.DisallowUnknownFields()
	}
	return dec.Decode(out)
}
