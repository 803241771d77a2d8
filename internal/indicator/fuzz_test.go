package indicator

import (
	"strings"
	"testing"
)

// FuzzNormalize checks that Normalize never panics, that what it accepts
// is trimmed and normalises to itself, and that Detect copes with
// anything. Seeds are in testdata/fuzz/FuzzNormalize.
func FuzzNormalize(f *testing.F) {
	f.Add(uint8(0), "010.1.2.3")
	f.Add(uint8(5), "HXXP://Bücher.example:80")
	f.Fuzz(func(t *testing.T, ti uint8, value string) {
		typ := Types[int(ti)%len(Types)]
		n, err := Normalize(typ, value)
		Detect(value)
		if err != nil {
			if err.Error() == "" {
				t.Fatalf("Normalize(%s, %q): empty error", typ, value)
			}
			return
		}
		if n == "" || n != strings.TrimSpace(n) {
			t.Fatalf("Normalize(%s, %q) = %q: empty or untrimmed", typ, value, n)
		}
		again, err := Normalize(typ, n)
		if err != nil || again != n {
			t.Fatalf("not idempotent: Normalize(%s, %q) = %q, then %q, %v", typ, value, n, again, err)
		}
	})
}

// FuzzExtract checks that Extract never panics and that every candidate
// is consistent with the text (checkCandidates). Seeds are in
// testdata/fuzz/FuzzExtract.
func FuzzExtract(f *testing.F) {
	f.Add("C2 hxxp://evil[.]example:80/a and 10.0.0.1, version 1.2.3.4")
	f.Fuzz(func(t *testing.T, text string) {
		if len(text) > 1<<16 {
			return
		}
		checkCandidates(t, text, Extract(text))
	})
}
