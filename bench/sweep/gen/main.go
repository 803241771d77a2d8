// Command gen makes the sweep benchmark's inputs and checks its outputs
// (bench/sweep/run.sh drives it; docs/benchmarks.md has the figures).
//
//	gen -out DIR [-size 200M] [-iocs 20000] [-hits 999] [-seed 1]
//
// writes DIR/iocs.txt (hashes, addresses, domains and URLs, one a line,
// usable by both warroom sweep and rg -F -f), DIR/logs/ (a syslog, a web
// access log and a JSON-lines log, about -size bytes together) and
// DIR/manifest.jsonl (every planted hit: file, line, indicator). The same
// flags always give the same bytes.
//
//	gen -check DIR -warroom HITS.jsonl -rg RG.txt
//
// compares warroom's hits and ripgrep's matching lines with the manifest
// and with each other, and exits 1 if a planted hit was missed or the
// sets differ.
package main

import (
	"bufio"
	"encoding/json"
	"flag"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strconv"
	"strings"
)

type planted struct {
	Path      string `json:"path"`
	Line      int64  `json:"line"`
	Indicator string `json:"indicator"`
}

func main() {
	out := flag.String("out", "", "directory to write the corpus to")
	size := flag.String("size", "200M", "corpus size: bytes, or with K, M or G (binary units)")
	nIOCs := flag.Int("iocs", 20000, "indicators to make")
	hits := flag.Int("hits", 999, "hits to plant (spread over the three logs)")
	seed := flag.Uint64("seed", 1, "random seed")
	check := flag.String("check", "", "check the outputs of a run against the corpus in this directory")
	wr := flag.String("warroom", "", "with -check: warroom sweep -o jsonl output")
	rg := flag.String("rg", "", "with -check: rg -n --no-heading --with-filename output")
	flag.Parse()
	var err error
	switch {
	case *check != "":
		err = doCheck(*check, *wr, *rg)
	case *out != "":
		var n int64
		if n, err = parseSize(*size); err == nil {
			err = generate(*out, n, *nIOCs, *hits, *seed)
		}
	default:
		err = fmt.Errorf("give -out DIR to generate or -check DIR to check")
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "gen:", err)
		os.Exit(1)
	}
}

func parseSize(s string) (int64, error) {
	mult := int64(1)
	switch {
	case strings.HasSuffix(s, "G"):
		mult, s = 1<<30, strings.TrimSuffix(s, "G")
	case strings.HasSuffix(s, "M"):
		mult, s = 1<<20, strings.TrimSuffix(s, "M")
	case strings.HasSuffix(s, "K"):
		mult, s = 1<<10, strings.TrimSuffix(s, "K")
	}
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil || n <= 0 {
		return 0, fmt.Errorf("-size %q: give a positive number of bytes, optionally with K, M or G", s)
	}
	return n * mult, nil
}

// iocSet is the generated indicators by kind, to plant them where each
// kind appears in real logs.
type iocSet struct {
	hashes, ips, domains, urls []string
}

func (s *iocSet) all() []string {
	var v []string
	for _, l := range [][]string{s.hashes, s.ips, s.domains, s.urls} {
		v = append(v, l...)
	}
	return v
}

const letters = "abcdefghijklmnopqrstuvwxyz"

func word(r *rand.Rand) string {
	b := make([]byte, 6+r.IntN(8))
	for i := range b {
		b[i] = letters[r.IntN(26)]
	}
	return string(b)
}

func hexs(r *rand.Rand, n int) string {
	const digits = "0123456789abcdef"
	b := make([]byte, n)
	for i := range b {
		b[i] = digits[r.IntN(16)]
	}
	return string(b)
}

