package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/warroom/warroom/client"
	"github.com/warroom/warroom/internal/ioc/ioctest"
)

// TestIOCInterchangeCLI imports a STIX bundle from a file and CSV from
// standard input, then exports a block list to a file and a STIX bundle
// to standard output, against a real server.
func TestIOCInterchangeCLI(t *testing.T) {
	for name, flags := range dbArgs(t) {
		t.Run(name, func(t *testing.T) {
			srv := startServer(t, flags)
			env := map[string]string{"WARROOM_CONFIG": filepath.Join(t.TempDir(), "config.json"), "WARROOM_TOKEN": "", "WARROOM_SERVER": ""}
			if code, out, errOut := cli(t, env, srv.password+"\n", "login", "--server", srv.url, "--email", "ic@example.test", "--password-stdin"); code != 0 {
				t.Fatalf("login: %d %s %s", code, out, errOut)
			}
			run := func(want int, stdin string, args ...string) (string, string) {
				t.Helper()
				code, out, errOut := cli(t, env, stdin, args...)
				if code != want {
					t.Fatalf("warroom %s: exit %d, want %d\n%s%s", strings.Join(args, " "), code, want, out, errOut)
				}
				return out, errOut
			}
			out, _ := run(0, "", "incident", "declare", "--title", "C2 beaconing", "--type", "malware", "--severity", "SEV2", "--plan", "none", "-o", "json")
			var inc client.Incident
			mustJSON(t, out, &inc)

			out, _ = run(0, "", "ioc", "import", inc.Ref, "--format", "stix", ioctest.StixExample(t, "poisonivy.json"))
			if !strings.Contains(out, "Took 50, merged 22, rejected 1.") || !strings.Contains(out, "domain autuo.xicp.net") ||
				!strings.Contains(out, "Read for context only:") || !strings.Contains(out, "relationship 90") {
				t.Errorf("stix import:\n%s", out)
			}
			out, _ = run(0, "type,value,tags\ndomain,evil-update.top,c2\nipv4,300.0.0.1,\n", "ioc", "import", inc.Ref, "--format", "csv", "-", "-o", "json")
			var rep client.ImportReport
			mustJSON(t, out, &rep)
			if rep.Took != 1 || len(rep.Rejected) != 1 || rep.Rejected[0].Item != "line 3: ipv4 300.0.0.1" || !strings.Contains(rep.Rejected[0].Reason, "more than 255") {
				t.Errorf("csv import: %+v", rep)
			}

			file := filepath.Join(t.TempDir(), "domains.txt")
			_, errOut := run(0, "", "ioc", "export", inc.Ref, "--format", "list", "--type", "domain", "-O", file)
			b, err := os.ReadFile(file)
			if err != nil || !strings.HasPrefix(string(b), "www.webserver.dynssl.com\n") || !strings.HasSuffix(string(b), "evil-update.top\n") ||
				strings.Contains(string(b), "113.10.246.30") || !strings.Contains(errOut, "Wrote 25 indicators to "+file) {
				t.Errorf("list export: %v\n%s%s", err, b, errOut)
			}
			if _, err := os.Stat(file + ".partial"); !os.IsNotExist(err) {
				t.Errorf("the partial file is left behind: %v", err)
			}
			out, _ = run(0, "", "ioc", "export", inc.Ref, "--format", "stix")
			if !strings.Contains(out, `"type": "bundle"`) || !strings.Contains(out, `"pattern": "[domain-name:value = 'evil-update.top']"`) {
				t.Errorf("stix export:\n%.400s", out)
			}

			run(exitUsage, "", "ioc", "import", inc.Ref, "--format", "yaml", "-")
			run(exitUsage, "", "ioc", "import", inc.Ref, "--format", "stix", filepath.Join(t.TempDir(), "missing.json"))
			run(exitUsage, "", "ioc", "export", inc.Ref, "--format", "pdf")
			run(exitInvalid, "{", "ioc", "import", inc.Ref, "--format", "stix", "-")
			run(exitNotFound, "", "ioc", "export", "IR-1999-0001", "--format", "csv")
		})
	}
}
