package sweep

import (
	"fmt"
	"math/rand/v2"
	"runtime"
	"strings"
	"testing"

	"github.com/warroom/warroom/internal/indicator"
)

// benchIndicators makes n mixed indicators: hashes, addresses, networks,
// domains and URLs, in the proportions of a typical threat feed.
func benchIndicators(n int, r *rand.Rand) []Indicator {
	hex := func(k int) string {
		const digits = "0123456789abcdef"
		b := make([]byte, k)
		for i := range b {
			b[i] = digits[r.IntN(16)]
		}
		return string(b)
	}
	word := func() string {
		const letters = "abcdefghijklmnopqrstuvwxyz"
		b := make([]byte, 5+r.IntN(8))
		for i := range b {
			b[i] = letters[r.IntN(26)]
		}
		return string(b)
	}
	inds := make([]Indicator, 0, n)
	for i := range n {
		switch i % 10 {
		case 0, 1:
			inds = append(inds, Indicator{Type: indicator.SHA256, Value: hex(64)})
		case 2:
			inds = append(inds, Indicator{Type: indicator.MD5, Value: hex(32)})
		case 3:
			inds = append(inds, Indicator{Type: indicator.SHA1, Value: hex(40)})
		case 4, 5:
			inds = append(inds, Indicator{Type: indicator.IPv4, Value: fmt.Sprintf("%d.%d.%d.%d", 1+r.IntN(223), r.IntN(256), r.IntN(256), 1+r.IntN(254))})
		case 6:
			inds = append(inds, Indicator{Type: indicator.Domain, Value: word() + "." + word() + ".com", Subdomains: true})
		case 7:
			inds = append(inds, Indicator{Type: indicator.Domain, Value: word() + ".net"})
		case 8:
			inds = append(inds, Indicator{Type: indicator.URL, Value: "http://" + word() + ".org/" + word() + ".php"})
		case 9:
			inds = append(inds, Indicator{Type: indicator.CIDR, Value: fmt.Sprintf("%d.%d.%d.0/24", 1+r.IntN(223), r.IntN(256), r.IntN(256))})
		}
	}
	return inds
}

// benchCorpus makes about size bytes of syslog, web access and JSON lines
// with no indicator in them (the common case: most lines are clean).
func benchCorpus(size int, r *rand.Rand) []byte {
	var sb strings.Builder
	users := []string{"alice", "bob", "svc-backup", "www-data", "root"}
	paths := []string{"/index.html", "/api/v1/items?id=42", "/static/app.js", "/login", "/images/logo.png"}
	for sb.Len() < size {
		ip := fmt.Sprintf("10.%d.%d.%d", r.IntN(256), r.IntN(256), r.IntN(256))
		switch r.IntN(3) {
		case 0:
			fmt.Fprintf(&sb, "Nov 27 01:%02d:%02d web-01 sshd[%d]: Accepted publickey for %s from %s port %d ssh2: RSA SHA256:%x\n",
				r.IntN(60), r.IntN(60), 1000+r.IntN(30000), users[r.IntN(len(users))], ip, 1024+r.IntN(60000), r.Uint64())
		case 1:
			fmt.Fprintf(&sb, "%s - - [27/Nov/2026:01:%02d:%02d +0000] \"GET %s HTTP/1.1\" 200 %d \"https://www.example.com/\" \"Mozilla/5.0 (X11; Linux x86_64)\"\n",
				ip, r.IntN(60), r.IntN(60), paths[r.IntN(len(paths))], r.IntN(100000))
		default:
			fmt.Fprintf(&sb, `{"ts":"2026-11-27T01:%02d:%02d.%03dZ","level":"info","host":"app-%02d.corp.example.com","src":"%s","msg":"request done","dur_ms":%d,"trace":"%016x"}`+"\n",
				r.IntN(60), r.IntN(60), r.IntN(1000), r.IntN(50), ip, r.IntN(2000), r.Uint64())
		}
	}
	return []byte(sb.String())
}

// BenchmarkScan scans 16 MiB of clean mixed logs on one core with 1,000
// to 1,000,000 indicators, reporting MB/s and the matcher's heap size
// (docs/benchmarks.md).
func BenchmarkScan(b *testing.B) {
	corpus := benchCorpus(16<<20, rand.New(rand.NewPCG(1, 2)))
	for _, n := range []int{1_000, 10_000, 100_000, 1_000_000} {
		b.Run(fmt.Sprintf("indicators=%d", n), func(b *testing.B) {
			if testing.Short() && n > 100_000 {
				b.Skip("-short: a million indicators take seconds to build")
			}
			inds := benchIndicators(n, rand.New(rand.NewPCG(3, 4)))
			var before, after runtime.MemStats
			runtime.GC()
			runtime.ReadMemStats(&before)
			m := MustCompile(inds, Options{})
			runtime.GC()
			runtime.ReadMemStats(&after)
			heap := float64(after.HeapAlloc-before.HeapAlloc) / (1 << 20)
			b.SetBytes(int64(len(corpus)))
			b.ResetTimer()
			hits := 0
			for b.Loop() {
				m.Scan(corpus, func(Match) { hits++ })
			}
			b.ReportMetric(heap, "MiB-matcher")
			runtime.KeepAlive(m)
		})
	}
}

// BenchmarkCompile measures building the matcher, which a sweep pays once.
func BenchmarkCompile(b *testing.B) {
	for _, n := range []int{10_000, 1_000_000} {
		b.Run(fmt.Sprintf("indicators=%d", n), func(b *testing.B) {
			if testing.Short() && n > 100_000 {
				b.Skip("-short: a million indicators take seconds to build")
			}
			inds := benchIndicators(n, rand.New(rand.NewPCG(3, 4)))
			for b.Loop() {
				MustCompile(inds, Options{})
			}
		})
	}
}