// makeIOCs makes n indicators: 40% hashes (SHA-256, MD5, SHA-1), 30%
// public IPv4 addresses, 20% domains, 10% URLs. None can occur in the
// generated background text: addresses there are in 10.0.0.0/8, host
// names under example.com, hashes are lines' own random hex of other
// lengths.
func makeIOCs(n int, r *rand.Rand) iocSet {
	var s iocSet
	seen := map[string]bool{}
	for i := 0; len(seen) < n; i++ {
		var v string
		var list *[]string
		switch k := i % 10; {
		case k < 2:
			v, list = hexs(r, 64), &s.hashes
		case k < 3:
			v, list = hexs(r, 32), &s.hashes
		case k < 4:
			v, list = hexs(r, 40), &s.hashes
		case k < 7:
			v, list = fmt.Sprintf("%d.%d.%d.%d", 11+r.IntN(180), r.IntN(256), r.IntN(256), 1+r.IntN(254)), &s.ips
		case k < 9:
			v, list = word(r)+"."+[]string{"com", "net", "org", "info", "ru"}[r.IntN(5)], &s.domains
		default:
			v, list = "http://"+word(r)+".top/"+word(r)+".php", &s.urls
		}
		if !seen[v] {
			seen[v] = true
			*list = append(*list, v)
		}
	}
	return s
}

