package sweep

import (
	"fmt"
	"math/bits"
	"runtime"
	"slices"
	"strings"
	"sync"

	"github.com/warroom/warroom/internal/indicator"
)

// Matcher is a compiled indicator set. It is read-only after Compile and
// safe for concurrent use.
type Matcher struct {
	inds []Indicator
	lits []literal
	// The literal table: keys are the first bytes of a literal's anchor
	// word (see runKey); slots point into order, the literal indexes
	// grouped by key.
	slots  []slot
	tshift uint
	order  []int32
	filter []uint64 // one bit per hashed key, checked before the table
	fshift uint
	// lenMask has bit min(len, 63) set for every anchor word length, so
	// words of other lengths skip the lookup altogether.
	lenMask uint64
	slow    []int32 // literals with no word character: searched directly
	v4, v6  rangeSet
	opt     Options
	hashes  map[indicator.Type]bool
}

type slot struct {
	key      uint64
	start, n uint32
}

// Match is one occurrence of an indicator in a scanned buffer.
type Match struct {
	Start, End int // byte offsets in the buffer: buf[Start:End] is the matched text
	Indicator  int // index into the compiled set (Matcher.Indicator)
}

// Compile builds a matcher. Every value is checked and normalised with the
// rules of internal/ioc; the error names the first bad indicator and says
// what is wrong. Duplicates (the same type and normalised value) are
// merged.
func Compile(inds []Indicator, opt Options) (*Matcher, error) {
	if len(inds) > MaxIndicators {
		return nil, fmt.Errorf("indicators: %d given; the limit is %d", len(inds), MaxIndicators)
	}
	m := &Matcher{opt: opt, hashes: map[indicator.Type]bool{}}
	prepared, err := prepareAll(inds, opt)
	if err != nil {
		return nil, err
	}
	seen := make(map[Indicator]bool, len(inds))
	var v4, v6 []ipRange
	for i, p := range prepared {
		if seen[p] {
			continue
		}
		seen[p] = true
		id := int32(len(m.inds))
		m.inds = append(m.inds, p)
		switch p.Type {
		case indicator.IPv4, indicator.IPv6, indicator.CIDR:
			r, is4, err := parseRange(p.Type, p.Value)
			if err != nil {
				return nil, fmt.Errorf("indicator %d: %w", i+1, err)
			}
			r.id = id
			if is4 {
				v4 = append(v4, r)
			} else {
				v6 = append(v6, r)
			}
			continue
		case indicator.MD5, indicator.SHA1, indicator.SHA256, indicator.SHA512:
			m.hashes[p.Type] = true
		}
		m.lits = append(m.lits, newLiteral(id, p, opt))
	}
	m.v4, m.v6 = buildRanges(v4, false), buildRanges(v6, true)
	m.buildTable()
	return m, nil
}

// prepareAll normalises the indicators, on every core for a large set:
// normalisation (IDN, URL parsing) is most of the cost of compiling.
func prepareAll(inds []Indicator, opt Options) ([]Indicator, error) {
	out := make([]Indicator, len(inds))
	parts := 1
	if len(inds) >= 4096 {
		parts = runtime.GOMAXPROCS(0)
	}
	errs := make([]error, parts)
	var wg sync.WaitGroup
	for k := range parts {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := k * len(inds) / parts; i < (k+1)*len(inds)/parts; i++ {
				p, err := prepare(inds[i], opt)
				if err != nil {
					errs[k] = fmt.Errorf("indicator %d: %w", i+1, err)
					return
				}
				out[i] = p
			}
		}()
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			return nil, err // the first bad indicator, as a sequential pass would say
		}
	}
	return out, nil
}

// MustCompile is Compile for tests and constant sets: it panics on error.
func MustCompile(inds []Indicator, opt Options) *Matcher {
	m, err := Compile(inds, opt)
	if err != nil {
		panic(err)
	}
	return m
}

// Len is the number of distinct indicators compiled.
func (m *Matcher) Len() int { return len(m.inds) }

// Indicator returns the compiled (normalised) indicator i of a Match.
func (m *Matcher) Indicator(i int) Indicator { return m.inds[i] }

