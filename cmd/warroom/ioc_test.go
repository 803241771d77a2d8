package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/warroom/warroom/client"
)

const report = `Initial access: phishing from billing[at]invoices-secure[.]com
Payload: hxxps://cdn.evil-update[.]top/a.zip (SHA256 275a021bbfb6489e54d471899f7db9d1663fc695ec2fe2a2c4538aabf651fd0f)
Lateral movement from 10.0.4.2; agent version 1.2.3.4; report.pdf attached
`

// TestIOCExtractCLI runs warroom ioc extract with no server and no
// sign-in: JSON for scripts, a table for people, and a file argument.
func TestIOCExtractCLI(t *testing.T) {
	env := map[string]string{"WARROOM_CONFIG": filepath.Join(t.TempDir(), "none.json"), "WARROOM_TOKEN": "", "WARROOM_SERVER": ""}
	code, out, errOut := cli(t, env, report, "ioc", "extract", "-o", "json")
	if code != 0 {
		t.Fatalf("exit %d: %s%s", code, out, errOut)
	}
	var got struct {
		Items []client.Candidate `json:"items"`
	}
	mustJSON(t, out, &got)
	want := []client.Candidate{
		{Type: "email", Value: "billing@invoices-secure.com", Raw: "billing[at]invoices-secure[.]com", Line: 1, Suggest: true},
		{Type: "url", Value: "https://cdn.evil-update.top/a.zip", Raw: "hxxps://cdn.evil-update[.]top/a.zip", Line: 2, Suggest: true},
		{Type: "sha256", Value: "275a021bbfb6489e54d471899f7db9d1663fc695ec2fe2a2c4538aabf651fd0f", Raw: "275a021bbfb6489e54d471899f7db9d1663fc695ec2fe2a2c4538aabf651fd0f", Line: 2, Suggest: true},
		{Type: "ipv4", Value: "10.0.4.2", Raw: "10.0.4.2", Line: 3, Note: "private address (RFC 1918)"},
		{Type: "ipv4", Value: "1.2.3.4", Raw: "1.2.3.4", Line: 3, Note: `looks like a version number (after "version")`},
	}
	if len(got.Items) != len(want) {
		t.Fatalf("items:\n%s", out)
	}
	for i := range want {
		if got.Items[i] != want[i] {
			t.Errorf("item %d: %+v, want %+v", i, got.Items[i], want[i])
		}
	}
	if !strings.Contains(out, `"suggest": false`) || !strings.Contains(out, `"raw": "billing[at]invoices-secure[.]com"`) {
		t.Errorf("JSON lacks the documented fields:\n%s", out)
	}

	file := filepath.Join(t.TempDir(), "report.txt")
	if err := os.WriteFile(file, []byte(report), 0o600); err != nil {
		t.Fatal(err)
	}
	code, out, errOut = cli(t, env, "", "ioc", "extract", file)
	if code != 0 || !strings.Contains(out, "LINE") || !strings.Contains(out, "https://cdn.evil-update.top/a.zip") ||
		!strings.Contains(out, "private address") || !strings.Contains(errOut, "5 found, 2 flagged") {
		t.Errorf("table: %d\n%s%s", code, out, errOut)
	}
	if code, _, _ := cli(t, env, "", "ioc", "extract", filepath.Join(t.TempDir(), "missing.txt")); code != exitUsage {
		t.Errorf("missing file: exit %d", code)
	}
	if code, out, _ := cli(t, env, "", "ioc", "extract", "-o", "json"); code != 0 || strings.TrimSpace(out) != `{
  "items": []
}` {
		t.Errorf("empty input: %d %s", code, out)
	}
}

// TestIOCCLI adds and lists indicators against a real server.
func TestIOCCLI(t *testing.T) {
	for name, flags := range dbArgs(t) {
		t.Run(name, func(t *testing.T) {
			srv := startServer(t, flags)
			env := map[string]string{"WARROOM_CONFIG": filepath.Join(t.TempDir(), "config.json"), "WARROOM_TOKEN": "", "WARROOM_SERVER": ""}
			if code, out, errOut := cli(t, env, srv.password+"\n", "login", "--server", srv.url, "--email", "ic@example.test", "--password-stdin"); code != 0 {
				t.Fatalf("login: %d %s %s", code, out, errOut)
			}
			run := func(want int, args ...string) (string, string) {
				t.Helper()
				code, out, errOut := cli(t, env, "", args...)
				if code != want {
					t.Fatalf("warroom %s: exit %d, want %d\n%s%s", strings.Join(args, " "), code, want, out, errOut)
				}
				return out, errOut
			}
			out, _ := run(0, "incident", "declare", "--title", "Phishing wave", "--type", "business_email_compromise", "--severity", "SEV3", "--plan", "none", "-o", "json")
			var inc client.Incident
			mustJSON(t, out, &inc)

			out, _ = run(0, "ioc", "add", inc.Ref, "domain", "Invoices-Secure.COM.", "--tag", "phishing", "--tag", "BEC", "--confidence", "80",
				"--source", "mail gateway", "--tlp", "amber", "-o", "json")
			var x client.Indicator
			mustJSON(t, out, &x)
			if x.Value != "invoices-secure.com" || x.Confidence != 80 || x.TLP != "amber" || !x.IsIOC || strings.Join(x.Tags, ",") != "phishing,bec" {
				t.Fatalf("added: %+v", x)
			}
			if out, _ = run(0, "ioc", "add", inc.Ref, "domain", "invoices-secure.com", "--note", "second mail"); !strings.Contains(out, "merged this sighting") {
				t.Errorf("re-add: %s", out)
			}
			run(0, "ioc", "add", inc.Ref, "ipv4", "10.0.4.2", "--artifact")
			_, errOut := run(exitInvalid, "ioc", "add", inc.Ref, "ipv4", "10.0.4.256")
			if !strings.Contains(errOut, "value:") || !strings.Contains(errOut, "more than 255") {
				t.Errorf("bad value: %s", errOut)
			}
			out, _ = run(0, "ioc", "list", inc.Ref)
			if !strings.Contains(out, "invoices-secure.com") || !strings.Contains(out, "artifact") || !strings.Contains(out, "phishing,bec") {
				t.Errorf("list:\n%s", out)
			}
			out, _ = run(0, "ioc", "list", inc.Ref, "--type", "domain", "-o", "json")
			var page client.Page[client.Indicator]
			mustJSON(t, out, &page)
			if len(page.Items) != 1 || page.Items[0].Note != "second mail" || page.Items[0].Version != 2 {
				t.Errorf("filtered list: %+v", page.Items)
			}
			run(exitInvalid, "ioc", "list", inc.Ref, "--type", "colour")
			run(exitNotFound, "ioc", "list", "IR-1999-0001")
			run(0, "ioc", "delete", inc.Ref, x.ID, "--if-version", "2")
			run(exitNotFound, "ioc", "delete", inc.Ref, x.ID)
		})
	}
}
