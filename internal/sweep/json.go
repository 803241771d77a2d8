package sweep

import (
	"bytes"
	"path/filepath"
	"strings"
	"unicode/utf8"
)

// isJSONLines says whether a file is read as JSON lines, by its name
// (.json, .jsonl, .ndjson, also under .gz). Deciding by name rather than
// by content keeps a text log that happens to start with "{" read as
// text.
func isJSONLines(path string) bool {
	ext := strings.ToLower(filepath.Ext(strings.TrimSuffix(strings.ToLower(path), ".gz")))
	return ext == ".json" || ext == ".jsonl" || ext == ".ndjson"
}

// ScanJSONLines is Scan for JSON-lines text: string escapes are undone
// before matching, so C:\\Windows\\evil.exe is found as the path
// C:\Windows\evil.exe and "\u0065vil.com" as evil.com, while offsets and
// matched text stay those of the line as written. b holds whole lines.
func (m *Matcher) ScanJSONLines(b []byte, emit func(Match)) {
	escaped := bytes.IndexByte(b, '\\') >= 0
	defanged := m.opt.Defanged && hasDefang(b)
	switch {
	case !escaped && !defanged:
		m.scan(b, emit)
	case !defanged:
		m.scanTransformed(b, unescapeJSON, emit)
	case !escaped:
		m.scanTransformed(b, refang, emit)
	default:
		m.scanTransformed(b, composeTransforms(unescapeJSON, refang), emit)
	}
}

// composeTransforms applies first, then second, mapping spans back
// through both.
func composeTransforms(first, second lineTransform) lineTransform {
	return func(line []byte) ([]byte, []int32, []int32, bool) {
		o1, f1, t1, ok1 := first(line)
		if !ok1 {
			return second(line)
		}
		o2, f2, t2, ok2 := second(o1)
		if !ok2 {
			return o1, f1, t1, true
		}
		from, to := make([]int32, len(o2)), make([]int32, len(o2))
		for k := range o2 {
			from[k], to[k] = f1[f2[k]], t1[t2[k]-1]
		}
		return o2, from, to, true
	}
}

// unescapeJSON undoes JSON string escapes in a line. Control escapes
// (\n, \t…) become spaces, which separate tokens as the control
// characters would; a malformed escape is kept as written.
func unescapeJSON(line []byte) (out []byte, from, to []int32, ok bool) {
	if bytes.IndexByte(line, '\\') < 0 {
		return nil, nil, nil, false
	}
	out = make([]byte, 0, len(line))
	from, to = make([]int32, 0, len(line)), make([]int32, 0, len(line))
	put := func(c byte, s, e int) {
		out, from, to = append(out, c), append(from, int32(s)), append(to, int32(e))
	}
	for i := 0; i < len(line); {
		c := line[i]
		if c != '\\' || i+1 == len(line) {
			put(c, i, i+1)
			i++
			continue
		}
		switch e := line[i+1]; e {
		case '"', '\\', '/':
			put(e, i, i+2)
			i += 2
		case 'n', 'r', 't', 'b', 'f':
			put(' ', i, i+2)
			i += 2
		case 'u':
			r, n := decodeU(line[i:])
			if n == 0 {
				put(c, i, i+1)
				i++
				continue
			}
			if r < 0x20 {
				r = ' '
			}
			var buf [4]byte
			for _, b := range buf[:utf8.EncodeRune(buf[:], r)] {
				put(b, i, i+n)
			}
			i += n
		default:
			put(c, i, i+1)
			i++
		}
	}
	return out, from, to, true
}

// decodeU reads \uXXXX (and a following low surrogate) at the start of b,
// returning the rune and the bytes used; 0 bytes when malformed.
func decodeU(b []byte) (rune, int) {
	hex4 := func(b []byte) (rune, bool) {
		if len(b) < 6 || b[0] != '\\' || b[1] != 'u' {
			return 0, false
		}
		var r rune
		for _, c := range b[2:6] {
			switch {
			case '0' <= c && c <= '9':
				r = r<<4 | rune(c-'0')
			case 'a' <= c|0x20 && c|0x20 <= 'f':
				r = r<<4 | rune(c|0x20-'a'+10)
			default:
				return 0, false
			}
		}
		return r, true
	}
	r, ok := hex4(b)
	if !ok {
		return 0, 0
	}
	if 0xD800 <= r && r < 0xDC00 {
		if lo, ok := hex4(b[6:]); ok && 0xDC00 <= lo && lo < 0xE000 {
			return (r-0xD800)<<10 | (lo - 0xDC00) + 0x10000, 12
		}
		return utf8.RuneError, 6
	}
	return r, 6
}
