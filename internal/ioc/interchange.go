package ioc

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/warroom/warroom/internal/errs"
	"github.com/warroom/warroom/internal/indicator"
)

// Format is an interchange format for indicators (docs/indicators.md).
type Format string

// The interchange formats.
const (
	FormatSTIX Format = "stix" // STIX 2.1 bundle (import and export)
	FormatMISP Format = "misp" // MISP event JSON (import and export)
	FormatCSV  Format = "csv"  // CSV with a header row (import and export)
	FormatText Format = "text" // free text through the extractor (import only)
	FormatList Format = "list" // one value per line, for firewalls and EDR (export only)
)

// ImportFormats and ExportFormats list what each direction accepts.
var (
	ImportFormats = []Format{FormatSTIX, FormatMISP, FormatCSV, FormatText}
	ExportFormats = []Format{FormatSTIX, FormatCSV, FormatMISP, FormatList}
)

// Limits on one import. A bigger feed is split by the sender: one import
// is one transaction, and a transaction holding the incident's record
// for minutes would stall everyone else working on it.
const (
	MaxImportBytes = 16 << 20
	MaxImportItems = 10000
	// maxRejected bounds the rejections a report lists one by one.
	maxRejected = 1000
)

// ImportItem is one indicator a document holds, with where it came from
// in the document (an object ID, a line, an attribute UUID) so that a
// rejection can name it.
type ImportItem struct {
	Item  string
	Input Input
}

// Rejection is an item of a document that was not imported, and why.
type Rejection struct {
	Item   string `json:"item"`
	Reason string `json:"reason"`
}

// ImportReport says what an import did: indicators added (took), merged
// into ones the incident had (merged), and rejected with a reason.
// Ignored counts objects that carry no indicator and are only read for
// context (STIX relationships, malware, identities…), by type.
type ImportReport struct {
	Took     int            `json:"took"`
	Merged   int            `json:"merged"`
	Rejected []Rejection    `json:"rejected"`
	Ignored  map[string]int `json:"ignored"`
}

// Batch is what a parser found in a document.
type Batch struct {
	Items    []ImportItem
	Rejected []Rejection
	Ignored  map[string]int
}

func (b *Batch) reject(item, format string, args ...any) {
	b.Rejected = append(b.Rejected, Rejection{Item: item, Reason: fmt.Sprintf(format, args...)})
}

func (b *Batch) ignore(kind string) {
	if b.Ignored == nil {
		b.Ignored = map[string]int{}
	}
	b.Ignored[kind]++
}

func (b *Batch) add(item string, in Input) {
	b.Items = append(b.Items, ImportItem{Item: item, Input: in})
}

// ParseImport reads a document of the given format into a batch of
// inputs, without touching a database. A document that cannot be read at
// all is an error (invalid); items that cannot be used are rejections in
// the batch. now bounds sighting times (none may be in the future).
func ParseImport(f Format, doc []byte, now time.Time) (Batch, error) {
	if err := checkFormat("format", f, ImportFormats); err != nil {
		return Batch{}, err
	}
	if len(doc) > MaxImportBytes {
		return Batch{}, errs.E(errs.TooLarge, "the document is %d bytes; the limit is %d (%d MiB): split it", len(doc), MaxImportBytes, MaxImportBytes>>20)
	}
	if len(strings.TrimSpace(string(doc))) == 0 {
		return Batch{}, errs.Invalidf("the document is empty")
	}
	var b Batch
	var err error
	switch f {
	case FormatSTIX:
		b, err = ParseSTIX(doc, now)
	case FormatMISP:
		b, err = ParseMISP(doc, now)
	case FormatCSV:
		b, err = ParseCSV(doc, now)
	case FormatText:
		b = parseText(doc)
	}
	if err != nil {
		return b, err
	}
	if len(b.Items) > MaxImportItems {
		return b, errs.Invalidf("the document holds %d indicators; the limit is %d per import: split it", len(b.Items), MaxImportItems)
	}
	return b, nil
}

