package sweep

import (
	"bytes"
	"fmt"
	"net/netip"
	"slices"

	"github.com/warroom/warroom/internal/indicator"
)

// u128 is an address as a number: IPv4 in the low 32 bits, IPv6 whole.
type u128 struct{ hi, lo uint64 }

func (a u128) cmp(b u128) int {
	switch {
	case a.hi < b.hi || a.hi == b.hi && a.lo < b.lo:
		return -1
	case a == b:
		return 0
	}
	return 1
}

func (a u128) next() (u128, bool) {
	lo := a.lo + 1
	hi := a.hi
	if lo == 0 {
		hi++
	}
	return u128{hi, lo}, hi == 0 && lo == 0
}

func addrNum(a netip.Addr) u128 {
	if a.Is4() {
		b := a.As4()
		return u128{0, uint64(b[0])<<24 | uint64(b[1])<<16 | uint64(b[2])<<8 | uint64(b[3])}
	}
	b := a.As16()
	var hi, lo uint64
	for i := range 8 {
		hi = hi<<8 | uint64(b[i])
		lo = lo<<8 | uint64(b[8+i])
	}
	return u128{hi, lo}
}

// ipRange is one indicator's addresses, first to last inclusive.
type ipRange struct {
	first, last u128
	id          int32
}

// parseRange turns an ipv4, ipv6 or cidr indicator (already normalised)
// into its range.
func parseRange(t indicator.Type, v string) (ipRange, bool, error) {
	var p netip.Prefix
	var err error
	if t == indicator.CIDR {
		p, err = netip.ParsePrefix(v)
	} else {
		var a netip.Addr
		if a, err = netip.ParseAddr(v); err == nil {
			p = netip.PrefixFrom(a, a.BitLen())
		}
	}
	if err != nil {
		return ipRange{}, false, fmt.Errorf("%s %q: %w", t, v, err)
	}
	p = p.Masked()
	first := addrNum(p.Addr())
	last := first
	host := p.Addr().BitLen() - p.Bits() // bits that vary
	switch {
	case host >= 64:
		last.lo = ^uint64(0)
		if host == 128 {
			last.hi = ^uint64(0)
		} else {
			last.hi |= 1<<(host-64) - 1
		}
	case host > 0:
		last.lo |= 1<<host - 1
	}
	return ipRange{first: first, last: last}, p.Addr().Is4(), nil
}

// rangeSet answers "which indicators contain this address" with a binary
// search over disjoint segments, each listing the indicators that cover
// it (overlapping networks, like 10.0.0.0/8 and 10.1.0.0/16, both match
// an address in both).
type rangeSet struct {
	segs []segment
	ids  []int32
	v6   bool
	// top has a bit for each /16 (the first 16 bits of the address) that
	// some segment touches: most addresses in a log (the organisation's
	// own) are in none, and this answers for them without the search.
	top [1 << 16 / 64]uint64
	// first[k] is the index of the first segment that ends in /16 k or
	// later, so a lookup searches only the segments of its own /16
	// (first[k] to first[k+1], inclusive): a few, instead of twenty
	// cache-missing steps through a million.
	first []uint32
}

func (s *rangeSet) top16(a u128) uint64 {
	if s.v6 {
		return a.hi >> 48
	}
	return a.lo >> 16 & 0xffff
}

type segment struct {
	first, last u128
	start, n    uint32 // into ids
}

func buildRanges(rs []ipRange, v6 bool) rangeSet {
	set := buildSegments(rs)
	set.v6 = v6
	for _, g := range set.segs {
		for k := set.top16(g.first); k <= set.top16(g.last); k++ {
			set.top[k/64] |= 1 << (k % 64)
		}
	}
	if len(set.segs) > 64 {
		set.first = make([]uint32, 1<<16+1)
		i := 0
		for k := range uint64(1 << 16) {
			for i < len(set.segs) && set.top16(set.segs[i].last) < k {
				i++
			}
			set.first[k] = uint32(i)
		}
		set.first[1<<16] = uint32(len(set.segs))
	}
	return set
}

func buildSegments(rs []ipRange) rangeSet {
	var set rangeSet
	if len(rs) == 0 {
		return set
	}
	// Boundaries where the covering set can change.
	type event struct {
		at    u128
		open  bool
		id    int32
		atEnd bool // a close past the top of the address space
	}
	ev := make([]event, 0, 2*len(rs))
	for _, r := range rs {
		ev = append(ev, event{at: r.first, open: true, id: r.id})
		n, wrapped := r.last.next()
		ev = append(ev, event{at: n, id: r.id, atEnd: wrapped})
	}
	slices.SortFunc(ev, func(a, b event) int {
		if a.atEnd != b.atEnd {
			if a.atEnd {
				return 1
			}
			return -1
		}
		return a.at.cmp(b.at)
	})
	active := map[int32]bool{}
	for i := 0; i < len(ev); {
		at := ev[i].at
		end := ev[i].atEnd
		for i < len(ev) && ev[i].at == at && ev[i].atEnd == end {
			if ev[i].open {
				active[ev[i].id] = true
			} else {
				delete(active, ev[i].id)
			}
			i++
		}
		if len(active) == 0 || i == len(ev) {
			continue
		}
		last := ev[i].at
		if !ev[i].atEnd {
			// The segment ends just before the next boundary.
			if last.lo == 0 {
				last.hi--
			}
			last.lo--
		} else {
			last = u128{^uint64(0), ^uint64(0)}
		}
		ids := make([]int32, 0, len(active))
		for id := range active {
			ids = append(ids, id)
		}
		slices.Sort(ids)
		set.segs = append(set.segs, segment{first: at, last: last, start: uint32(len(set.ids)), n: uint32(len(ids))})
		set.ids = append(set.ids, ids...)
	}
	return set
}

