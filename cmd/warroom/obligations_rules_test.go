package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

const ownRules = `version: 1
rules:
  # MSA section 12.3
  - id: acme-customer-48h
    title: Notify affected customers under the master services agreement
    jurisdiction: contract
    regime: MSA section 12.3
    recipient: {kind: customers, name: Affected customers}
    applies: {personal_data: true}
    clock: {event: awareness}
    deadline: {hours: 48, basis: contract, text: Within 48 hours of awareness}
    citations: [{title: MSA 12.3, url: "https://contracts.example/msa"}]
    confidence: high
    status: in_force
`

// TestObligationRulesUploadDownloadCLI puts an organisation's own rules on
// the server and back, checks an incident is evaluated against them
// exactly as the offline command with --rules does, and the exit codes
// for a bad file and a stale version.
func TestObligationRulesUploadDownloadCLI(t *testing.T) {
	for name, flags := range dbArgs(t) {
		t.Run(name, func(t *testing.T) {
			srv := startServer(t, flags)
			dir := t.TempDir()
			env := map[string]string{"WARROOM_CONFIG": filepath.Join(dir, "config.json"), "WARROOM_TOKEN": "", "WARROOM_SERVER": ""}
			if code, out, errOut := cli(t, env, srv.password+"\n", "login", "--server", srv.url, "--email", "ic@example.test", "--password-stdin"); code != 0 {
				t.Fatalf("login: %d %s %s", code, out, errOut)
			}
			if code, out, errOut := cli(t, env, "", "obligations", "rules", "download"); code != 0 || out != "" || !strings.Contains(errOut, "no rules of its own") {
				t.Errorf("download before any upload: %d %q %s", code, out, errOut)
			}
			own := filepath.Join(dir, "own.yaml")
			_ = os.WriteFile(own, []byte(ownRules), 0o600)
			if code, out, errOut := cli(t, env, "", "obligations", "rules", "upload", own); code != 0 || !strings.Contains(out, "version 1: 1 rule(s) (acme-customer-48h)") {
				t.Fatalf("upload: %d %s %s", code, out, errOut)
			}
			if code, out, errOut := cli(t, env, "", "obligations", "rules", "download"); code != 0 || out != ownRules {
				t.Errorf("download to standard output: %d %q %s", code, out, errOut)
			}
			back := filepath.Join(dir, "back.yaml")
			if code, _, errOut := cli(t, env, "", "obligations", "rules", "download", "-O", back); code != 0 || !strings.Contains(errOut, "version 1") {
				t.Errorf("download -O: %d %s", code, errOut)
			}
			if b, _ := os.ReadFile(back); string(b) != ownRules {
				t.Errorf("downloaded file differs from the upload:\n%s", b)
			}

			// The same facts give the same obligations offline with --rules
			// and on an incident of the organisation.
			code, out, _ := cli(t, env, "", "incident", "declare", "--title", "Customer data stolen", "--type", "data_breach", "--severity", "SEV1", "--plan", "none", "-o", "json")
			var inc struct{ Ref string }
			mustJSON(t, out, &inc)
			if code != 0 || inc.Ref == "" {
				t.Fatalf("declare: %d %s", code, out)
			}
			facts := filepath.Join(dir, "facts.yaml")
			_ = os.WriteFile(facts, []byte(obligationsFacts), 0o600)
			if code, out, errOut := cli(t, env, "", "obligations", "facts", inc.Ref, "--set", facts); code != 0 {
				t.Fatalf("set facts: %d %s %s", code, out, errOut)
			}
			type ob struct{ Rule, Recipient, Status, Due, Explanation, Origin string }
			var offline, online struct{ Obligations []ob }
			_, out, _ = cli(t, env, "", "obligations", "evaluate", "--facts", facts, "--rules", own, "--all", "-o", "json")
			mustJSON(t, out, &offline)
			_, out, _ = cli(t, env, "", "obligations", "list", inc.Ref, "--all", "-o", "json")
			mustJSON(t, out, &online)
			if len(offline.Obligations) != 66 || len(online.Obligations) != 66 {
				t.Fatalf("%d obligations offline, %d on the incident; want 66", len(offline.Obligations), len(online.Obligations))
			}
			found := false
			for i := range offline.Obligations {
				a, b := offline.Obligations[i], online.Obligations[i]
				if a.Rule != b.Rule || a.Status != b.Status || a.Due != b.Due || a.Explanation != b.Explanation {
					t.Errorf("obligation %d differs:\nCLI %+v\nAPI %+v", i, a, b)
				}
				if b.Rule == "acme-customer-48h" {
					found = b.Origin == "organisation" && b.Due == "2026-11-22T09:00:00Z"
				}
			}
			if !found {
				t.Error("the incident's obligations lack acme-customer-48h from the organisation, due 2026-11-22T09:00:00Z")
			}
			// The table marks the organisation's own rules.
			if _, out, _ = cli(t, env, "", "obligations", "list", inc.Ref, "--all"); !strings.Contains(out, "acme-customer-48h (yours)") {
				t.Errorf("table:\n%s", out)
			}

			// A bad file: the problem names the file, line and column;
			// nothing changes.
			bad := filepath.Join(dir, "bad.yaml")
			_ = os.WriteFile(bad, []byte(strings.Replace(ownRules, "event: awareness", "event: tea", 1)), 0o600)
			if code, _, errOut := cli(t, env, "", "obligations", "rules", "upload", bad); code != exitInvalid || !strings.Contains(errOut, bad+":10:20") {
				t.Errorf("bad file: exit %d: %s", code, errOut)
			}
			if code, _, errOut := cli(t, env, "", "obligations", "rules", "upload", own, "--if-version", "7"); code != exitConflict {
				t.Errorf("stale --if-version: exit %d: %s", code, errOut)
			}
			if code, out, errOut := cli(t, env, "", "obligations", "rules", "upload", "-", "--if-version", "1", "-o", "json"); code != exitInvalid || out != "" {
				t.Errorf("empty standard input: exit %d %s %s", code, out, errOut)
			}
			if code, out, _ := cli(t, env, "", "obligations", "rules", "download", "-o", "json"); code != 0 || !strings.Contains(out, `"version": 1`) || !strings.Contains(out, `"origin": "organisation"`) {
				t.Errorf("download -o json after refused uploads: %d %s", code, out)
			}
		})
	}
}
