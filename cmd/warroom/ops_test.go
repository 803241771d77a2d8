package main

import (
	"context"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/warroom/warroom/client"
)

// TestBackupWhileServing backs up the SQLite database while a server
// writes to it, then runs verify on the copy as a restore would.
func TestBackupWhileServing(t *testing.T) {
	data := t.TempDir()
	srv := startServer(t, []string{"--data", data})
	ctx := context.Background()
	c := client.New(srv.url, "")
	tok, err := c.Login(ctx, "ic@example.test", srv.password, "", "backup")
	if err != nil {
		t.Fatal(err)
	}
	c.Token = tok.Token
	i, err := c.DeclareIncident(ctx, client.DeclareInput{Title: "Backup me", Type: "other", Severity: "SEV3"})
	if err != nil {
		t.Fatal(err)
	}
	stop := make(chan struct{})
	done := make(chan struct{})
	go func() { // keep writing during the backup
		defer close(done)
		for {
			select {
			case <-stop:
				return
			default:
			}
			if _, err := c.AddEntry(ctx, i.Ref, client.EntryInput{Text: "still working"}); err != nil {
				return
			}
		}
	}()
	dest := filepath.Join(t.TempDir(), "copy.db")
	code, out, errOut := cli(t, nil, "", "admin", "backup", "--data", data, dest)
	close(stop)
	<-done
	if code != 0 || !strings.Contains(out, "Backed up") {
		t.Fatalf("backup: %d %s %s", code, out, errOut)
	}
	if code, _, errOut := cli(t, nil, "", "admin", "backup", "--data", data, dest); code != exitUsage || !strings.Contains(errOut, "already exists") {
		t.Fatalf("backup over an existing file: %d %s", code, errOut)
	}
	restored := t.TempDir()
	b, err := os.ReadFile(dest)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(restored, "warroom.db"), b, 0o600); err != nil {
		t.Fatal(err)
	}
	code, out, _ = cli(t, nil, "", "verify", "--data", restored)
	if code != 0 || !strings.Contains(out, "1 incident(s) verified, 0 broken") {
		t.Fatalf("verify restored copy: %d %s", code, out)
	}
}

func TestHealthReadyMetrics(t *testing.T) {
	srv := startServer(t, []string{"--data", t.TempDir()})
	get := func(path string) (int, string) {
		resp, err := http.Get(srv.url + path)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(b)
	}
	for path, want := range map[string]string{"/healthz": `"status":"ok"`, "/readyz": `"ready"`} {
		if code, body := get(path); code != 200 || !strings.Contains(body, want) {
			t.Errorf("%s: %d %s", path, code, body)
		}
	}
	get("/api/v1/openapi.json")
	// The request is counted after its response is sent: poll briefly.
	want := `warroom_http_requests_total{route="GET /api/v1/openapi.json",status="200"} 1`
	for start := time.Now(); ; time.Sleep(20 * time.Millisecond) {
		code, body := get("/metrics")
		if code == 200 && strings.Contains(body, want) {
			break
		}
		if time.Since(start) > 5*time.Second {
			t.Fatalf("/metrics has no %s:\n%s", want, body)
		}
	}
}

// TestGracefulShutdownEndsStreams stops a server with an event stream
// open: serve must return promptly instead of waiting for the client.
func TestGracefulShutdownEndsStreams(t *testing.T) {
	srv := startServer(t, []string{"--data", t.TempDir()})
	ctx := context.Background()
	c := client.New(srv.url, "")
	tok, err := c.Login(ctx, "ic@example.test", srv.password, "", "shutdown")
	if err != nil {
		t.Fatal(err)
	}
	c.Token = tok.Token
	streamDone := make(chan error, 1)
	go func() { streamDone <- c.Stream(ctx, "/api/v1/events", "", func(client.Event) error { return nil }) }()
	time.Sleep(300 * time.Millisecond)
	start := time.Now()
	srv.stop()
	select {
	case code := <-srv.done:
		if code != 0 {
			t.Fatalf("serve exited %d", code)
		}
		srv.done <- code // for the cleanup
	case <-time.After(10 * time.Second):
		t.Fatal("serve did not stop within 10s with a stream open")
	}
	if d := time.Since(start); d > 5*time.Second {
		t.Errorf("shutdown took %s", d)
	}
	select {
	case <-streamDone:
	case <-time.After(5 * time.Second):
		t.Error("the stream did not end")
	}
}

func TestServeRejectsBadConfig(t *testing.T) {
	code, _, errOut := cli(t, nil, "", "serve", "--addr", "nonsense", "--log-level", "loud", "--data", t.TempDir())
	if code != exitUsage || !strings.Contains(errOut, "--addr") || !strings.Contains(errOut, "--log-level") {
		t.Fatalf("got %d %s; want both problems reported", code, errOut)
	}
}
