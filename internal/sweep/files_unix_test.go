//go:build unix

package sweep

import (
	"os"
	"path/filepath"
	"syscall"
	"testing"
	"time"

	"github.com/warroom/warroom/internal/indicator"
)

// TestFileSweepSpecialAndUnreadable: a FIFO must be skipped, not opened
// (opening one waits for a writer), and an unreadable file reported
// while the sweep goes on.
func TestFileSweepSpecialAndUnreadable(t *testing.T) {
	root := t.TempDir()
	if err := syscall.Mkfifo(filepath.Join(root, "pipe.log"), 0o644); err != nil {
		t.Skip("no FIFOs here:", err)
	}
	write(t, filepath.Join(root, "secret.log"), []byte("evil.com\n"))
	write(t, filepath.Join(root, "z.log"), []byte("evil.com\n"))
	if err := os.Chmod(filepath.Join(root, "secret.log"), 0); err != nil {
		t.Fatal(err)
	}
	m := MustCompile([]Indicator{{Type: indicator.Domain, Value: "evil.com"}}, Options{})
	done := make(chan *sweepResult)
	go func() { done <- runFileSweep(t, m, FileOptions{Content: true}, root) }()
	var res *sweepResult
	select {
	case res = <-done:
	case <-time.After(10 * time.Second):
		t.Fatal("the sweep hangs on the FIFO")
	}
	if res.stats.Skipped.Load() != 1 {
		t.Errorf("%d skipped, want the FIFO", res.stats.Skipped.Load())
	}
	if os.Geteuid() == 0 {
		// root reads a mode-000 file, so there is nothing unreadable.
		if len(res.hits) != 2 {
			t.Errorf("as root: hits %v, want both logs", res.hits)
		}
		return
	}
	if res.errors["secret.log"] == nil || len(res.hits) != 1 || res.hits[0] != "content domain z.log:1" {
		t.Errorf("errors %v, hits %v; want secret.log reported and z.log still swept", res.errors, res.hits)
	}
}

// TestFileSweepReadError: a file whose read fails half way is reported
// and the sweep goes on. /proc/self/mem opens as a regular file even for
// root and fails to read at offset 0 (nothing is mapped there), which is
// what a failing disk looks like too.
func TestFileSweepReadError(t *testing.T) {
	if _, err := os.Stat("/proc/self/mem"); err != nil {
		t.Skip("no /proc/self/mem here")
	}
	root := t.TempDir()
	write(t, filepath.Join(root, "a.log"), []byte("evil.com\n"))
	if err := os.Symlink("/proc/self/mem", filepath.Join(root, "b.log")); err != nil {
		t.Fatal(err)
	}
	write(t, filepath.Join(root, "c.log"), []byte("evil.com\n"))
	m := MustCompile([]Indicator{{Type: indicator.Domain, Value: "evil.com"}}, Options{})
	res := runFileSweep(t, m, FileOptions{Content: true, FollowSymlinks: true}, root)
	if res.errors["b.log"] == nil || len(res.hits) != 2 || res.stats.Errors.Load() != 1 {
		t.Errorf("errors %v, hits %v; want b.log reported and a.log and c.log swept", res.errors, res.hits)
	}
}
