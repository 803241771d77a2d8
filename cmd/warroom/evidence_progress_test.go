package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/warroom/warroom/client"
)

// TestEvidenceProgress: uploads and downloads draw a progress bar on
// standard error when it is a terminal (forced here with
// WARROOM_PROGRESS=1, since the test's stderr is a buffer), never on
// standard output, and nothing at all when it is not a terminal.
func TestEvidenceProgress(t *testing.T) {
	srv := startServer(t, []string{"--data", t.TempDir()})
	env := map[string]string{"WARROOM_CONFIG": filepath.Join(t.TempDir(), "config.json"), "WARROOM_TOKEN": "", "WARROOM_SERVER": "", "WARROOM_PROGRESS": "1"}
	if code, out, errOut := cli(t, env, srv.password+"\n", "login", "--server", srv.url, "--email", "ic@example.test", "--password-stdin"); code != 0 {
		t.Fatalf("login: %d %s %s", code, out, errOut)
	}
	code, out, errOut := cli(t, env, "", "incident", "declare", "--title", "Loot", "--type", "data_breach", "--severity", "SEV2", "--plan", "none", "-o", "json")
	if code != 0 {
		t.Fatalf("declare: %s %s", out, errOut)
	}
	var inc client.Incident
	mustJSON(t, out, &inc)
	ref := inc.Ref
	file := filepath.Join(t.TempDir(), "loot.7z")
	if err := os.WriteFile(file, bytes.Repeat([]byte("exfil archive "), 5000), 0o600); err != nil {
		t.Fatal(err)
	}
	code, out, errOut = cli(t, env, "", "evidence", "upload", ref, file)
	if code != 0 || !strings.Contains(errOut, "Uploading loot.7z") || !strings.Contains(errOut, "/70 kB") || strings.Contains(out, "Uploading") {
		t.Errorf("upload: exit %d, stderr %q, stdout %q", code, errOut, out)
	}
	got := filepath.Join(t.TempDir(), "got.7z")
	code, _, errOut = cli(t, env, "", "evidence", "download", ref, "EV-1", "-o", got)
	if code != 0 || !strings.Contains(errOut, "Downloading EV-1") || !strings.Contains(errOut, "/70 kB") {
		t.Errorf("download: exit %d, stderr %q", code, errOut)
	}
	env["WARROOM_PROGRESS"] = ""
	if code, _, errOut = cli(t, env, "", "evidence", "download", ref, "EV-1", "-o", got); code != 0 || errOut != "" {
		t.Errorf("not a terminal: exit %d, stderr %q", code, errOut)
	}
}
