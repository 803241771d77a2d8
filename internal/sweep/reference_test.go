package sweep

import (
	"bytes"
	"context"
	"fmt"
	"math/rand/v2"
	"net/netip"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/warroom/warroom/internal/indicator"
)

// reference is the obviously-correct matcher the fast one is checked
// against: it tries every indicator at every offset and writes the rules
// of docs/sweep.md out directly, sharing no code with the scanner.
type reference struct {
	inds []Indicator
	opt  Options
}

func (r reference) Scan(text []byte) []Match {
	var out []Match
	for id, in := range r.inds {
		switch in.Type {
		case indicator.IPv4, indicator.IPv6, indicator.CIDR:
			out = append(out, r.ips(text, id, in)...)
			continue
		}
		v := in.Value
		if in.Type == indicator.URL && strings.Count(v, "/") == 3 && strings.HasSuffix(v, "/") {
			v = strings.TrimSuffix(v, "/")
		}
		fold := caseRule(in.Type, v, r.opt)
		word := slices.Contains([]indicator.Type{indicator.MD5, indicator.SHA1, indicator.SHA256, indicator.SHA512, indicator.JA3, indicator.JA4, indicator.CVE}, in.Type)
		inClass := func(c byte) bool {
			if word {
				return refWord(c)
			}
			return refWord(c) || c == '-' || c == '.'
		}
		for s := 0; s+len(v) <= len(text); s++ {
			got := string(text[s : s+len(v)])
			if !strings.EqualFold(got[:fold], v[:fold]) || got[fold:] != v[fold:] {
				continue
			}
			e := s + len(v)
			okBefore := s == 0 || !inClass(v[0]) || !inClass(text[s-1])
			if !okBefore && !word && text[s-1] == '.' {
				// a lone dot is punctuation; a dot after a label is a subdomain
				okBefore = s < 2 || !inClass(text[s-2]) || in.Subdomains && text[s-2] != '.'
			}
			okAfter := e == len(text) || !inClass(v[len(v)-1]) || !inClass(text[e]) ||
				!word && text[e] == '.' && (e+1 == len(text) || !inClass(text[e+1]))
			if okBefore && okAfter {
				out = append(out, Match{Start: s, End: e, Indicator: id})
			}
		}
	}
	return out
}

func refWord(c byte) bool {
	return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '_' || c >= 0x80
}

var (
	refQuad = regexp.MustCompile(`^([0-9]{1,3})\.([0-9]{1,3})\.([0-9]{1,3})\.([0-9]{1,3})`)
	refV6   = regexp.MustCompile(`[0-9A-Fa-f:.]+`)
)

func (r reference) ips(text []byte, id int, in Indicator) []Match {
	var p netip.Prefix
	if in.Type == indicator.CIDR {
		p = netip.MustParsePrefix(in.Value)
	} else {
		a := netip.MustParseAddr(in.Value)
		p = netip.PrefixFrom(a, a.BitLen())
	}
	var out []Match
	if p.Addr().Is4() {
		for s := range text {
			if s > 0 && (refWord(text[s-1]) || text[s-1] == '.') {
				continue
			}
			m := refQuad.FindSubmatchIndex(text[s:])
			if m == nil {
				continue
			}
			e := s + m[1]
			if e < len(text) && (refWord(text[e]) || text[e] == '.' && e+1 < len(text) && '0' <= text[e+1] && text[e+1] <= '9') {
				continue
			}
			var b [4]byte
			ok := true
			for k := range 4 {
				n, _ := strconv.Atoi(string(text[s+m[2+2*k] : s+m[3+2*k]])) // decimal, leading zeros too
				ok = ok && n <= 255
				b[k] = byte(n)
			}
			if ok && p.Contains(netip.AddrFrom4(b)) {
				out = append(out, Match{Start: s, End: e, Indicator: id})
			}
		}
		return out
	}
	for _, m := range refV6.FindAllIndex(text, -1) {
		s, e := m[0], m[1]
		if !bytes.Contains(text[s:e], []byte(":")) {
			continue
		}
		if s > 0 && refWord(text[s-1]) || e < len(text) && refWord(text[e]) {
			continue
		}
		e = s + len(strings.TrimRight(string(text[s:e]), "."))
		if e-s >= 2 && text[e-1] == ':' && text[e-2] != ':' {
			e--
		}
		run := string(text[s:e])
		c := strings.Count(run, ":")
		if c < 2 || !(strings.Contains(run, "::") || c == 7 || c == 6 && strings.Contains(run, ".")) {
			continue
		}
		if a, err := netip.ParseAddr(run); err == nil && a.Is6() && p.Contains(a) {
			out = append(out, Match{Start: s, End: e, Indicator: id})
		}
	}
	return out
}

