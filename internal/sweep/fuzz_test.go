package sweep

import (
	"bytes"
	"context"
	"slices"
	"testing"

	"github.com/warroom/warroom/internal/indicator"
)

// fuzzSet holds one indicator of each shape, with overlaps.
var fuzzSet = []Indicator{
	{Type: indicator.Domain, Value: "evil.com", Subdomains: true},
	{Type: indicator.Domain, Value: "a.evil.com"},
	{Type: indicator.URL, Value: "http://evil.com/x"},
	{Type: indicator.Email, Value: "bob@evil.com"},
	{Type: indicator.MD5, Value: "d41d8cd98f00b204e9800998ecf8427e"},
	{Type: indicator.Filename, Value: "a.exe"},
	{Type: indicator.Filepath, Value: "/tmp/x"},
	{Type: indicator.IPv4, Value: "10.0.0.1"},
	{Type: indicator.CIDR, Value: "192.168.0.0/30"},
	{Type: indicator.IPv6, Value: "2001:db8::1"},
	{Type: indicator.CIDR, Value: "fe80::/64"},
}

// FuzzLogScan feeds arbitrary bytes through the block pipeline with a
// fuzzed block size and checks every hit against the reference matcher
// run line by line: same offsets, same lines, nothing more or less.
func FuzzLogScan(f *testing.F) {
	f.Add([]byte("evil.com\n10.0.0.1 a.exe"), uint8(3))
	m := MustCompile(fuzzSet, Options{})
	ref := reference{inds: m.inds}
	f.Fuzz(func(t *testing.T, data []byte, block uint8) {
		type hit struct {
			line, off int64
			ind       string
		}
		var want []hit
		off := 0
		for n, line := range bytes.Split(data, []byte("\n")) {
			for _, h := range ref.Scan(line) {
				want = append(want, hit{int64(n + 1), int64(off + h.Start), m.inds[h.Indicator].Value})
			}
			off += len(line) + 1
		}
		ls := m.NewLogScanner(LogOptions{Workers: 2, BlockSize: int(block) + 1, Binary: true})
		defer ls.Close()
		var got []hit
		err := ls.Scan(context.Background(), "f", bytes.NewReader(data), nil, func(h Hit) {
			got = append(got, hit{h.Line, h.Offset, h.Indicator})
			if string(data[h.Offset:h.Offset+int64(len(h.Match))]) != h.Match {
				t.Errorf("match %q is not the text at offset %d", h.Match, h.Offset)
			}
		})
		if err != nil && !(len(data) >= 2 && data[0] == 0x1f && data[1] == 0x8b) {
			t.Fatal(err)
		}
		if err != nil || len(data) >= 2 && data[0] == 0x1f && data[1] == 0x8b {
			return // read as gzip: the reference does not decompress
		}
		cmp := func(a, b hit) int {
			if a.off != b.off {
				return int(a.off - b.off)
			}
			return bytes.Compare([]byte(a.ind), []byte(b.ind))
		}
		slices.SortFunc(want, cmp)
		slices.SortFunc(got, cmp)
		if !slices.Equal(want, got) {
			t.Errorf("data %q\nreference %v\nscanner   %v", data, want, got)
		}
	})
}

// FuzzParseTime: any line parses or not without panicking, and a time it
// finds is a real one within the years it accepts.
func FuzzParseTime(f *testing.F) {
	f.Add([]byte("2026-11-27T01:31:31.123+02:00 x"))
	f.Fuzz(func(t *testing.T, line []byte) {
		tm, ok := ParseTime(line, 2026, nil)
		if ok && (tm.Year() < 1969 || tm.Year() > 10000) {
			t.Errorf("ParseTime(%q) = %v: outside the accepted years", line, tm)
		}
	})
}

// FuzzScanJSONLines: undoing escapes (and defanging) never panics, and
// every match maps back to a non-empty span of the line as written.
func FuzzScanJSONLines(f *testing.F) {
	f.Add([]byte(`{"a":"C:\\x\\a.exe","b":"\u0065vil[.]com\ud83d\ude00","c":"\/tmp\/x"}`))
	m := MustCompile(append(slices.Clone(fuzzSet), Indicator{Type: indicator.Filepath, Value: `C:\x\a.exe`}), Options{Defanged: true})
	f.Fuzz(func(t *testing.T, data []byte) {
		m.ScanJSONLines(data, func(h Match) {
			if h.Start < 0 || h.End > len(data) || h.Start >= h.End || bytes.IndexByte(data[h.Start:h.End], '\n') >= 0 {
				t.Errorf("match [%d,%d) in %d bytes %q", h.Start, h.End, len(data), data)
			}
		})
	})
}
