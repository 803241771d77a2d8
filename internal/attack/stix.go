package attack

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/warroom/warroom/internal/errs"
)

// Limits on an imported bundle. The Enterprise bundle is about 40 MB and
// 20–25 thousand objects; the limits leave room for growth while keeping a
// wrong or hostile file from exhausting memory. Objects are decoded one at
// a time, and only the fields below are kept.
const (
	MaxBundleBytes   = 256 << 20
	MaxBundleObjects = 500_000
)

// stixObject is the part of a STIX 2.0/2.1 object the import reads.
// Descriptions, detections and the rest are skipped by the decoder.
type stixObject struct {
	Type       string    `json:"type"`
	ID         string    `json:"id"`
	Name       string    `json:"name"`
	Modified   time.Time `json:"modified"`
	Revoked    bool      `json:"revoked"`
	Deprecated bool      `json:"x_mitre_deprecated"`
	IsSub      bool      `json:"x_mitre_is_subtechnique"`
	Domains    []string  `json:"x_mitre_domains"`
	ShortName  string    `json:"x_mitre_shortname"`
	Version    string    `json:"x_mitre_version"`
	ExtRefs    []struct {
		SourceName string `json:"source_name"`
		ExternalID string `json:"external_id"`
		URL        string `json:"url"`
	} `json:"external_references"`
	Phases []struct {
		KillChain string `json:"kill_chain_name"`
		Phase     string `json:"phase_name"`
	} `json:"kill_chain_phases"`
	RelType   string `json:"relationship_type"`
	SourceRef string `json:"source_ref"`
	TargetRef string `json:"target_ref"`
}

// bundle is what parseBundle found.
type bundle struct {
	techniques map[string]Technique // by ATT&CK ID
	version    string               // x_mitre_version of the x-mitre-collection, if any
	objects    int
	skipped    int      // attack-patterns of other domains or without an ATT&CK ID
	unknown    []string // tactic short names that are not built in
}

// countingReader fails once more than max bytes are offered. The error
// comes with no data: json.Decoder drops an error that arrives together
// with bytes that complete a value, so a limit reported that way would be
// ignored.
type countingReader struct {
	r    io.Reader
	n    int64
	max  int64
	over bool // sticky: a caller that retries must not see EOF instead
}

var errTooLarge = errors.New("bundle too large")

func (c *countingReader) Read(p []byte) (int, error) {
	if c.over {
		return 0, errTooLarge
	}
	if c.n >= c.max {
		var one [1]byte
		if n, err := io.ReadFull(c.r, one[:]); n == 0 && err != nil {
			return 0, err // the input ended exactly at the limit
		}
		c.over = true
		return 0, errTooLarge
	}
	if rest := c.max - c.n; int64(len(p)) > rest {
		p = p[:rest]
	}
	n, err := c.r.Read(p)
	c.n += int64(n)
	return n, err
}

