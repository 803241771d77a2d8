package main

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/warroom/warroom/client"
)

// TestEvidenceCLI uploads, registers, transfers and downloads evidence
// from the command line against a real server, then tampers with and
// deletes stored files on disk and checks that warroom evidence verify and
// a download notice, with the documented exit codes.
func TestEvidenceCLI(t *testing.T) {
	for name, flags := range dbArgs(t) {
		t.Run(name, func(t *testing.T) {
			data := t.TempDir()
			if name == "postgres" { // the blobs still live under --data
				flags = append(flags, "--data", data)
			} else {
				data = flags[1]
			}
			srv := startServer(t, flags)
			env := map[string]string{"WARROOM_CONFIG": filepath.Join(t.TempDir(), "config.json"), "WARROOM_TOKEN": "", "WARROOM_SERVER": ""}
			run := func(want int, args ...string) (string, string) {
				t.Helper()
				code, out, errOut := cli(t, env, "", args...)
				if code != want {
					t.Fatalf("warroom %s: exit %d, want %d\n%s%s", strings.Join(args, " "), code, want, out, errOut)
				}
				return out, errOut
			}
			if code, out, errOut := cli(t, env, srv.password+"\n", "login", "--server", srv.url, "--email", "ic@example.test", "--password-stdin"); code != 0 {
				t.Fatalf("login: %d %s %s", code, out, errOut)
			}
			out, _ := run(0, "incident", "declare", "--title", "Data theft", "--type", "data_breach", "--severity", "SEV2", "--plan", "none", "-o", "json")
			var inc client.Incident
			mustJSON(t, out, &inc)

			dir := t.TempDir()
			content := bytes.Repeat([]byte("exfil archive "), 5000)
			sum := sha256.Sum256(content)
			sha := hex.EncodeToString(sum[:])
			file := filepath.Join(dir, "loot.7z")
			if err := os.WriteFile(file, content, 0o600); err != nil {
				t.Fatal(err)
			}
			out, _ = run(0, "evidence", "upload", inc.Ref, file, "--source-host", "fs02", "--method", "copied from the staging share")
			if !strings.Contains(out, "Added EV-1") || !strings.Contains(out, sha) {
				t.Errorf("upload:\n%s", out)
			}
			run(0, "evidence", "register", inc.Ref, "--name", "FS02 disk image", "--location", "forensics NAS", "--sha256", strings.Repeat("1", 64))
			run(exitInvalid, "evidence", "register", inc.Ref, "--name", "bad", "--location", "x", "--md5", "123")
			out, _ = run(0, "evidence", "list", inc.Ref)
			if !strings.Contains(out, "EV-1") || !strings.Contains(out, "EV-2") || !strings.Contains(out, "external") {
				t.Errorf("list:\n%s", out)
			}
			run(0, "evidence", "custody", inc.Ref, "EV-2", "transfer", "--to", "Outside counsel", "--reason", "privileged review")
			run(exitInvalid, "evidence", "custody", inc.Ref, "EV-2", "destroy", "--method", "shredded")
			out, _ = run(0, "evidence", "show", inc.Ref, "EV-2")
			if !strings.Contains(out, "Chain of custody") || !strings.Contains(out, "transferred from") {
				t.Errorf("show:\n%s", out)
			}

			got := filepath.Join(dir, "got.7z")
			run(0, "evidence", "download", inc.Ref, "EV-1", "-o", got, "--reason", "triage")
			if b, err := os.ReadFile(got); err != nil || !bytes.Equal(b, content) {
				t.Fatalf("downloaded file: %v", err)
			}
			run(exitUsage, "evidence", "download", inc.Ref, "EV-1")
			run(exitNotFound, "evidence", "download", inc.Ref, "EV-9", "-o", filepath.Join(dir, "none"))

			local := []string{"evidence", "verify"}
			local = append(local, flags...)
			out, _ = run(0, local...)
			if !strings.Contains(out, "1 item(s) checked") || !strings.Contains(out, "0 changed, 0 missing") {
				t.Errorf("verify of an intact store:\n%s", out)
			}

			blob := filepath.Join(data, "blobs", "sha256", sha[:2], sha[2:4], sha)
			altered := bytes.Clone(content)
			altered[100] ^= 1
			if err := os.Chmod(blob, 0o600); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(blob, altered, 0o600); err != nil {
				t.Fatal(err)
			}
			out, _ = run(exitTampered, local...)
			if !strings.Contains(out, "changed: the stored file now hashes to") || !strings.Contains(out, inc.Ref) {
				t.Errorf("verify of a tampered store:\n%s", out)
			}
			tampered := filepath.Join(dir, "tampered.7z")
			_, errOut := run(exitTampered, "evidence", "download", inc.Ref, "EV-1", "-o", tampered)
			if !strings.Contains(errOut, "the record says "+sha) {
				t.Errorf("download of a tampered file: %s", errOut)
			}
			if _, err := os.Stat(tampered); !os.IsNotExist(err) {
				t.Errorf("a download that failed its SHA-256 check was saved under the asked name: %v", err)
			}

			if err := os.Remove(blob); err != nil {
				t.Fatal(err)
			}
			out, _ = run(exitTampered, append(local, "-o", "json")...)
			var r struct {
				OK      bool `json:"ok"`
				Missing int  `json:"missing"`
			}
			mustJSON(t, out, &r)
			if r.OK || r.Missing != 1 {
				t.Errorf("verify of a store missing a file: %s", out)
			}
		})
	}
}

func TestServeRejectsBadEvidenceLimit(t *testing.T) {
	code, _, errOut := cli(t, nil, "", "serve", "--data", t.TempDir(), "--max-evidence-size", "0")
	if code != exitUsage || !strings.Contains(errOut, "--max-evidence-size") {
		t.Errorf("exit %d: %s", code, errOut)
	}
}
