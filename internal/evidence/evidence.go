package evidence

import (
	"encoding/hex"
	"fmt"
	"strconv"
	"strings"
	"time"
	"unicode"

	"github.com/warroom/warroom/internal/errs"
)

// Kind says where an item's content is.
type Kind string

// The kinds of evidence.
const (
	// File content is stored in Warroom's blob store.
	File Kind = "file"
	// External items are held elsewhere: a disk image at a location, a
	// seized laptop in a safe.
	External Kind = "external"
)

// Status is where an item stands in its chain of custody.
type Status string

// The statuses. Only held items can be transferred or returned; a
// destroyed item accepts nothing more (see allowed in custody.go).
const (
	Held      Status = "held"
	Returned  Status = "returned"
	Destroyed Status = "destroyed"
)

// Evidence is one item in the locker.
type Evidence struct {
	ID           string    `json:"id"`
	IncidentRef  string    `json:"incident_ref"`
	Number       int64     `json:"number"`
	Label        string    `json:"label"` // EV-1, EV-2 … within the incident
	Kind         Kind      `json:"kind"`
	Name         string    `json:"name"`
	Description  string    `json:"description"`
	SourceHost   string    `json:"source_host"`
	SourcePerson string    `json:"source_person"`
	CollectedBy  string    `json:"collected_by"`
	CollectedAt  time.Time `json:"collected_at"`
	Method       string    `json:"method"`
	Location     string    `json:"location"`   // where an external item is held
	MediaType    string    `json:"media_type"` // as the uploader declared it
	Size         int64     `json:"size"`       // bytes; 0 when unknown (external)
	MD5          string    `json:"md5"`
	SHA1         string    `json:"sha1"`
	SHA256       string    `json:"sha256"`
	// Stored is true while Warroom holds the content and it can be downloaded.
	Stored    bool      `json:"stored"`
	Custodian string    `json:"custodian"` // who (or where) holds the item now
	Status    Status    `json:"status"`
	CreatedBy string    `json:"created_by"`
	CreatedAt time.Time `json:"created_at"`
	UpdatedAt time.Time `json:"updated_at"`
	Version   int64     `json:"version"`

	blob string
}

// Label formats an item number as people write it.
func Label(n int64) string { return "EV-" + strconv.FormatInt(n, 10) }

// ParseLabel accepts EV-3, ev-3 or 3.
func ParseLabel(s string) (int64, bool) {
	s = strings.TrimSpace(s)
	if len(s) > 3 && strings.EqualFold(s[:3], "EV-") {
		s = s[3:]
	}
	n, err := strconv.ParseInt(s, 10, 64)
	return n, err == nil && n > 0
}

// Meta describes how an item was collected; uploads and registrations share it.
type Meta struct {
	Name         string     `json:"name"` // default for uploads: the file name
	Description  string     `json:"description"`
	SourceHost   string     `json:"source_host"`
	SourcePerson string     `json:"source_person"`
	CollectedBy  string     `json:"collected_by"` // default: the person recording it
	CollectedAt  *time.Time `json:"collected_at"` // default: now
	Method       string     `json:"method"`       // like "FTK Imager E01, write blocker"
	MediaType    string     `json:"media_type"`
}

// ExternalInput registers an item held outside Warroom. Hashes are
// optional (a seized laptop has none) but must be well-formed hex when given.
type ExternalInput struct {
	Meta
	Location string `json:"location"`
	Size     int64  `json:"size"`
	MD5      string `json:"md5"`
	SHA1     string `json:"sha1"`
	SHA256   string `json:"sha256"`
}

func (m *Meta) check(v *errs.Validation, now time.Time) {
	trim := func(p *string, field string, max int) {
		*p = strings.TrimSpace(*p)
		if len(*p) > max {
			v.Add(field, "must be at most %d bytes", max)
		}
	}
	trim(&m.Name, "name", 500)
	trim(&m.SourceHost, "source_host", 500)
	trim(&m.SourcePerson, "source_person", 500)
	trim(&m.CollectedBy, "collected_by", 500)
	trim(&m.Method, "method", 2000)
	trim(&m.MediaType, "media_type", 200)
	if len(m.Description) > 20000 {
		v.Add("description", "must be at most 20000 bytes")
	}
	if m.CollectedAt != nil && m.CollectedAt.After(now.Add(5*time.Minute)) {
		v.Add("collected_at", "%s is in the future", m.CollectedAt.UTC().Format(time.RFC3339))
	}
	if strings.IndexFunc(m.Name, unicode.IsControl) >= 0 {
		v.Add("name", "must be one line without control characters")
	}
}

func (in *ExternalInput) check(v *errs.Validation, now time.Time) {
	in.Meta.check(v, now)
	if in.Name == "" {
		v.Add("name", "name the item, like \"HR laptop (Dell, s/n 4F7…)\"")
	}
	in.Location = strings.TrimSpace(in.Location)
	if in.Location == "" || len(in.Location) > 2000 {
		v.Add("location", "say where the item is held (1 to 2000 bytes), like \"evidence safe B, London office\"")
	}
	if in.Size < 0 {
		v.Add("size", "must not be negative (0 when unknown)")
	}
	in.MD5 = checkHex(v, "md5", in.MD5, 32)
	in.SHA1 = checkHex(v, "sha1", in.SHA1, 40)
	in.SHA256 = checkHex(v, "sha256", in.SHA256, 64)
}

// checkHex lower-cases a hash and checks it is n hex digits; "" stays "".
func checkHex(v *errs.Validation, field, s string, n int) string {
	s = strings.ToLower(strings.TrimSpace(s))
	if s == "" {
		return ""
	}
	if _, err := hex.DecodeString(s); err != nil || len(s) != n {
		v.Add(field, "%q is not a %s: %d hexadecimal digits", s, strings.ToUpper(field), n)
	}
	return s
}

// payload is what every custody entry carries: which item, its hashes as
// recorded, and the event's details. History decodes it back.
type payload struct {
	EvidenceID string `json:"evidence_id"`
	Evidence   string `json:"evidence"`
	Name       string `json:"name"`
	Kind       Kind   `json:"kind"`
	Size       int64  `json:"size"`
	MD5        string `json:"md5"`
	SHA1       string `json:"sha1"`
	SHA256     string `json:"sha256"`
	Action     string `json:"action"`
	From       string `json:"from,omitempty"`
	To         string `json:"to,omitempty"`
	Reason     string `json:"reason,omitempty"`
	Method     string `json:"method,omitempty"`
	Witness    string `json:"witness,omitempty"`
	Location   string `json:"location,omitempty"`
	Via        string `json:"via,omitempty"` // "download" for accesses through Open
	// Where a collected item came from.
	SourceHost   string `json:"source_host,omitempty"`
	SourcePerson string `json:"source_person,omitempty"`
}

func newPayload(e Evidence, action string) payload {
	return payload{EvidenceID: e.ID, Evidence: e.Label, Name: e.Name, Kind: e.Kind, Size: e.Size,
		MD5: e.MD5, SHA1: e.SHA1, SHA256: e.SHA256, Action: action}
}

func describe(e Evidence) string {
	s := fmt.Sprintf("%s %q", e.Label, e.Name)
	if e.SHA256 != "" {
		s += " (SHA-256 " + e.SHA256[:16] + "…)"
	}
	return s
}