func sortMatches(ms []Match) []Match {
	slices.SortFunc(ms, func(a, b Match) int {
		if a.Start != b.Start {
			return a.Start - b.Start
		}
		if a.Indicator != b.Indicator {
			return a.Indicator - b.Indicator
		}
		return a.End - b.End
	})
	return ms
}

// randomCase is a small world where collisions are likely: short labels,
// values that contain each other, addresses at the edges of networks.
func randomCase(r *rand.Rand) ([]Indicator, []byte) {
	labels := []string{"a", "ab", "evil", "Evil", "b-c", "x_y", "com", "net", "xn--p1ai"}
	label := func() string { return labels[r.IntN(len(labels))] }
	hex := func(n int) string {
		const d = "0123456789abcdefABCDEF"
		b := make([]byte, n)
		for i := range b {
			b[i] = d[r.IntN(len(d))]
		}
		return string(b)
	}
	var inds []Indicator
	var pieces []string
	add := func(in Indicator, text ...string) {
		if _, err := indicator.Normalize(in.Type, in.Value); err == nil {
			inds = append(inds, in)
		}
		pieces = append(pieces, text...)
	}
	for range 1 + r.IntN(8) {
		switch r.IntN(9) {
		case 0:
			d := label() + "." + label()
			add(Indicator{Type: indicator.Domain, Value: d, Subdomains: r.IntN(2) == 0}, d, strings.ToUpper(d), label()+"."+d)
		case 1:
			h := hex(32)
			add(Indicator{Type: indicator.MD5, Value: h}, h, strings.ToUpper(h), h[:31])
		case 2:
			h := hex(64)
			add(Indicator{Type: indicator.SHA256, Value: h}, h, h+"0")
		case 3:
			ip := fmt.Sprintf("10.0.%d.%d", r.IntN(3), r.IntN(256))
			add(Indicator{Type: indicator.IPv4, Value: ip}, ip, "0"+ip)
		case 4:
			c := fmt.Sprintf("10.0.%d.0/%d", r.IntN(3), 22+r.IntN(10))
			add(Indicator{Type: indicator.CIDR, Value: c}, fmt.Sprintf("10.0.%d.%d", r.IntN(4), r.IntN(256)), "10.0.0.255", "10.0.1.0")
		case 5:
			a := fmt.Sprintf("2001:db8::%x", r.IntN(4))
			add(Indicator{Type: indicator.IPv6, Value: a}, a, strings.ToUpper(a), "[2001:db8:0::"+fmt.Sprint(r.IntN(4))+"]")
		case 6:
			c := fmt.Sprintf("2001:db8:%x::/%d", r.IntN(2), 40+r.IntN(80))
			add(Indicator{Type: indicator.CIDR, Value: c}, fmt.Sprintf("2001:db8:%x::%x", r.IntN(2), r.IntN(3)), "::ffff:10.0.0.1")
		case 7:
			u := "http://" + label() + "." + label() + "/" + label()
			add(Indicator{Type: indicator.URL, Value: u}, u, u+"/x", u+".php", strings.ToUpper(u))
		case 8:
			n := label() + ".exe"
			add(Indicator{Type: indicator.Filename, Value: n}, n, `C:\`+n, "/"+strings.ToUpper(n))
		}
	}
	seps := []string{" ", ".", "-", "_", "/", ":", "\n", "\"", "x", "0", "", "..", "@", "[", "]"}
	var sb strings.Builder
	for range r.IntN(40) {
		if len(pieces) > 0 && r.IntN(3) > 0 {
			sb.WriteString(pieces[r.IntN(len(pieces))])
		} else {
			sb.WriteString(label())
		}
		sb.WriteString(seps[r.IntN(len(seps))])
	}
	return inds, []byte(sb.String())
}

func TestScanMatchesReference(t *testing.T) {
	r := rand.New(rand.NewPCG(7, 11))
	compared := 0
	for i := range 10000 {
		inds, text := randomCase(r)
		if checkAgainstReference(t, fmt.Sprintf("case %d", i), inds, text) {
			compared++
		}
		if t.Failed() {
			return
		}
	}
	// Sets with an invalid value are skipped; if most were, the test
	// would prove nothing.
	if compared < 9000 {
		t.Errorf("only %d of 10000 random cases compiled and were compared", compared)
	}
}

// checkAgainstReference compares the scanner with the reference on one
// case; false when the random set holds an invalid value (Compile says so,
// TestCompileErrors) and nothing was compared.
func checkAgainstReference(t *testing.T, name string, inds []Indicator, text []byte) bool {
	t.Helper()
	m, err := Compile(inds, Options{})
	if err != nil {
		return false
	}
	ref := reference{inds: m.inds}
	var got []Match
	m.Scan(text, func(h Match) { got = append(got, h) })
	if diff := cmp.Diff(sortMatches(ref.Scan(text)), sortMatches(got)); diff != "" {
		t.Errorf("%s: indicators %v\ntext %q\nmatches (-reference +scanner):\n%s", name, m.inds, text, diff)
	}
	return true
}

// TestLogScannerMatchesReference runs whole random logs through the
// parallel block pipeline with tiny blocks, so indicators straddle block
// edges and lines outgrow blocks, and checks offsets and line numbers.
func TestLogScannerMatchesReference(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 5))
	compared := 0
	defer func() {
		if compared < 360 && !t.Failed() {
			t.Errorf("only %d of 400 random logs compiled and were compared", compared)
		}
	}()
	for i := range 400 {
		inds, text := randomCase(r)
		for range 4 {
			_, more := randomCase(r)
			text = append(append(text, '\n'), more...)
		}
		m, err := Compile(inds, Options{})
		if err != nil {
			continue
		}
		compared++
		// The reference sees each line alone: matches never span lines.
		var want []Hit
		off := 0
		for n, line := range bytes.Split(text, []byte("\n")) {
			for _, h := range sortMatches(reference{inds: m.inds}.Scan(line)) {
				want = append(want, Hit{Line: int64(n + 1), Offset: int64(off + h.Start), Indicator: m.inds[h.Indicator].Value})
			}
			off += len(line) + 1
		}
		ls := m.NewLogScanner(LogOptions{Workers: 3, BlockSize: 1 + r.IntN(64)})
		var got []Hit
		if err := ls.Scan(context.Background(), "x", bytes.NewReader(text), nil, func(h Hit) {
			got = append(got, Hit{Line: h.Line, Offset: h.Offset, Indicator: h.Indicator})
		}); err != nil {
			t.Fatal(err)
		}
		ls.Close()
		sortHits := func(hs []Hit) []Hit {
			slices.SortFunc(hs, func(a, b Hit) int {
				if a.Offset != b.Offset {
					return int(a.Offset - b.Offset)
				}
				return strings.Compare(a.Indicator, b.Indicator)
			})
			return hs
		}
		if diff := cmp.Diff(sortHits(want), sortHits(got)); diff != "" {
			t.Fatalf("case %d: text %q\nhits (-reference +scanner):\n%s", i, text, diff)
		}
	}
}
