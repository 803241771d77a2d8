package main

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/warroom/warroom/client"
)

// TestAttackCLI loads the catalogue on the server's database, records
// attacker activity with links and a correction, and reads the story as
// a table and as JSON.
func TestAttackCLI(t *testing.T) {
	bundle := filepath.Join("..", "..", "internal", "attack", "testdata", "enterprise-attack-v15.json")
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
			// Before the import, techniques are checked by format only.
			if _, errOut := run(0, "attack", "techniques"); !strings.Contains(errOut, "No ATT&CK catalogue is loaded") {
				t.Errorf("techniques before import: %s", errOut)
			}
			out, _ := run(0, append([]string{"attack", "import", bundle}, flags...)...)
			if !strings.Contains(out, "Imported ATT&CK 15.1: 10 techniques") || !strings.Contains(out, "added 10, updated 0") ||
				!strings.Contains(out, "revoked 1, deprecated 1, skipped 1") {
				t.Errorf("import:\n%s", out)
			}
			if out, _ = run(0, append([]string{"attack", "import", bundle}, flags...)...); !strings.Contains(out, "added 0, updated 0, unchanged 10") {
				t.Errorf("re-import:\n%s", out)
			}
			run(exitUsage, append([]string{"attack", "import", filepath.Join(t.TempDir(), "missing.json")}, flags...)...)
			out, _ = run(0, "attack", "techniques", "--tactic", "execution")
			if !strings.Contains(out, "T1059.001") || !strings.Contains(out, "PowerShell") || strings.Contains(out, "T1566") {
				t.Errorf("techniques --tactic execution:\n%s", out)
			}
			if out, _ = run(0, "attack", "techniques", "--all", "T1086"); !strings.Contains(out, "revoked: use T1059.001") {
				t.Errorf("revoked technique:\n%s", out)
			}
			if out, _ = run(0, "attack", "tactics"); !strings.Contains(out, "TA0043") || strings.Index(out, "TA0043") > strings.Index(out, "TA0040") {
				t.Errorf("tactics:\n%s", out)
			}

			out, _ = run(0, "incident", "declare", "--title", "Ransomware", "--type", "ransomware", "--severity", "SEV1", "--plan", "none", "-o", "json")
			var inc client.Incident
			mustJSON(t, out, &inc)
			out, _ = run(0, "ioc", "add", inc.Ref, "ipv4", "198.51.100.23", "-o", "json")
			var x client.Indicator
			mustJSON(t, out, &x)

			out, _ = run(0, "attack", "record", inc.Ref, "Encrypted the file share", "--at", "2026-11-20T04:00:00Z", "--technique", "T1486", "--host", "FS01",
				"--precision", "hour", "-o", "json")
			var first client.AttackRecorded
			mustJSON(t, out, &first)
			if first.Activity.Tactic != "TA0040" || first.Activity.TechniqueName != "Data Encrypted for Impact" || first.Activity.Precision != "hour" {
				t.Errorf("recorded: %+v", first.Activity)
			}
			_, errOut := run(0, "attack", "record", inc.Ref, "PowerShell cradle", "--at", "2026-11-18 10:05", "--tactic", "persistence", "--technique", "t1059.001",
				"--host", "WS17", "--account", `CORP\jdoe`, "--ioc", x.ID)
			if !strings.Contains(errOut, "warning: ATT&CK files T1059.001 (PowerShell) under execution, not persistence") {
				t.Errorf("tactic warning: %q", errOut)
			}
			run(0, "attack", "record", inc.Ref, "Encrypted FS01 and FS02", "--at", "2026-11-20", "--precision", "day", "--technique", "T1486",
				"--host", "FS02", "--corrects", first.Entry.ID)
			_, errOut = run(exitInvalid, "attack", "record", inc.Ref, "x", "--at", "-1h", "--technique", "T1086", "--evidence", "EV-9", "--tactic", "pivoting")
			if !strings.Contains(errOut, "tactic:") {
				t.Errorf("invalid record: %s", errOut)
			}
			_, errOut = run(exitInvalid, "attack", "record", inc.Ref, "x", "--at", "-1h", "--technique", "T1086", "--evidence", "EV-9")
			if !strings.Contains(errOut, "replaced by T1059.001") || !strings.Contains(errOut, "evidence: EV-9 is not evidence of") {
				t.Errorf("invalid links: %s", errOut)
			}
			run(exitUsage, "attack", "record", inc.Ref, "x")
			run(exitNotFound, "attack", "story", "IR-1999-0001")

			out, _ = run(0, "attack", "story", inc.Ref)
			for _, want := range []string{"2 attacker activities", "== Persistence (TA0003) ==", "== Impact (TA0040) ==", "T1059.001 PowerShell",
				"2026-11-20", "[corrects #", "Hosts:", "WS17 (1)", "FS02 (1)", "warning on #", "under execution, not persistence"} {
				if !strings.Contains(out, want) {
					t.Errorf("story table lacks %q:\n%s", want, out)
				}
			}
			if strings.Index(out, "Persistence") > strings.Index(out, "Impact") {
				t.Errorf("tactics out of kill-chain order:\n%s", out)
			}
			out, _ = run(0, "attack", "story", inc.Ref, "-o", "json")
			var st client.Story
			mustJSON(t, out, &st)
			if st.Activities != 2 || len(st.Groups) != 2 || st.Groups[0].Items[0].Indicators[0].Value != "198.51.100.23" ||
				len(st.Groups[1].Items[0].Supersedes) != 1 {
				t.Errorf("story JSON: %+v", st)
			}
		})
	}
}
