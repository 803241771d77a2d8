package sweep

import (
	"fmt"
	"math/rand/v2"
	"net/netip"
	"slices"
	"testing"

	"github.com/warroom/warroom/internal/indicator"
)

// TestRangeSetMatchesContains checks the segment index (used above 64
// segments) against netip's own containment, for nested and adjacent
// networks, single addresses and the edges of each.
func TestRangeSetMatchesContains(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 1))
	var inds []Indicator
	var prefixes []netip.Prefix
	for range 3000 {
		var v string
		switch r.IntN(4) {
		case 0:
			v = fmt.Sprintf("10.%d.%d.%d", r.IntN(4), r.IntN(256), r.IntN(256))
			inds = append(inds, Indicator{Type: indicator.IPv4, Value: v})
			prefixes = append(prefixes, netip.PrefixFrom(netip.MustParseAddr(v), 32))
			continue
		case 1:
			v = fmt.Sprintf("10.%d.%d.0/%d", r.IntN(4), r.IntN(256), 20+r.IntN(12))
		case 2:
			v = fmt.Sprintf("%d.0.0.0/%d", r.IntN(256), 6+r.IntN(12))
		default:
			v = fmt.Sprintf("10.%d.0.0/16", r.IntN(8))
		}
		p := netip.MustParsePrefix(v).Masked()
		inds = append(inds, Indicator{Type: indicator.CIDR, Value: p.String()})
		prefixes = append(prefixes, p)
	}
	m := MustCompile(inds, Options{})
	if m.v4.first == nil {
		t.Fatal("the set is small enough to skip the index; make it larger")
	}
	for range 20000 {
		var a netip.Addr
		if r.IntN(2) == 0 {
			a = netip.AddrFrom4([4]byte{10, byte(r.IntN(5)), byte(r.IntN(256)), byte(r.IntN(256))})
		} else {
			a = netip.AddrFrom4([4]byte{byte(r.IntN(256)), byte(r.IntN(256)), byte(r.IntN(256)), byte(r.IntN(256))})
		}
		var want []string
		for _, p := range prefixes {
			if p.Contains(a) {
				if p.Bits() == 32 {
					want = append(want, p.Addr().String())
				} else {
					want = append(want, p.String())
				}
			}
		}
		var got []string
		for _, id := range m.v4.lookup(addrNum(a)) {
			got = append(got, m.inds[id].Value)
		}
		slices.Sort(want)
		want = slices.Compact(want)
		slices.Sort(got)
		if !slices.Equal(want, got) {
			t.Fatalf("%s: got %v, want %v", a, got, want)
		}
	}
}
