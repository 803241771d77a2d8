package sweep

import (
	"bytes"
	"compress/gzip"
	"context"
	"errors"
	"io"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/warroom/warroom/internal/indicator"
)

func scanAll(t *testing.T, m *Matcher, opt LogOptions, r io.Reader) ([]Hit, *Stats) {
	t.Helper()
	ls := m.NewLogScanner(opt)
	defer ls.Close()
	var hits []Hit
	stats := new(Stats)
	if err := ls.Scan(context.Background(), "log", r, stats, func(h Hit) { hits = append(hits, h) }); err != nil {
		t.Fatal(err)
	}
	return hits, stats
}

func testMatcher() *Matcher {
	return MustCompile([]Indicator{
		{Type: indicator.Domain, Value: "evil.com"},
		{Type: indicator.IPv4, Value: "203.0.113.9"},
		{Type: indicator.MD5, Value: "d41d8cd98f00b204e9800998ecf8427e"},
	}, Options{})
}

func TestLogScanHitFields(t *testing.T) {
	log := "Nov 27 01:00:00 web sshd[1]: ok\r\n" +
		"Nov 27 01:00:01 web sshd[1]: Accepted for root from 203.0.113.9 port 22\r\n" +
		`{"ts":"2026-11-27T01:00:02Z","host":"EVIL.com","md5":"D41D8CD98F00B204E9800998ECF8427E"}` + "\n" +
		"no time here evil.com"
	hits, stats := scanAll(t, testMatcher(), LogOptions{Year: 2026}, strings.NewReader(log))
	t1 := time.Date(2026, 11, 27, 1, 0, 1, 0, time.UTC)
	t2 := time.Date(2026, 11, 27, 1, 0, 2, 0, time.UTC)
	want := []Hit{
		{Path: "log", Line: 2, Offset: int64(strings.Index(log, "203.")), Kind: KindContent, Type: indicator.IPv4, Indicator: "203.0.113.9",
			Match: "203.0.113.9", Text: "Nov 27 01:00:01 web sshd[1]: Accepted for root from 203.0.113.9 port 22", Time: &t1},
		{Path: "log", Line: 3, Offset: int64(strings.Index(log, "EVIL")), Kind: KindContent, Type: indicator.Domain, Indicator: "evil.com",
			Match: "EVIL.com", Text: `{"ts":"2026-11-27T01:00:02Z","host":"EVIL.com","md5":"D41D8CD98F00B204E9800998ECF8427E"}`, Time: &t2},
		{Path: "log", Line: 3, Offset: int64(strings.Index(log, "D41D")), Kind: KindContent, Type: indicator.MD5, Indicator: "d41d8cd98f00b204e9800998ecf8427e",
			Match: "D41D8CD98F00B204E9800998ECF8427E", Text: `{"ts":"2026-11-27T01:00:02Z","host":"EVIL.com","md5":"D41D8CD98F00B204E9800998ECF8427E"}`, Time: &t2},
		{Path: "log", Line: 4, Offset: int64(len(log) - 8), Kind: KindContent, Type: indicator.Domain, Indicator: "evil.com",
			Match: "evil.com", Text: "no time here evil.com"},
	}
	if diff := cmp.Diff(want, hits); diff != "" {
		t.Errorf("hits (-want +got):\n%s", diff)
	}
	if stats.Hits.Load() != 4 || stats.Scanned.Load() != int64(len(log)) {
		t.Errorf("stats: %d hits, %d scanned; want 4, %d", stats.Hits.Load(), stats.Scanned.Load(), len(log))
	}
}

func TestLogScanGzipAndLineNumbers(t *testing.T) {
	var plain bytes.Buffer
	var offsets []int64
	for i := range 20000 {
		if i%1000 == 999 {
			offsets = append(offsets, int64(plain.Len()+2))
			plain.WriteString("x 203.0.113.9 y\n")
		} else {
			plain.WriteString("nothing to see on this line at all\n")
		}
	}
	var gz bytes.Buffer
	zw := gzip.NewWriter(&gz)
	zw.Write(plain.Bytes())
	zw.Close()
	for name, r := range map[string]io.Reader{"Plain": bytes.NewReader(plain.Bytes()), "Gzip": bytes.NewReader(gz.Bytes())} {
		t.Run(name, func(t *testing.T) {
			hits, _ := scanAll(t, testMatcher(), LogOptions{Workers: 4, BlockSize: 4096}, r)
			if len(hits) != 20 {
				t.Fatalf("%d hits, want 20", len(hits))
			}
			for k, h := range hits {
				if h.Line != int64(1000*(k+1)) || h.Offset != offsets[k] {
					t.Errorf("hit %d at line %d offset %d, want line %d offset %d", k, h.Line, h.Offset, 1000*(k+1), offsets[k])
				}
			}
		})
	}
}

