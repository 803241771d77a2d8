package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"io"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/warroom/warroom/internal/db/dbtest"
)

// TestMain lets a test re-run this binary as a child warroom process
// (WARROOM_TEST_CHILD holds its arguments as JSON), so crash tests can
// kill a real server with SIGKILL.
func TestMain(m *testing.M) {
	if args := os.Getenv("WARROOM_TEST_CHILD"); args != "" {
		var argv []string
		if err := json.Unmarshal([]byte(args), &argv); err != nil {
			panic(err)
		}
		os.Exit(run(context.Background(), argv, os.Stdin, os.Stdout, os.Stderr))
	}
	os.Exit(m.Run())
}

// dbArgs returns --data/--db flags for each engine available.
func dbArgs(t *testing.T) map[string][]string {
	out := map[string][]string{"sqlite": {"--data", t.TempDir()}}
	if dbtest.PostgresURL(t) != "" {
		out["postgres"] = []string{"--db", dbtest.FreshPostgres(t)}
	}
	return out
}

// cli runs one warroom command in-process and returns its exit code and output.
func cli(t *testing.T, env map[string]string, stdin string, args ...string) (int, string, string) {
	t.Helper()
	for k, v := range env {
		t.Setenv(k, v)
	}
	var out, errb bytes.Buffer
	code := run(context.Background(), args, strings.NewReader(stdin), &out, &errb)
	return code, out.String(), errb.String()
}

// server is a warroom serve running in this process on a free port.
type server struct {
	url      string
	password string
	stop     context.CancelFunc
	done     chan int
}

func startServer(t *testing.T, dbFlags []string) *server {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	pr, pw := io.Pipe()
	s := &server{stop: cancel, done: make(chan int, 1)}
	args := append([]string{"serve", "--addr", "127.0.0.1:0", "--log-level", "error", "--bootstrap-email", "ic@example.test"}, dbFlags...)
	go func() {
		s.done <- run(ctx, args, strings.NewReader(""), pw, io.Discard)
		pw.Close()
	}()
	ready := make(chan struct{})
	var once sync.Once
	go func() {
		sc := bufio.NewScanner(pr)
		for sc.Scan() {
			line := sc.Text()
			if p, ok := strings.CutPrefix(strings.TrimSpace(line), "password: "); ok {
				s.password = p
			}
			if u, ok := strings.CutPrefix(line, "Warroom is listening on "); ok {
				s.url = u
				once.Do(func() { close(ready) })
			}
		}
	}()
	select {
	case <-ready:
	case code := <-s.done:
		t.Fatalf("serve exited with %d before listening", code)
	case <-time.After(20 * time.Second):
		t.Fatal("serve did not start within 20 seconds")
	}
	t.Cleanup(func() {
		cancel()
		select {
		case <-s.done:
		case <-time.After(10 * time.Second):
			t.Error("serve did not shut down within 10 seconds")
		}
	})
	return s
}

func mustJSON(t *testing.T, s string, v any) {
	t.Helper()
	if err := json.Unmarshal([]byte(s), v); err != nil {
		t.Fatalf("not JSON (%v): %s", err, s)
	}
}