func newLiteral(id int32, p Indicator, opt Options) literal {
	v := p.Value
	if p.Type == indicator.URL {
		// internal/ioc writes a URL with no path as host + "/"; a log
		// line names the same URL with or without it, and with a path
		// after it, so match up to the host and let the boundary rule
		// stop at the next host character.
		if i := strings.Index(v, "://"); i >= 0 && strings.IndexByte(v[i+3:], '/') == len(v)-i-4 {
			v = v[:len(v)-1]
		}
	}
	fold := caseRule(p.Type, v, opt)
	v = strings.ToLower(v[:fold]) + v[fold:]
	return literal{id: id, value: v, fold: fold, class: classOf(p.Type), sub: p.Subdomains, anchor: -1}
}

// wordRuns returns the starts of the word runs in v and their lengths.
func wordRuns(v string) (starts, lens []int) {
	for i := 0; i < len(v); {
		if !isWord(v[i]) {
			i++
			continue
		}
		s := i
		for i < len(v) && isWord(v[i]) {
			i++
		}
		starts, lens = append(starts, s), append(lens, i-s)
	}
	return starts, lens
}

// buildTable chooses each literal's anchor word, the one whose key the
// fewest other literals share (so a hundred URLs on one host are not all
// keyed on "http"), and builds the filter and the table.
func (m *Matcher) buildTable() {
	freq := map[uint64]int{}
	for _, l := range m.lits {
		starts, lens := wordRuns(l.value)
		for k, s := range starts {
			freq[runKey([]byte(l.value[s:s+lens[k]]))]++
		}
	}
	type entry struct {
		key uint64
		lit int32
	}
	entries := make([]entry, 0, len(m.lits))
	for i := range m.lits {
		l := &m.lits[i]
		starts, lens := wordRuns(l.value)
		best, bestKey := -1, uint64(0)
		for k, s := range starts {
			key := runKey([]byte(l.value[s : s+lens[k]]))
			if best < 0 || freq[key] < freq[bestKey] || freq[key] == freq[bestKey] && lens[k] > lens[best] {
				best, bestKey = k, key
			}
		}
		if best < 0 {
			m.slow = append(m.slow, int32(i))
			continue
		}
		l.anchor = starts[best]
		m.lenMask |= 1 << min(lens[best], 63)
		entries = append(entries, entry{bestKey, int32(i)})
	}
	slices.SortFunc(entries, func(a, b entry) int {
		if a.key != b.key {
			if a.key < b.key {
				return -1
			}
			return 1
		}
		return int(a.lit - b.lit)
	})
	distinct := 0
	for i := range entries {
		if i == 0 || entries[i].key != entries[i-1].key {
			distinct++
		}
	}
	// Table at most half full; filter with about 16 bits per key, so a
	// word that is no key passes it about once in sixteen.
	tbits := max(4, bits.Len(uint(distinct*2)))
	fbits := max(12, bits.Len(uint(distinct*16)))
	m.slots = make([]slot, 1<<tbits)
	m.tshift = uint(64 - tbits)
	m.filter = make([]uint64, (1<<fbits)/64)
	m.fshift = uint(64 - fbits)
	m.order = make([]int32, len(entries))
	mask := uint64(len(m.slots) - 1)
	for i := 0; i < len(entries); {
		j := i
		for j < len(entries) && entries[j].key == entries[i].key {
			m.order[j] = entries[j].lit
			j++
		}
		key := entries[i].key
		f := (key * fmul) >> m.fshift
		m.filter[f/64] |= 1 << (f % 64)
		for h := (key * tmul) >> m.tshift; ; h = (h + 1) & mask {
			if m.slots[h].key == 0 {
				m.slots[h] = slot{key: key, start: uint32(i), n: uint32(j - i)}
				break
			}
		}
		i = j
	}
}

// Multipliers for the filter and the table: odd constants with well-mixed
// bits (the 64-bit golden ratio, and one from splitmix64), so the two
// indexes are independent.
const (
	tmul = 0x9E3779B97F4A7C15
	fmul = 0xBF58476D1CE4E5B9
)