// checkFormat validates a format against the allowed ones, naming them.
func checkFormat(field string, f Format, allowed []Format) error {
	if slices.Contains(allowed, f) {
		return nil
	}
	names := make([]string, len(allowed))
	for i, a := range allowed {
		names[i] = string(a)
	}
	var v errs.Validation
	if f == "" {
		v.Add(field, "is required: use one of %s", strings.Join(names, ", "))
	} else {
		v.Add(field, "%q is not allowed; use one of %s", f, strings.Join(names, ", "))
	}
	return v.Err()
}

// parseText runs the extractor over the document: suggested candidates
// become indicators of compromise; the ones it flags (private addresses,
// version numbers, ambiguous names) are rejected with its note, since an
// import has no review step to confirm them.
func parseText(doc []byte) Batch {
	var b Batch
	for _, c := range Extract(string(doc)) {
		item := fmt.Sprintf("line %d: %s", c.Line, c.Raw)
		if !c.Suggest {
			b.reject(item, "flagged by the extractor (%s); add it by hand if it matters", c.Note)
			continue
		}
		b.add(item, Input{Type: c.Type, Value: c.Value, Source: "text import"})
	}
	return b
}

// clip shortens s to at most n bytes at a character boundary, marking
// the cut, for free text from other tools that may exceed our limits.
func clip(s string, n int) string { return indicator.Clip(s, n) }

// tagOf turns a label from another tool ("Remote Access Trojan",
// "tlp:amber", "misp-galaxy:threat-actor=\"APT 28\"") into a tag
// (lower-case letters, digits and : . _ / -, up to 64), prefixed when
// prefix is not empty; "" when nothing is left.
func tagOf(prefix, s string) string {
	var b strings.Builder
	b.WriteString(prefix)
	dash := false
	for _, r := range strings.ToLower(s) {
		switch {
		case 'a' <= r && r <= 'z' || '0' <= r && r <= '9' || strings.ContainsRune(":._/-", r):
			b.WriteRune(r)
			dash = false
		case !dash && b.Len() > len(prefix):
			b.WriteByte('-')
			dash = true
		}
	}
	t := strings.Trim(b.String(), "-")
	if len(t) > 64 {
		t = strings.TrimRight(t[:64], "-")
	}
	if t == "" || t == strings.TrimSuffix(prefix, ":") || !tagRE.MatchString(t) {
		return ""
	}
	return t
}

// addTags appends the tags not yet in tags, up to MaxTags; it returns the
// ones that did not fit, so a caller can say so in the note.
func addTags(tags []string, more ...string) ([]string, []string) {
	var dropped []string
	for _, t := range more {
		if t == "" || slices.Contains(tags, t) {
			continue
		}
		if len(tags) == MaxTags {
			dropped = append(dropped, t)
			continue
		}
		tags = append(tags, t)
	}
	return tags, dropped
}

// tlpRank orders TLP markings from least to most restrictive: when a
// document gives several, the most restrictive one wins.
var tlpRank = map[string]int{"clear": 1, "green": 2, "amber": 3, "amber_strict": 4, "red": 5}

func stricterTLP(a, b string) string {
	if tlpRank[b] > tlpRank[a] {
		return b
	}
	return a
}

// tlpFromName reads TLP names as tools write them: TLP:AMBER+STRICT,
// tlp:white, amber-strict, Red.
func tlpFromName(s string) string {
	n := strings.ToLower(strings.TrimSpace(s))
	n = strings.TrimPrefix(n, "tlp:")
	n = strings.TrimPrefix(n, "tlp-")
	n = strings.NewReplacer("+", "_", "-", "_", " ", "_").Replace(strings.TrimSpace(n))
	switch n {
	case "white", "clear":
		return "clear"
	case "green", "amber", "amber_strict", "red":
		return n
	}
	return ""
}

// pastOrNil returns t when it is not in the future (allowing the same
// clock skew as validation), else nil: other tools write validity dates
// ahead of time, which are not sightings.
func pastOrNil(t time.Time, now time.Time) *time.Time {
	if t.IsZero() || t.After(now.Add(5*time.Minute)) {
		return nil
	}
	return &t
}
