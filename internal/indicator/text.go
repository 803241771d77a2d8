package indicator

import (
	"fmt"
	"regexp"
	"unicode/utf8"
)

// MaxValue bounds an indicator's value, in bytes.
const MaxValue = 4096

// StixTimestampRE is the STIX 2.1 timestamp form (section 3.2): UTC, "Z",
// optional fraction.
var StixTimestampRE = regexp.MustCompile(`^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(\.[0-9]+)?Z$`)

// Clip shortens s to at most n bytes for a message, on a rune boundary,
// marking the cut with an ellipsis.
func Clip(s string, n int) string {
	if len(s) <= n {
		return s
	}
	cut := n - len("…")
	for cut > 0 && !utf8.RuneStart(s[cut]) {
		cut--
	}
	return s[:cut] + "…"
}

// normPattern normalises a stix_pattern value: it must parse, and is
// stored in canonical form so the same pattern written two ways is one
// indicator.
func normPattern(s string) (string, error) {
	p, err := ParsePattern(s)
	if err != nil {
		return "", fmt.Errorf("%q is not a STIX 2.1 pattern like [file:name MATCHES '^invoice.*exe$']: %s", Clip(s, 200), err.Error())
	}
	c := p.String()
	if len(c) > MaxValue {
		return "", fmt.Errorf("the pattern is %d bytes long written canonically; the limit is %d", len(c), MaxValue)
	}
	return c, nil
}
