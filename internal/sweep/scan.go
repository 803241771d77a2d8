package sweep

import (
	"bytes"
	"encoding/binary"
)

// Byte classes. Bytes of 0x80 and above count as word characters so a
// UTF-8 word is never split in the middle.
const (
	cWord  = 1 << iota // letters, digits, '_', non-ASCII
	cHost              // word characters and '-', '.'
	cDigit             // 0-9
	cV6                // hexadecimal digits, ':' and '.'
)

var class = func() (t [256]uint8) {
	for c := 0; c < 256; c++ {
		switch {
		case '0' <= c && c <= '9':
			t[c] = cWord | cHost | cDigit | cV6
		case 'a' <= c && c <= 'f', 'A' <= c && c <= 'F':
			t[c] = cWord | cHost | cV6
		case 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z', c == '_', c >= 0x80:
			t[c] = cWord | cHost
		case c == '-':
			t[c] = cHost
		case c == '.':
			t[c] = cHost | cV6
		case c == ':':
			t[c] = cV6
		}
	}
	return t
}()

var lowerTab = func() (t [256]byte) {
	for c := range 256 {
		t[c] = byte(c)
		if 'A' <= c && c <= 'Z' {
			t[c] = byte(c) + 'a' - 'A'
		}
	}
	return t
}()

func isWord(c byte) bool  { return class[c]&cWord != 0 }
func isHost(c byte) bool  { return class[c]&cHost != 0 }
func isDigit(c byte) bool { return class[c]&cDigit != 0 }

// runKey is the table key of a word: its first eight bytes, ASCII
// lower-cased, packed little-endian. Shorter words are padded with zero
// bytes, which no word contains, so "ab" and "abc" differ; the key is
// never zero, which marks an empty table slot.
func runKey(w []byte) uint64 {
	if len(w) >= 8 {
		return lower8(binary.LittleEndian.Uint64(w))
	}
	var k uint64
	for i := len(w) - 1; i >= 0; i-- {
		k = k<<8 | uint64(lowerTab[w[i]])
	}
	return k
}

// lower8 lower-cases the ASCII letters of eight packed bytes at once
// (the usual SWAR test: a byte is upper case when it is ASCII, at least
// 'A' and not above 'Z'; adding 0x20 is setting bit 5).
func lower8(x uint64) uint64 {
	const (
		ones = 0x0101010101010101
		high = 0x8080808080808080
	)
	h := x &^ high
	geA := h + ones*(0x80-'A')
	gtZ := h + ones*(0x7f-'Z')
	upper := (geA ^ gtZ) &^ x & high
	return x | upper>>2
}

// Scan reports every match in b, which should hold whole lines (a match
// never spans a line break, and the buffer's ends count as boundaries).
// Matches are reported in no particular order; emit must not keep b.
func (m *Matcher) Scan(b []byte, emit func(Match)) {
	if m.opt.Defanged && hasDefang(b) {
		m.scanDefanged(b, emit)
		return
	}
	m.scan(b, emit)
}

func (m *Matcher) scan(b []byte, emit func(Match)) {
	n := len(b)
	lits, v4 := len(m.order) > 0, len(m.v4.segs) > 0
	for i := 0; i < n; {
		for i < n && class[b[i]]&cWord == 0 {
			i++
		}
		s := i
		for i < n && class[b[i]]&cWord != 0 {
			i++
		}
		r := i - s
		if r == 0 {
			break
		}
		if lits && m.lenMask&(1<<min(r, 63)) != 0 {
			var key uint64
			switch {
			case r >= 8:
				key = lower8(binary.LittleEndian.Uint64(b[s:]))
			case s+8 <= n:
				// Load eight bytes anyway and keep the word's: the same
				// key as runKey, without a loop.
				key = lower8(binary.LittleEndian.Uint64(b[s:])) & (1<<(8*r) - 1)
			default:
				key = runKey(b[s:i])
			}
			f := (key * fmul) >> m.fshift
			if m.filter[f/64]&(1<<(f%64)) != 0 {
				m.probe(b, s, key, emit)
			}
		}
		if v4 && r <= 3 && i < n && b[i] == '.' && class[b[s]]&cDigit != 0 {
			m.matchV4(b, s, emit)
		}
	}
	if len(m.v6.segs) > 0 {
		m.scanV6(b, emit)
	}
	for _, li := range m.slow {
		l := &m.lits[li]
		for off := 0; ; {
			j := bytes.Index(b[off:], []byte(l.value))
			if j < 0 {
				break
			}
			s := off + j
			if m.verify(b, s, l) {
				emit(Match{Start: s, End: s + len(l.value), Indicator: int(l.id)})
			}
			off = s + 1
		}
	}
}

// probe looks a word's key up in the table and checks each literal filed
// under it.
func (m *Matcher) probe(b []byte, p int, key uint64, emit func(Match)) {
	mask := uint64(len(m.slots) - 1)
	for h := (key * tmul) >> m.tshift; ; h = (h + 1) & mask {
		sl := &m.slots[h]
		if sl.key == key {
			for _, li := range m.order[sl.start : sl.start+sl.n] {
				l := &m.lits[li]
				s := p - l.anchor
				if s >= 0 && m.verify(b, s, l) {
					emit(Match{Start: s, End: s + len(l.value), Indicator: int(l.id)})
				}
			}
			return
		}
		if sl.key == 0 {
			return
		}
	}
}

// verify reports whether literal l occurs at b[s:] with its case and
// boundary rules.
func (m *Matcher) verify(b []byte, s int, l *literal) bool {
	v := l.value
	e := s + len(v)
	if e > len(b) {
		return false
	}
	for k := 0; k < l.fold; k++ {
		if lowerTab[b[s+k]] != v[k] {
			return false
		}
	}
	if string(b[s+l.fold:e]) != v[l.fold:] {
		return false
	}
	return l.before(b, s) && l.after(b, e)
}

// before checks what precedes a match at s.
func (l *literal) before(b []byte, s int) bool {
	if s == 0 {
		return true
	}
	c := b[s-1]
	if l.class == classWord {
		return !isWord(l.value[0]) || !isWord(c)
	}
	if !isHost(l.value[0]) || !isHost(c) {
		return true
	}
	if c != '.' {
		return false
	}
	// A dot after punctuation or space is not part of a name (.evil.com
	// as a cookie domain); a dot after a label makes a subdomain.
	if s < 2 || !isHost(b[s-2]) {
		return true
	}
	return l.sub && b[s-2] != '.'
}

// after checks what follows a match ending at e. A dot that ends a
// sentence (or a fully qualified name) is not part of the token.
func (l *literal) after(b []byte, e int) bool {
	if e == len(b) {
		return true
	}
	c := b[e]
	last := l.value[len(l.value)-1]
	if l.class == classWord {
		return !isWord(last) || !isWord(c)
	}
	if !isHost(last) || !isHost(c) {
		return true
	}
	return c == '.' && (e+1 == len(b) || !isHost(b[e+1]))
}