func TestLogScanLongLineAndTrim(t *testing.T) {
	long := strings.Repeat("a ", 5000) + "evil.com" + strings.Repeat(" b", 5000)
	hits, _ := scanAll(t, testMatcher(), LogOptions{BlockSize: 1024, LineLimit: 40}, strings.NewReader("x\n"+long+"\nevil.com\n"))
	if len(hits) != 2 || hits[0].Line != 2 || hits[1].Line != 3 {
		t.Fatalf("hits %+v; want lines 2 and 3", hits)
	}
	if len(hits[0].Text) != 40 || !strings.Contains(hits[0].Text, "evil.com") {
		t.Errorf("trimmed text %q: want 40 bytes around the match", hits[0].Text)
	}
}

func TestLogScanSkipsBinary(t *testing.T) {
	data := append([]byte("evil.com\x00\x01\x02"), "\nevil.com\n"...)
	hits, stats := scanAll(t, testMatcher(), LogOptions{}, bytes.NewReader(data))
	if len(hits) != 0 || stats.Skipped.Load() != 1 {
		t.Errorf("binary content: %d hits, %d skipped; want 0 and 1", len(hits), stats.Skipped.Load())
	}
	hits, _ = scanAll(t, testMatcher(), LogOptions{Binary: true}, bytes.NewReader(data))
	if len(hits) != 2 {
		t.Errorf("with Binary: %d hits, want 2", len(hits))
	}
}

// endless is an unending log, to show cancellation stops a scan.
type endless struct{}

func (endless) Read(p []byte) (int, error) {
	for i := range p {
		p[i] = "evil.com x\n"[i%11]
	}
	return len(p), nil
}

func TestLogScanCancel(t *testing.T) {
	ls := testMatcher().NewLogScanner(LogOptions{BlockSize: 1 << 16})
	defer ls.Close()
	ctx, cancel := context.WithCancel(context.Background())
	n := 0
	err := ls.Scan(ctx, "log", endless{}, nil, func(Hit) {
		if n++; n == 1000 {
			cancel()
		}
	})
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("Scan = %v, want context.Canceled", err)
	}
}

func TestLogScanBadGzip(t *testing.T) {
	ls := testMatcher().NewLogScanner(LogOptions{})
	defer ls.Close()
	err := ls.Scan(context.Background(), "x.gz", bytes.NewReader([]byte{0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 0, 1, 2, 3}), nil, func(Hit) {})
	if err == nil {
		t.Fatal("corrupt gzip: no error")
	}
}

func TestLogScanJSONLines(t *testing.T) {
	m := MustCompile([]Indicator{
		{Type: indicator.Filepath, Value: `C:\Users\Public\evil.exe`},
		{Type: indicator.Domain, Value: "evil.com"},
		{Type: indicator.URL, Value: "http://evil.com/a"},
	}, Options{Defanged: true})
	line := `{"image":"C:\\Users\\Public\\EVIL.exe","cmd":"x\nevil.com","u":"http:\/\/evil.com\/a","d":"\u0065vil[.]com"}`
	for _, tt := range []struct {
		path string
		want []string
	}{
		{"events.jsonl", []string{`C:\\Users\\Public\\EVIL.exe`, "evil.com", `http:\/\/evil.com\/a`, "evil.com", `\u0065vil[.]com`}},
		{"events.json.gz", []string{`C:\\Users\\Public\\EVIL.exe`, "evil.com", `http:\/\/evil.com\/a`, "evil.com", `\u0065vil[.]com`}},
		// As text, escapes stay: "\nevil.com" and "\u0065vil" are no tokens;
		// only the domain inside the escaped URL is found.
		{"events.log", []string{"evil.com"}},
	} {
		t.Run(tt.path, func(t *testing.T) {
			ls := m.NewLogScanner(LogOptions{})
			defer ls.Close()
			var got []string
			err := ls.Scan(context.Background(), tt.path, strings.NewReader(line+"\n"), nil, func(h Hit) {
				got = append(got, h.Match)
				if line[h.Offset:h.Offset+int64(len(h.Match))] != h.Match {
					t.Errorf("offset %d does not point at %q", h.Offset, h.Match)
				}
			})
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("matches (-want +got):\n%s", diff)
			}
		})
	}
}

// TestLogScanSyslogYear: syslog lines have no year; the file's
// modification time supplies it, and a line later than that (December,
// in a file last written in January) is from the year before.
func TestLogScanSyslogYear(t *testing.T) {
	ls := testMatcher().NewLogScanner(LogOptions{})
	defer ls.Close()
	log := "Dec 31 23:59:00 h x evil.com\nJan  1 00:01:00 h x evil.com\n"
	var got []time.Time
	mod := time.Date(2027, 1, 1, 0, 5, 0, 0, time.UTC)
	if err := ls.ScanModified(context.Background(), "syslog", strings.NewReader(log), mod, nil, func(h Hit) { got = append(got, *h.Time) }); err != nil {
		t.Fatal(err)
	}
	want := []time.Time{time.Date(2026, 12, 31, 23, 59, 0, 0, time.UTC), time.Date(2027, 1, 1, 0, 1, 0, 0, time.UTC)}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("times (-want +got):\n%s", diff)
	}
}