func generate(dir string, size int64, n, hits int, seed uint64) error {
	r := rand.New(rand.NewPCG(seed, 0x5eed))
	if err := os.MkdirAll(filepath.Join(dir, "logs"), 0o755); err != nil {
		return err
	}
	iocs := makeIOCs(n, r)
	var sb strings.Builder
	for _, v := range iocs.all() {
		sb.WriteString(v + "\n")
	}
	if err := os.WriteFile(filepath.Join(dir, "iocs.txt"), []byte(sb.String()), 0o644); err != nil {
		return err
	}
	mf, err := os.Create(filepath.Join(dir, "manifest.jsonl"))
	if err != nil {
		return err
	}
	defer mf.Close()
	enc := json.NewEncoder(mf)
	total := 0
	for i, name := range []string{"syslog.log", "access.log", "app.jsonl"} {
		k, err := writeLog(filepath.Join(dir, "logs", name), i, size/3, hits/3+boolInt(i < hits%3), r, &iocs, func(p planted) error {
			p.Path = filepath.Join("logs", name)
			return enc.Encode(p)
		})
		if err != nil {
			return err
		}
		total += k
	}
	fmt.Printf("wrote %d indicators, %d bytes of logs, %d planted hits in %s\n", n, size, total, dir)
	return nil
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

var (
	users = []string{"alice", "bob", "svc-backup", "www-data", "root", "deploy"}
	paths = []string{"/index.html", "/api/v1/items?id=42", "/static/app.js", "/login", "/images/logo.png", "/cart/checkout"}
	procs = []string{"sshd", "sudo", "cron", "systemd", "kernel", "postfix/smtpd"}
)

// writeLog writes about size bytes of one kind of log (0 syslog, 1 web
// access, 2 JSON lines) with hits planted at evenly spread lines.
func writeLog(path string, kind int, size int64, hits int, r *rand.Rand, iocs *iocSet, plant func(planted) error) (int, error) {
	f, err := os.Create(path)
	if err != nil {
		return 0, err
	}
	w := bufio.NewWriterSize(f, 1<<20)
	const avgLine = 300 // a little above the real average, so every hit is planted
	every := max(1, size/avgLine/int64(max(hits, 1)))
	var written int64
	done := 0
	buf := make([]byte, 0, 512)
	for line := int64(1); written < size; line++ {
		ip := "10." + strconv.Itoa(r.IntN(256)) + "." + strconv.Itoa(r.IntN(256)) + "." + strconv.Itoa(r.IntN(256))
		host := "app-" + strconv.Itoa(r.IntN(50)) + ".corp.example.com"
		url := "https://www.example.com" + paths[r.IntN(len(paths))]
		sum := hexs(r, 48) // no indicator has 48 hex digits
		ind := ""
		if done < hits && line%every == every/2 {
			// Plant a hit where its kind naturally appears.
			switch r.IntN(4) {
			case 0:
				ind = iocs.ips[r.IntN(len(iocs.ips))]
				ip = ind
			case 1:
				ind = iocs.domains[r.IntN(len(iocs.domains))]
				host = ind
			case 2:
				ind = iocs.urls[r.IntN(len(iocs.urls))]
				url = ind
			default:
				ind = iocs.hashes[r.IntN(len(iocs.hashes))]
				sum = ind
			}
			done++
			if err := plant(planted{Line: line, Indicator: ind}); err != nil {
				return 0, err
			}
		}
		min, sec := r.IntN(60), r.IntN(60)
		buf = buf[:0]
		switch kind {
		case 0:
			buf = fmt.Appendf(buf, "Nov 27 01:%02d:%02d %s %s[%d]: Accepted publickey for %s from %s port %d ssh2 via %s digest %s\n",
				min, sec, host, procs[r.IntN(len(procs))], 1000+r.IntN(30000), users[r.IntN(len(users))], ip, 1024+r.IntN(60000), url, sum)
		case 1:
			buf = fmt.Appendf(buf, "%s - %s [27/Nov/2026:01:%02d:%02d +0000] \"GET %s HTTP/1.1\" 200 %d \"%s\" \"Mozilla/5.0 (X11; Linux x86_64) %s\" %s\n",
				ip, users[r.IntN(len(users))], min, sec, paths[r.IntN(len(paths))], r.IntN(100000), url, host, sum)
		default:
			buf = fmt.Appendf(buf, `{"ts":"2026-11-27T01:%02d:%02d.%03dZ","level":"info","host":"%s","src":"%s","user":"%s","msg":"request done","url":"%s","dur_ms":%d,"sha":"%s"}`+"\n",
				min, sec, r.IntN(1000), host, ip, users[r.IntN(len(users))], url, r.IntN(2000), sum)
		}
		n, err := w.Write(buf)
		if err != nil {
			return 0, err
		}
		written += int64(n)
	}
	if err := w.Flush(); err != nil {
		return 0, err
	}
	return done, f.Close()
}

// doCheck compares the hit lines of both tools and the manifest.
func doCheck(dir, wrPath, rgPath string) error {
	want := map[string]bool{}
	if err := eachLine(filepath.Join(dir, "manifest.jsonl"), func(l string) error {
		var p planted
		if err := json.Unmarshal([]byte(l), &p); err != nil {
			return err
		}
		want[filepath.Join(dir, p.Path)+":"+strconv.FormatInt(p.Line, 10)] = true
		return nil
	}); err != nil {
		return err
	}
	wr := map[string]bool{}
	if err := eachLine(wrPath, func(l string) error {
		var h struct {
			Path string `json:"path"`
			Line int64  `json:"line"`
		}
		if err := json.Unmarshal([]byte(l), &h); err != nil {
			return err
		}
		wr[h.Path+":"+strconv.FormatInt(h.Line, 10)] = true
		return nil
	}); err != nil {
		return err
	}
	rg := map[string]bool{}
	if err := eachLine(rgPath, func(l string) error {
		p, rest, _ := strings.Cut(l, ":")
		n, _, _ := strings.Cut(rest, ":")
		rg[p+":"+n] = true
		return nil
	}); err != nil {
		return err
	}
	missed := 0
	for k := range want {
		if !wr[k] {
			missed++
			if missed <= 5 {
				fmt.Println("  warroom missed planted hit", k)
			}
		}
	}
	onlyW, onlyR := diff(wr, rg), diff(rg, wr)
	fmt.Printf("planted hits: %d; found by warroom: %d (missed %d); lines with hits: warroom %d, rg %d\n",
		len(want), len(want)-missed, missed, len(wr), len(rg))
	fmt.Printf("hit sets agree: %v (only warroom: %d, only rg: %d)\n", onlyW == 0 && onlyR == 0, onlyW, onlyR)
	if missed > 0 || onlyW > 0 || onlyR > 0 {
		return fmt.Errorf("the hits differ")
	}
	return nil
}

func diff(a, b map[string]bool) int {
	n := 0
	for k := range a {
		if !b[k] {
			n++
			if n <= 5 {
				fmt.Println("  only in one tool:", k)
			}
		}
	}
	return n
}

func eachLine(path string, fn func(string) error) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		if err := fn(sc.Text()); err != nil {
			return fmt.Errorf("%s: %w", path, err)
		}
	}
	return sc.Err()
}
