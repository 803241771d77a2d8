package attack

import (
	"os"
	"strings"
	"testing"

	"github.com/warroom/warroom/internal/errs"
)

func TestParseBundle(t *testing.T) {
	f, err := os.Open("testdata/enterprise-attack-v15.json")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	b, err := parseBundle(f, MaxBundleBytes)
	if err != nil {
		t.Fatal(err)
	}
	if b.version != "15.1" || len(b.techniques) != 10 || b.skipped != 1 {
		t.Fatalf("version %q, %d techniques, %d skipped; want 15.1, 10, 1 (the mobile one)", b.version, len(b.techniques), b.skipped)
	}
	va := b.techniques["T1078"]
	if strings.Join(va.Tactics, ",") != "initial-access,persistence,privilege-escalation,defense-evasion" {
		t.Errorf("T1078 tactics not in kill-chain order: %v", va.Tactics)
	}
	ps := b.techniques["T1059.001"]
	if !ps.IsSubtechnique || ps.ParentID != "T1059" || ps.Name != "PowerShell" || ps.URL != "https://attack.mitre.org/techniques/T1059/001" {
		t.Errorf("T1059.001: %+v", ps)
	}
	if old := b.techniques["T1086"]; !old.Revoked || old.RevokedBy != "T1059.001" {
		t.Errorf("T1086 should be revoked by T1059.001: %+v", old)
	}
	if d := b.techniques["T1064"]; !d.Deprecated || d.Revoked {
		t.Errorf("T1064 should be deprecated: %+v", d)
	}
	if _, ok := b.techniques["T1404"]; ok {
		t.Error("the mobile technique was imported")
	}
	if len(b.unknown) != 0 {
		t.Errorf("unknown tactics: %v", b.unknown)
	}
}

func TestParseBundleRejects(t *testing.T) {
	for _, tc := range []struct {
		name, body string
		code       errs.Code
		msg        string
	}{
		{"ErrNotJSON", `hello`, errs.Invalid, "not a STIX bundle"},
		{"ErrArray", `[]`, errs.Invalid, "expected a JSON object"},
		{"ErrNotBundle", `{"type": "report", "objects": []}`, errs.Invalid, "not a STIX bundle"},
		{"ErrNoObjects", `{"type": "bundle"}`, errs.Invalid, "not a STIX bundle"},
		{"ErrObjectsNotArray", `{"type": "bundle", "objects": {}}`, errs.Invalid, "objects must be an array"},
		{"ErrTruncated", `{"type": "bundle", "objects": [{"type": "attack-pattern"`, errs.Invalid, "not a STIX bundle"},
		{"ErrNoTechniques", `{"type": "bundle", "objects": [{"type": "identity", "id": "identity--1"}]}`, errs.Invalid, "no Enterprise ATT&CK techniques"},
		{"ErrOnlyMobile", `{"type": "bundle", "objects": [{"type": "attack-pattern", "name": "X", "x_mitre_domains": ["mobile-attack"],
			"external_references": [{"source_name": "mitre-attack", "external_id": "T1404"}]}]}`, errs.Invalid, "no Enterprise ATT&CK techniques"},
		{"ErrBadID", `{"type": "bundle", "objects": [{"type": "attack-pattern", "name": "X",
			"external_references": [{"source_name": "mitre-attack", "external_id": "TX1"}]}]}`, errs.Invalid, "no Enterprise ATT&CK techniques"},
		{"ErrTrailingGarbage", `{"type": "bundle", "objects": []`, errs.Invalid, "not a STIX bundle"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := parseBundle(strings.NewReader(tc.body), MaxBundleBytes)
			if errs.CodeOf(err) != tc.code || !strings.Contains(err.Error(), tc.msg) {
				t.Fatalf("got %v, want %s containing %q", err, tc.code, tc.msg)
			}
		})
	}
}

// TestParseBundleTooLarge feeds more than the byte limit without holding
// it in memory: the reader produces an endless objects array.
func TestParseBundleTooLarge(t *testing.T) {
	_, err := parseBundle(&endless{head: `{"type": "bundle", "objects": [`, item: `{"type": "note", "id": "note--1", "content": "` + strings.Repeat("x", 4000) + `"},`}, 1<<20)
	if errs.CodeOf(err) != errs.TooLarge || !strings.Contains(err.Error(), "limit of 1048576 bytes") {
		t.Fatalf("got %v, want too large", err)
	}
}

type endless struct {
	head, item string
	buf        []byte
}

func (e *endless) Read(p []byte) (int, error) {
	if len(e.buf) == 0 {
		e.buf = []byte(e.item)
		if e.head != "" {
			e.buf, e.head = []byte(e.head), ""
		}
	}
	n := copy(p, e.buf)
	e.buf = e.buf[n:]
	return n, nil
}

func TestCountingReader(t *testing.T) {
	body := `{"type": "bundle", "objects": []}`
	for _, tc := range []struct {
		max     int64
		tooLong bool
	}{{int64(len(body)), false}, {int64(len(body)) - 1, true}, {1, true}} {
		_, err := parseBundle(strings.NewReader(body), tc.max)
		if got := errs.CodeOf(err) == errs.TooLarge; got != tc.tooLong {
			t.Errorf("limit %d: %v", tc.max, err)
		}
	}
}
