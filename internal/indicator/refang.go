package indicator

import (
	"regexp"
	"strings"
)

// defang matches the usual ways reports and mail filters make indicators
// unclickable. Each alternative is one capture group, in the order of
// refangWith. Whitespace is matched as spaces and tabs only, so a line
// never joins the next.
var defang = regexp.MustCompile(`(?i)` +
	`(\bh(?:xx|\[xx\]|\*\*|XX)p(s?)\b)` + // 1, 2: hxxp, hxxps, h[xx]p, h**p
	`|(\bfxp(s?)\b)` + // 3, 4: fxp, fxps
	`|([ \t]*[\[\(\{][ \t]*(?:\.|dot)[ \t]*[\]\)\}][ \t]*)` + // 5: [.] (.) {.} [dot] (dot), spaces around
	`|([ \t]*[\[\(\{][ \t]*(?:@|at)[ \t]*[\]\)\}][ \t]*)` + // 6: [at] (at) {at} [@]
	`|([\[\(\{]://[\]\)\}])` + // 7: [://]
	`|([\[\(\{]:[\]\)\}])` + // 8: [:]
	`|([\[\(\{]/[\]\)\}])`) // 9: [/]

// Refang undoes defanging: hxxp and hxxps become http and https, fxp ftp,
// [.] (.) {.} [dot] (dot) a dot (with any spaces around the brackets),
// [at] (at) [@] an @, and [:] [://] [/] what is in the brackets. Anything
// else is left alone.
func Refang(s string) string {
	out, _ := refangMap(s)
	return out
}

// refangMap refangs s and also returns, for each byte of the result, the
// span of s it came from, so a match in the result can be shown as it
// was written.
func refangMap(s string) (string, []span) {
	var b strings.Builder
	var from []span
	last := 0
	keep := func(to int) {
		for i := last; i < to; i++ {
			from = append(from, span{i, i + 1})
		}
		b.WriteString(s[last:to])
	}
	for _, m := range defang.FindAllStringSubmatchIndex(s, -1) {
		keep(m[0])
		var with string
		switch {
		case m[2] >= 0:
			with = "http" + s[m[4]:m[5]]
		case m[6] >= 0:
			with = "ftp" + s[m[8]:m[9]]
		case m[10] >= 0:
			with = "."
		case m[12] >= 0:
			with = "@"
		case m[14] >= 0:
			with = "://"
		case m[16] >= 0:
			with = ":"
		default:
			with = "/"
		}
		with = strings.ToLower(with)
		for range len(with) {
			from = append(from, span{m[0], m[1]})
		}
		b.WriteString(with)
		last = m[1]
	}
	keep(len(s))
	return b.String(), from
}

// span is a byte range [start, end) of a string.
type span struct{ start, end int }
