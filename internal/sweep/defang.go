package sweep

import (
	"bytes"
	"strings"
)

// Defanged forms, read the way internal/ioc's Refang reads them (its
// string-to-string form cannot say where each byte came from, which a
// hit's offset needs). Longest first within a bracket.
var defangs = []struct{ from, to string }{
	{"[://]", "://"}, {"[dot]", "."}, {"(dot)", "."}, {"{dot}", "."}, {"[at]", "@"}, {"(at)", "@"}, {"{at}", "@"},
	{"[.]", "."}, {"(.)", "."}, {"{.}", "."}, {"[@]", "@"}, {"[:]", ":"}, {"[/]", "/"},
	{"hxxps", "https"}, {"hxxp", "http"}, {"h[xx]ps", "https"}, {"h[xx]p", "http"}, {"h**ps", "https"}, {"h**p", "http"},
	{"fxp", "ftp"},
}

// hasDefang is the cheap test that lets clean buffers skip the slow path.
func hasDefang(b []byte) bool {
	return bytes.IndexByte(b, '[') >= 0 || bytes.IndexByte(b, '(') >= 0 || bytes.IndexByte(b, '{') >= 0 ||
		bytes.IndexByte(b, '*') >= 0 || bytes.Contains(b, []byte("xp")) || bytes.Contains(b, []byte("XP")) ||
		bytes.Contains(b, []byte("Xp")) || bytes.Contains(b, []byte("xP"))
}

// refang rewrites one line; from[k] is the offset in line of the byte
// that produced out[k], to[k] the offset just past it. ok is false when
// the line holds no defanged form.
func refang(line []byte) (out []byte, from, to []int32, ok bool) {
	for i := 0; i < len(line); {
		c := line[i]
		n, rep := 0, ""
		if c == '[' || c == '(' || c == '{' || c|0x20 == 'h' || c|0x20 == 'f' {
			for _, d := range defangs {
				if len(line)-i >= len(d.from) && strings.EqualFold(string(line[i:i+len(d.from)]), d.from) {
					n, rep = len(d.from), d.to
					break
				}
			}
		}
		if n == 0 {
			if ok {
				out, from, to = append(out, c), append(from, int32(i)), append(to, int32(i+1))
			}
			i++
			continue
		}
		if !ok {
			ok = true
			out = append(out, line[:i]...)
			for k := range i {
				from, to = append(from, int32(k)), append(to, int32(k+1))
			}
		}
		for k := range len(rep) {
			out, from, to = append(out, rep[k]), append(from, int32(i)), append(to, int32(i+n))
		}
		i += n
	}
	return out, from, to, ok
}

// lineTransform rewrites a line for matching; from[k] and to[k] give the
// span of the original line that produced out[k]. ok is false when the
// line needs no rewriting.
type lineTransform func(line []byte) (out []byte, from, to []int32, ok bool)

// scanDefanged scans clean lines as they are and defanged lines
// rewritten, reporting offsets (and so matched text) in the original.
func (m *Matcher) scanDefanged(b []byte, emit func(Match)) {
	m.scanTransformed(b, refang, emit)
}

// scanTransformed scans the lines tr leaves alone in runs, as they are,
// and each line it rewrites on its own, mapping matches back.
func (m *Matcher) scanTransformed(b []byte, tr lineTransform, emit func(Match)) {
	clean := 0 // start of the pending run of clean lines
	for ls := 0; ls < len(b); {
		le := bytes.IndexByte(b[ls:], '\n')
		if le < 0 {
			le = len(b)
		} else {
			le += ls
		}
		out, from, to, ok := tr(b[ls:le])
		if ok {
			base := ls
			m.scan(b[clean:ls], shift(clean, emit))
			m.scan(out, func(h Match) {
				emit(Match{Start: base + int(from[h.Start]), End: base + int(to[h.End-1]), Indicator: h.Indicator})
			})
			clean = le
		}
		ls = le + 1
	}
	m.scan(b[clean:], shift(clean, emit))
}

func shift(base int, emit func(Match)) func(Match) {
	if base == 0 {
		return emit
	}
	return func(h Match) { emit(Match{Start: base + h.Start, End: base + h.End, Indicator: h.Indicator}) }
}
