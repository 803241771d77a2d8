package indicator

import (
	"slices"
	"strings"
)

// Candidate is a value found in text, for a person to review before it is
// added to an incident.
type Candidate struct {
	Type Type `json:"type"`
	// Value is normalised, as Normalize returns it.
	Value string `json:"value"`
	// Raw is the text as found, before refanging.
	Raw  string `json:"raw"`
	Line int    `json:"line"`
	// Note says why a candidate is doubtful (a private address, an
	// extension that is also a TLD, what looks like a version number).
	Note string `json:"note"`
	// Suggest is false for likely false positives: they are listed for
	// review, not proposed for adding.
	Suggest bool `json:"suggest"`
}

// MaxCandidates bounds what Extract returns for one text.
const MaxCandidates = 5000

// Extract finds the indicators in text: URLs, email addresses, Windows
// registry keys and paths, networks (CIDR), IPv4 and IPv6 addresses, JA4
// fingerprints, MD5/SHA-1/SHA-256/SHA-512 hashes (by length), CVE IDs and
// domains on a known TLD. Each line is refanged first (Refang). A value
// found once is not found again inside a longer one (the host of a URL is
// not also a domain), and each type and value is listed once, at its
// first line. Private and reserved addresses, reserved domains, names
// whose "TLD" is also a file extension, and addresses that follow
// "version" come back with Suggest false and a Note; words that are file
// names (report.pdf) and dotted numbers that cannot be addresses are not
// returned at all. Candidates are in the order they appear.
func Extract(text string) []Candidate {
	text = strings.ToValidUTF8(text, "\uFFFD")
	out := []Candidate{}
	seen := map[string]bool{}
	for n, line := range strings.Split(text, "\n") {
		for _, c := range extractLine(strings.TrimSuffix(line, "\r")) {
			k := string(c.Type) + "\x00" + c.Value
			if seen[k] {
				continue
			}
			seen[k] = true
			c.Line = n + 1
			out = append(out, c)
			if len(out) == MaxCandidates {
				return out
			}
		}
	}
	return out
}

// lineScan is the state of extracting from one line: the refanged text,
// where each of its bytes came from, and what has been found so far.
type lineScan struct {
	orig, text string
	from       []span
	taken      []bool // per byte of text: part of a value found already
	found      []found
}

type found struct {
	at int
	c  Candidate
}

func extractLine(line string) []Candidate {
	if strings.TrimSpace(line) == "" {
		return nil
	}
	text, from := refangMap(line)
	ls := &lineScan{orig: line, text: text, from: from, taken: make([]bool, len(text))}
	for _, m := range matchers {
		m(ls)
	}
	slices.SortStableFunc(ls.found, func(a, b found) int { return a.at - b.at })
	out := make([]Candidate, len(ls.found))
	for i, f := range ls.found {
		out[i] = f.c
	}
	return out
}

// free reports whether [s, e) of the refanged line overlaps nothing found.
func (ls *lineScan) free(s, e int) bool {
	for _, t := range ls.taken[s:e] {
		if t {
			return false
		}
	}
	return true
}

// add records a candidate at [s, e) of the refanged line and marks the
// span taken; note "" means it is suggested.
func (ls *lineScan) add(t Type, s, e int, value, note string) {
	ls.addFlag(t, s, e, value, note, note == "")
}

func (ls *lineScan) addFlag(t Type, s, e int, value, note string, suggest bool) {
	// A value that would split a refanged replacement ("::" out of
	// ":(://)") is not what the writer wrote.
	if !ls.free(s, e) || s > 0 && ls.from[s-1] == ls.from[s] || e < len(ls.from) && ls.from[e] == ls.from[e-1] {
		return
	}
	for k := s; k < e; k++ {
		ls.taken[k] = true
	}
	raw := ls.orig[ls.from[s].start:ls.from[e-1].end]
	ls.found = append(ls.found, found{s, Candidate{Type: t, Value: value, Raw: raw, Note: note, Suggest: suggest}})
}

// trimEnd drops punctuation that ends a sentence or closes a bracket the
// value did not open: "(see http://x.example/a)." ends the URL at "a".
func trimEnd(s string) string {
	for s != "" {
		last := s[len(s)-1]
		switch {
		case strings.IndexByte(".,;:!?'\"", last) >= 0:
		case last == ')' && strings.Count(s, "(") < strings.Count(s, ")"):
		case last == ']' && strings.Count(s, "[") < strings.Count(s, "]"):
		case last == '}' && strings.Count(s, "{") < strings.Count(s, "}"):
		case last == '>':
		default:
			return s
		}
		s = s[:len(s)-1]
	}
	return s
}

// lastWordBefore returns the lower-cased word just before position i,
// skipping spaces and the punctuation of "version: 1.2.3.4".
func lastWordBefore(s string, i int) string {
	j := len(strings.TrimRight(s[:i], " \t:=#"))
	k := j
	for k > 0 && (s[k-1] >= 'a' && s[k-1] <= 'z' || s[k-1] >= 'A' && s[k-1] <= 'Z' || s[k-1] == '.') {
		k--
	}
	return strings.ToLower(strings.TrimRight(s[k:j], "."))
}