// parseBundle streams a STIX bundle ({"type": "bundle", "objects": […]})
// and keeps the Enterprise techniques, tactic short names and revoked-by
// relationships in it. More than maxBytes is an error.
func parseBundle(r io.Reader, maxBytes int64) (bundle, error) {
	cr := &countingReader{r: r, max: maxBytes}
	dec := json.NewDecoder(cr)
	b := bundle{techniques: map[string]Technique{}}
	fail := func(err error) (bundle, error) {
		if errors.Is(err, errTooLarge) {
			return bundle{}, errs.E(errs.TooLarge, "the bundle is larger than the limit of %d bytes", maxBytes)
		}
		return bundle{}, errs.Invalidf("not a STIX bundle (at byte %d): %s", dec.InputOffset(), err)
	}
	if tok, err := dec.Token(); err != nil {
		return fail(err)
	} else if tok != json.Delim('{') {
		return fail(fmt.Errorf("expected a JSON object"))
	}
	stixIDs := map[string]string{} // STIX id -> ATT&CK id, for revoked-by
	var revokedBy [][2]string      // source STIX id, target STIX id
	seenObjects, typ := false, ""
	phases := map[string]bool{}
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return fail(err)
		}
		switch key, _ := tok.(string); key {
		case "type":
			if err := dec.Decode(&typ); err != nil {
				return fail(err)
			}
		case "objects":
			seenObjects = true
			if tok, err := dec.Token(); err != nil {
				return fail(err)
			} else if tok != json.Delim('[') {
				return fail(fmt.Errorf("objects must be an array"))
			}
			for dec.More() {
				if b.objects++; b.objects > MaxBundleObjects {
					return bundle{}, errs.E(errs.TooLarge, "the bundle has more than %d objects", MaxBundleObjects)
				}
				var o stixObject
				if err := dec.Decode(&o); err != nil {
					return fail(err)
				}
				switch o.Type {
				case "attack-pattern":
					t, ok := techniqueOf(o)
					if !ok {
						b.skipped++
						continue
					}
					stixIDs[o.ID] = t.ID
					for _, p := range t.Tactics {
						phases[p] = true
					}
					if old, dup := b.techniques[t.ID]; !dup || preferred(t, old) {
						b.techniques[t.ID] = t
					}
				case "x-mitre-collection":
					b.version = o.Version
				case "relationship":
					if o.RelType == "revoked-by" {
						revokedBy = append(revokedBy, [2]string{o.SourceRef, o.TargetRef})
					}
				}
			}
			if _, err := dec.Token(); err != nil { // the closing ]
				return fail(err)
			}
		default:
			var skip json.RawMessage
			if err := dec.Decode(&skip); err != nil {
				return fail(err)
			}
		}
	}
	if _, err := dec.Token(); err != nil { // the closing }
		return fail(err)
	}
	if typ != "bundle" || !seenObjects {
		return bundle{}, errs.Invalidf(`not a STIX bundle: expected {"type": "bundle", "objects": […]}`)
	}
	if len(b.techniques) == 0 {
		return bundle{}, errs.Invalidf("the bundle has no Enterprise ATT&CK techniques (attack-pattern objects with a mitre-attack external ID); is it enterprise-attack.json?")
	}
	for _, rel := range revokedBy {
		from, to := stixIDs[rel[0]], stixIDs[rel[1]]
		if t, ok := b.techniques[from]; ok && to != "" && t.Revoked {
			t.RevokedBy = to
			b.techniques[from] = t
		}
	}
	for p := range phases {
		if !slices.ContainsFunc(tactics, func(t Tactic) bool { return t.ShortName == p }) {
			b.unknown = append(b.unknown, p)
		}
	}
	sort.Strings(b.unknown)
	return b, nil
}

// techniqueOf reads an Enterprise technique from an attack-pattern; ok is
// false for other domains (mobile, ICS) and objects without an ATT&CK ID.
func techniqueOf(o stixObject) (Technique, bool) {
	if len(o.Domains) > 0 && !slices.Contains(o.Domains, "enterprise-attack") {
		return Technique{}, false
	}
	t := Technique{STIXID: o.ID, Name: strings.TrimSpace(o.Name), Revoked: o.Revoked, Deprecated: o.Deprecated,
		IsSubtechnique: o.IsSub, Modified: o.Modified.UTC(), Tactics: []string{}}
	for _, ref := range o.ExtRefs {
		if ref.SourceName == "mitre-attack" {
			t.ID, t.URL = strings.ToUpper(strings.TrimSpace(ref.ExternalID)), ref.URL
			break
		}
	}
	if _, ok := NormalizeTechnique(t.ID); !ok || t.Name == "" || len(t.Name) > 300 {
		return Technique{}, false
	}
	for _, p := range o.Phases {
		if p.KillChain == "mitre-attack" && !slices.Contains(t.Tactics, p.Phase) && len(t.Tactics) < len(tactics)+4 {
			t.Tactics = append(t.Tactics, p.Phase)
		}
	}
	sortTactics(t.Tactics)
	t.ParentID = parentOf(t.ID)
	t.IsSubtechnique = t.IsSubtechnique || t.ParentID != ""
	return t, true
}

// preferred says whether t should win over old when a bundle has two
// objects with one ATT&CK ID: a live object beats a revoked or deprecated
// one, then the newer wins.
func preferred(t, old Technique) bool {
	live, oldLive := !t.Revoked && !t.Deprecated, !old.Revoked && !old.Deprecated
	if live != oldLive {
		return live
	}
	return t.Modified.After(old.Modified)
}

// sortTactics orders short names by kill chain; unknown ones go last.
func sortTactics(ps []string) {
	pos := func(p string) int {
		if _, k, ok := LookupTactic(p); ok {
			return k
		}
		return len(tactics)
	}
	sort.SliceStable(ps, func(i, j int) bool { return pos(ps[i]) < pos(ps[j]) })
}