// lookup returns the indicators whose range holds a.
func (s *rangeSet) lookup(a u128) []int32 {
	segs := s.segs
	if k := s.top16(a); s.top[k/64]&(1<<(k%64)) == 0 {
		return nil
	}
	if s.first != nil {
		// The segments that can hold a: from the first one ending in
		// a's /16 to the first one ending after it (it may start inside).
		k := s.top16(a)
		segs = segs[s.first[k]:min(int(s.first[k+1])+1, len(segs))]
	}
	if len(segs) == 0 || a.cmp(segs[0].first) < 0 || a.cmp(segs[len(segs)-1].last) > 0 {
		return nil
	}
	i, _ := slices.BinarySearchFunc(segs, a, func(g segment, a u128) int { return g.first.cmp(a) })
	// i is the first segment starting at or after a.
	if i < len(segs) && segs[i].first == a {
		return s.ids[segs[i].start : segs[i].start+segs[i].n]
	}
	if i == 0 {
		return nil
	}
	g := segs[i-1]
	if a.cmp(g.last) > 0 {
		return nil
	}
	return s.ids[g.start : g.start+g.n]
}

// matchV4 tries a dotted quad at the start of a word, b[s]: four numbers
// of one to three digits, each at most 255, not preceded by a word
// character or a dot, not followed by a word character or by a dot and a
// digit (so 1.2.3.4.5, a version, holds no address).
func (m *Matcher) matchV4(b []byte, s int, emit func(Match)) {
	if s > 0 && b[s-1] == '.' {
		return
	}
	var a uint64
	i := s
	for part := range 4 {
		if part > 0 {
			if i >= len(b) || b[i] != '.' {
				return
			}
			i++
		}
		v, d := 0, 0
		for d < 3 && i < len(b) && isDigit(b[i]) {
			v = v*10 + int(b[i]-'0')
			i++
			d++
		}
		if d == 0 || v > 255 {
			return
		}
		a = a<<8 | uint64(v)
	}
	if i < len(b) && (isWord(b[i]) || b[i] == '.' && i+1 < len(b) && isDigit(b[i+1])) {
		return
	}
	for _, id := range m.v4.lookup(u128{0, a}) {
		emit(Match{Start: s, End: i, Indicator: int(id)})
	}
}

// scanV6 finds IPv6 addresses: maximal runs of hexadecimal digits, colons
// and dots around a colon, not touching a word character, with "::" or
// seven colons (six with an embedded IPv4 address), that parse as an
// address. Times (15:04:05) and MAC addresses never qualify, so they cost
// only a short look around each colon.
func (m *Matcher) scanV6(b []byte, emit func(Match)) {
	done := 0
	for off := 0; off < len(b); {
		j := bytes.IndexByte(b[off:], ':')
		if j < 0 {
			return
		}
		c := off + j
		off = c + 1
		if c < done {
			continue
		}
		s, e := c, c+1
		for s > 0 && class[b[s-1]]&cV6 != 0 {
			s--
		}
		for e < len(b) && class[b[e]]&cV6 != 0 {
			e++
		}
		done, off = e, e
		if a, s, e, ok := v6At(b, s, e); ok {
			for _, id := range m.v6.lookup(addrNum(a)) {
				emit(Match{Start: s, End: e, Indicator: int(id)})
			}
		}
	}
}

// v6At checks the candidate run b[s:e]; it may drop a trailing dot or a
// single trailing colon (punctuation after the address).
func v6At(b []byte, s, e int) (netip.Addr, int, int, bool) {
	if s > 0 && isWord(b[s-1]) || e < len(b) && isWord(b[e]) {
		return netip.Addr{}, 0, 0, false
	}
	for e > s && b[e-1] == '.' {
		e--
	}
	if e-s >= 2 && b[e-1] == ':' && b[e-2] != ':' {
		e--
	}
	run := b[s:e]
	colons := bytes.Count(run, []byte{':'})
	if colons < 2 || colons > 7 || !(bytes.Contains(run, []byte("::")) || colons == 7 || colons == 6 && bytes.IndexByte(run, '.') >= 0) {
		return netip.Addr{}, 0, 0, false
	}
	a, err := netip.ParseAddr(string(run))
	if err != nil || !a.Is6() {
		return netip.Addr{}, 0, 0, false
	}
	return a, s, e, true
}
