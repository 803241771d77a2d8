package indicator

import "testing"

// FuzzPattern checks that the STIX pattern parser never panics, that the
// canonical form of what it accepts parses to itself, and that splitting
// a pattern into alternatives gives literals or patterns that parse.
// Seeds are in testdata/fuzz/FuzzPattern.
func FuzzPattern(f *testing.F) {
	f.Add("[ipv4-addr:value = '198.51.100.7' OR domain-name:value = 'a.example']")
	f.Add("([a:b = 'x'] AND [c:d MATCHES 'y\\\\.z']) WITHIN 5 SECONDS")
	f.Fuzz(func(t *testing.T, s string) {
		if len(s) > 1<<14 {
			return
		}
		p, err := ParsePattern(s)
		if err != nil {
			if err.Error() == "" {
				t.Fatal("empty error")
			}
			return
		}
		c := p.String()
		again, err := ParsePattern(c)
		if err != nil || again.String() != c {
			t.Fatalf("canonical %q of %q does not parse to itself: %v", c, s, err)
		}
		for _, br := range p.Branches() {
			if !br.Literal {
				if _, err := ParsePattern(br.Pattern); err != nil {
					t.Fatalf("alternative %q of %q does not parse: %v", br.Pattern, s, err)
				}
				continue
			}
			lit := br.LiteralPattern()
			if _, err := ParsePattern(lit); err != nil {
				t.Fatalf("literal %q of %q does not parse: %v", lit, s, err)
			}
			_, _, _ = br.Indicator()
		}
	})
}
