package sweep

import (
	"bytes"
	"compress/gzip"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/warroom/warroom/internal/indicator"
)

type sweepResult struct {
	mu     sync.Mutex
	hits   []string // kind type path[:line]
	errors map[string]error
	stats  *Stats
}

func runFileSweep(t *testing.T, m *Matcher, opt FileOptions, root string) *sweepResult {
	t.Helper()
	res := &sweepResult{errors: map[string]error{}, stats: new(Stats)}
	opt.OnError = func(p string, err error) {
		res.mu.Lock()
		defer res.mu.Unlock()
		rel, _ := filepath.Rel(root, p)
		res.errors[filepath.ToSlash(rel)] = err
	}
	fs := m.NewFileSweep(opt, res.stats, func(h Hit) {
		res.mu.Lock()
		defer res.mu.Unlock()
		rel, _ := filepath.Rel(root, h.Path)
		s := h.Kind + " " + string(h.Type) + " " + filepath.ToSlash(rel)
		if h.Line > 0 {
			s += ":" + string(rune('0'+h.Line))
		}
		res.hits = append(res.hits, s)
	})
	defer fs.Close()
	if err := fs.Walk(context.Background(), root); err != nil {
		t.Fatal(err)
	}
	slices.Sort(res.hits)
	return res
}

func write(t *testing.T, p string, data []byte) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, data, 0o644); err != nil {
		t.Fatal(err)
	}
}

func TestFileSweep(t *testing.T) {
	root := t.TempDir()
	sample := []byte("MZ pretend this is malware\x00\x01")
	sum := sha256.Sum256(sample)
	write(t, filepath.Join(root, "a", "Evil.EXE"), []byte("hello"))
	write(t, filepath.Join(root, "b", "sample.bin"), sample)
	write(t, filepath.Join(root, "tmp", ".x", "miner"), []byte("#!/bin/sh\n"))
	write(t, filepath.Join(root, "logs", "app.log"), []byte("start\nconnect evil.com ok\n"))
	var gz bytes.Buffer
	zw := gzip.NewWriter(&gz)
	zw.Write([]byte("a\nb\nfrom 203.0.113.9\n"))
	zw.Close()
	write(t, filepath.Join(root, "logs", "old.log.gz"), gz.Bytes())
	// A large sparse file: it must be neither hashed (over the limit) nor
	// read as text (it starts with NUL bytes), so the sweep stays quick.
	big, err := os.Create(filepath.Join(root, "disk.img"))
	if err != nil {
		t.Fatal(err)
	}
	if err := big.Truncate(1 << 30); err != nil {
		t.Fatal(err)
	}
	big.WriteAt([]byte("evil.com"), 1<<29)
	big.Close()
	// Links: a loop back to the root, and one to nothing.
	if err := os.Symlink(root, filepath.Join(root, "a", "loop")); err != nil {
		t.Skip("no symbolic links here:", err)
	}
	os.Symlink(filepath.Join(root, "missing"), filepath.Join(root, "a", "dangling"))
	os.Symlink(filepath.Join(root, "logs", "app.log"), filepath.Join(root, "b", "link.log"))

	m := MustCompile([]Indicator{
		{Type: indicator.Filename, Value: "evil.exe"},
		{Type: indicator.SHA256, Value: hex.EncodeToString(sum[:])},
		{Type: indicator.Filepath, Value: filepath.Join(root, "tmp", ".x")},
		{Type: indicator.Domain, Value: "evil.com"},
		{Type: indicator.IPv4, Value: "203.0.113.9"},
	}, Options{})

	t.Run("Default", func(t *testing.T) {
		start := time.Now()
		res := runFileSweep(t, m, FileOptions{Content: true}, root)
		want := []string{
			"content domain logs/app.log:2",
			"content ipv4 logs/old.log.gz:3",
			"hash sha256 b/sample.bin",
			"name filename a/Evil.EXE",
			"path filepath tmp/.x",
			"path filepath tmp/.x/miner",
		}
		if !slices.Equal(res.hits, want) {
			t.Errorf("hits\n%s\nwant\n%s", strings.Join(res.hits, "\n"), strings.Join(want, "\n"))
		}
		if len(res.errors) != 0 || res.stats.Skipped.Load() != 5 { // 3 links; the content of the sample and the sparse file
			t.Errorf("errors %v, %d skipped; want none and 5", res.errors, res.stats.Skipped.Load())
		}
		if d := time.Since(start); d > 10*time.Second {
			t.Errorf("the sweep took %v: the sparse file was read", d)
		}
	})
	t.Run("FollowSymlinks", func(t *testing.T) {
		res := runFileSweep(t, m, FileOptions{Content: true, FollowSymlinks: true}, root)
		if !errors.Is(res.errors["a/loop"], ErrLoop) {
			t.Errorf("loop: error %v, want ErrLoop", res.errors["a/loop"])
		}
		if !errors.Is(res.errors["a/dangling"], os.ErrNotExist) {
			t.Errorf("dangling link: error %v, want not-exist", res.errors["a/dangling"])
		}
		if !slices.Contains(res.hits, "content domain b/link.log:2") {
			t.Errorf("hits %v: want the linked log's hit", res.hits)
		}
	})
	t.Run("NoContentNoHash", func(t *testing.T) {
		res := runFileSweep(t, m, FileOptions{MaxHashSize: -1}, root)
		want := []string{"name filename a/Evil.EXE", "path filepath tmp/.x", "path filepath tmp/.x/miner"}
		if !slices.Equal(res.hits, want) || res.stats.Hashed.Load() != 0 || res.stats.Scanned.Load() != 0 {
			t.Errorf("hits %v, hashed %d, scanned %d; want %v and nothing read", res.hits, res.stats.Hashed.Load(), res.stats.Scanned.Load(), want)
		}
	})
}

func TestFileSweepCancel(t *testing.T) {
	root := t.TempDir()
	for i := range 50 {
		write(t, filepath.Join(root, "d", string(rune('a'+i%26))+string(rune('a'+i/26))+".log"), []byte("evil.com\n"))
	}
	m := MustCompile([]Indicator{{Type: indicator.Domain, Value: "evil.com"}}, Options{})
	ctx, cancel := context.WithCancel(context.Background())
	stats := new(Stats)
	fs := m.NewFileSweep(FileOptions{Content: true}, stats, func(Hit) { cancel() })
	defer fs.Close()
	if err := fs.Walk(ctx, root); !errors.Is(err, context.Canceled) {
		t.Fatalf("Walk = %v, want context.Canceled", err)
	}
	if n := stats.Files.Load(); n == 0 || n >= 50 {
		t.Errorf("%d files finished; want the sweep to stop early", n)
	}
}
