package main

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// sweepHit is the JSON line warroom sweep prints; the fields scripts rely
// on (docs/sweep.md).
type sweepHit struct {
	Path      string `json:"path"`
	Line      int64  `json:"line"`
	Offset    int64  `json:"offset"`
	Kind      string `json:"kind"`
	Type      string `json:"type"`
	Indicator string `json:"indicator"`
	Match     string `json:"match"`
	Text      string `json:"text"`
	Time      string `json:"time"`
}

func sweepTree(t *testing.T) (dir, logs string) {
	t.Helper()
	dir = t.TempDir()
	logs = filepath.Join(dir, "logs")
	files := map[string]string{
		"auth.log":   "Nov 27 01:00:00 web sshd[1]: session opened\nNov 27 01:00:05 web sshd[1]: Accepted password for root from 203.0.113.9 port 22\n",
		"web.jsonl":  `{"ts":"2026-11-27T01:00:02Z","host":"cdn.EVIL.com","path":"/"}` + "\n" + `{"host":"notevil.com"}` + "\n",
		"x/Evil.exe": "MZ",
	}
	for name, content := range files {
		p := filepath.Join(logs, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir, logs
}

func writeFile(t *testing.T, dir, name, content string) string {
	t.Helper()
	p := filepath.Join(dir, name)
	if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestSweepCLI(t *testing.T) {
	dir, logs := sweepTree(t)
	env := map[string]string{"WARROOM_CONFIG": filepath.Join(dir, "none.json"), "WARROOM_TOKEN": "", "WARROOM_SERVER": ""}
	list := writeFile(t, dir, "iocs.txt", "# from the report\n*.evil[.]com\n203.0.113.0/24\nevil.exe\n\nd41d8cd98f00b204e9800998ecf8427e\n")

	code, out, errOut := cli(t, env, "", "sweep", "--iocs", list, "--path", logs, "-o", "jsonl")
	if code != 0 {
		t.Fatalf("exit %d: %s%s", code, out, errOut)
	}
	var hits []sweepHit
	for _, l := range strings.Split(strings.TrimSpace(out), "\n") {
		var h sweepHit
		mustJSON(t, l, &h)
		hits = append(hits, h)
	}
	want := []sweepHit{
		{Path: filepath.Join(logs, "auth.log"), Line: 2, Offset: 105, Kind: "content", Type: "cidr", Indicator: "203.0.113.0/24", Match: "203.0.113.9",
			Text: "Nov 27 01:00:05 web sshd[1]: Accepted password for root from 203.0.113.9 port 22"},
		{Path: filepath.Join(logs, "web.jsonl"), Line: 1, Offset: 41, Kind: "content", Type: "domain", Indicator: "evil.com", Match: "EVIL.com",
			Text: `{"ts":"2026-11-27T01:00:02Z","host":"cdn.EVIL.com","path":"/"}`, Time: "2026-11-27T01:00:02Z"},
		{Path: filepath.Join(logs, "x", "Evil.exe"), Kind: "name", Type: "filename", Indicator: "evil.exe", Match: "Evil.exe"},
	}
	if len(hits) != len(want) {
		t.Fatalf("hits:\n%s", out)
	}
	for i := range want {
		if i == 0 {
			want[0].Time = hits[0].Time // syslog has no year: the current one, in local time
		}
		if hits[i] != want[i] {
			t.Errorf("hit %d:\n got %+v\nwant %+v", i, hits[i], want[i])
		}
	}
	if !strings.Contains(errOut, "swept 3 files") || !strings.Contains(errOut, "3 hits") {
		t.Errorf("summary: %s", errOut)
	}

	// On a terminal (forced here: the test's stderr is a buffer) a progress
	// bar counts files, hits and bytes on stderr; the hits stay on stdout.
	env["WARROOM_PROGRESS"] = "1"
	code, out, errOut = cli(t, env, "", "sweep", "--iocs", list, "--path", logs, "-o", "jsonl")
	delete(env, "WARROOM_PROGRESS")
	t.Setenv("WARROOM_PROGRESS", "")
	if code != 0 || !strings.Contains(errOut, "3 files, 3 hits") || strings.Count(out, "\n") != 3 {
		t.Errorf("progress: exit %d, stderr %q, stdout %q", code, errOut, out)
	}

	// A table for people; quiet drops the summary.
	code, out, errOut = cli(t, env, "", "sweep", "--iocs", list, logs, "--quiet")
	if code != 0 || !strings.Contains(out, "PATH:LINE") || !strings.Contains(out, filepath.Join(logs, "auth.log")+":2") || errOut != "" {
		t.Errorf("table: %d\n%s%s", code, out, errOut)
	}

	// CSV with a header, and subdomains per row.
	csvFile := writeFile(t, dir, "iocs.csv", "type,value,subdomains\ndomain,evil.com,false\nipv4,203.0.113.9,\n")
	code, out, _ = cli(t, env, "", "sweep", "--iocs", csvFile, "--path", logs, "-o", "jsonl", "-q")
	if code != 0 || strings.Count(out, "\n") != 1 || !strings.Contains(out, `"indicator":"203.0.113.9"`) {
		t.Errorf("csv: %d\n%s", code, out)
	}
	// --subdomains for all.
	code, out, _ = cli(t, env, "", "sweep", "--iocs", csvFile, "--subdomains", "--path", logs, "-o", "jsonl", "-q")
	if code != 0 || strings.Count(out, "\n") != 2 {
		t.Errorf("csv --subdomains: %d\n%s", code, out)
	}
}

func TestSweepCLIErrors(t *testing.T) {
	dir, logs := sweepTree(t)
	env := map[string]string{"WARROOM_CONFIG": filepath.Join(dir, "none.json"), "WARROOM_TOKEN": "", "WARROOM_SERVER": ""}
	good := writeFile(t, dir, "good.txt", "evil.com\n")
	bad := writeFile(t, dir, "bad.txt", "evil.com\n999.1.1.1\n!!! what\n")
	badCSV := writeFile(t, dir, "bad.csv", "type,value\nmd5,abc\ncolour,red\n")
	tests := []struct {
		name string
		args []string
		code int
		want string
	}{
		{"NoIndicators", []string{"sweep", "--path", logs}, exitUsage, "exactly one of --iocs FILE or --incident REF"},
		{"Both", []string{"sweep", "--iocs", good, "--incident", "IR-2026-0001", "--path", logs}, exitUsage, "exactly one"},
		{"NoPath", []string{"sweep", "--iocs", good}, exitUsage, "at least one --path"},
		{"MissingPath", []string{"sweep", "--iocs", good, "--path", filepath.Join(dir, "nope")}, exitUsage, "--path " + filepath.Join(dir, "nope")},
		{"MissingFile", []string{"sweep", "--iocs", filepath.Join(dir, "nope.txt"), "--path", logs}, exitUsage, "cannot read"},
		{"BadList", []string{"sweep", "--iocs", bad, "--path", logs}, exitUsage, "line 3: cannot tell what kind of indicator"},
		{"BadCSV", []string{"sweep", "--iocs", badCSV, "--path", logs}, exitUsage, `line 3: type "colour" is not one of`},
		{"BadCSVValue", []string{"sweep", "--iocs", badCSV, "--path", logs}, exitUsage, "line 2: md5"},
		{"BadOutput", []string{"sweep", "--iocs", good, "--path", logs, "-o", "yaml"}, exitUsage, "--output must be table or jsonl"},
		{"BadWorkers", []string{"sweep", "--iocs", good, "--path", logs, "--workers", "0"}, exitUsage, "--workers must be 1 to 256"},
		{"IncidentNeedsLogin", []string{"sweep", "--incident", "IR-2026-0001", "--path", logs}, exitAuth, "not signed in"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, out, errOut := cli(t, env, "", tt.args...)
			if code != tt.code || !strings.Contains(errOut, tt.want) || out != "" {
				t.Errorf("exit %d, want %d\nstdout %q\nstderr %s\nwant stderr to contain %q", code, tt.code, out, errOut, tt.want)
			}
		})
	}
	// --skip-invalid sweeps for the rest and says what it skipped.
	code, out, errOut := cli(t, env, "", "sweep", "--iocs", bad, "--path", logs, "--skip-invalid", "-o", "jsonl")
	if code != 0 || !strings.Contains(errOut, "skipping 2 invalid indicators") {
		t.Errorf("--skip-invalid: exit %d\n%s%s", code, out, errOut)
	}
}

// TestSweepCLIIncident downloads an incident's indicators from a real
// server and sweeps for them.
func TestSweepCLIIncident(t *testing.T) {
	for name, flags := range dbArgs(t) {
		t.Run(name, func(t *testing.T) {
			srv := startServer(t, flags)
			_, logs := sweepTree(t)
			env := map[string]string{"WARROOM_CONFIG": filepath.Join(t.TempDir(), "config.json"), "WARROOM_TOKEN": "", "WARROOM_SERVER": ""}
			if code, out, errOut := cli(t, env, srv.password+"\n", "login", "--server", srv.url, "--email", "ic@example.test", "--password-stdin"); code != 0 {
				t.Fatalf("login: %d %s %s", code, out, errOut)
			}
			code, out, errOut := cli(t, env, "", "incident", "declare", "--title", "Sweep", "--type", "malware", "--severity", "SEV2", "--plan", "none", "-o", "json")
			if code != 0 {
				t.Fatalf("declare: %d %s%s", code, out, errOut)
			}
			var inc struct {
				Ref string `json:"ref"`
			}
			mustJSON(t, out, &inc)
			for _, a := range [][]string{{"ipv4", "203.0.113.9"}, {"filename", "evil.exe"}, {"other", "a free note"}} {
				if code, out, errOut := cli(t, env, "", "ioc", "add", inc.Ref, a[0], a[1]); code != 0 {
					t.Fatalf("ioc add: %d %s%s", code, out, errOut)
				}
			}
			// --upload=false keeps the hits local: nothing reaches the incident.
			code, out, errOut = cli(t, env, "", "sweep", "--incident", inc.Ref, "--path", logs, "-o", "jsonl", "--upload=false")
			if _, tl, _ := cli(t, env, "", "timeline", "list", inc.Ref, "-o", "json"); strings.Contains(tl, "indicators_sighted") {
				t.Errorf("--upload=false reported the sweep:\n%s", tl)
			}
			if code != 0 || strings.Count(out, "\n") != 2 || !strings.Contains(out, `"match":"203.0.113.9"`) || !strings.Contains(errOut, "for 2 indicators") {
				t.Errorf("sweep --incident: %d\n%s%s", code, out, errOut)
			}
			if code, _, errOut = cli(t, env, "", "sweep", "--incident", "IR-1999-0001", "--path", logs); code != exitNotFound {
				t.Errorf("unknown incident: exit %d %s", code, errOut)
			}

			// With --incident the hits are reported by default: the syslog
			// hit's time widens the address's first and last seen; one
			// timeline entry tells the story.
			code, out, errOut = cli(t, env, "", "sweep", "--incident", inc.Ref, "--path", logs, "--host", "ws-0142", "-q")
			if code != 0 {
				t.Fatalf("sweep --upload: %d\n%s%s", code, out, errOut)
			}
			code, out, _ = cli(t, env, "", "ioc", "list", inc.Ref, "--type", "ipv4", "-o", "json")
			var firstSeen struct {
				Items []struct {
					FirstSeen time.Time `json:"first_seen"`
					LastSeen  time.Time `json:"last_seen"`
				} `json:"items"`
			}
			mustJSON(t, out, &firstSeen)
			hit := time.Date(time.Now().Year(), 11, 27, 1, 0, 5, 0, time.Local)
			if hit.After(time.Now()) {
				hit = time.Time{} // the syslog line is "in the future": seen now
			}
			// Merging widens the range: last_seen stays when the indicator
			// was added (now), first_seen moves back to the log line.
			if code != 0 || len(firstSeen.Items) != 1 || !hit.IsZero() && !firstSeen.Items[0].FirstSeen.Equal(hit) || firstSeen.Items[0].LastSeen.Before(firstSeen.Items[0].FirstSeen) {
				t.Errorf("after upload: %s", out)
			}
			code, out, _ = cli(t, env, "", "timeline", "list", inc.Ref, "-o", "json")
			if code != 0 || strings.Count(out, "Sweep on ws-0142: 2 hits of 2 indicators in 3 files") != 1 {
				t.Errorf("timeline after upload:\n%s", out)
			}
			// One transaction, one entry: the sightings with the host are in
			// its payload (and so in the hash chain); nothing else was written.
			if strings.Count(out, `"kind": "indicators_sighted"`) != 1 || strings.Contains(out, "indicators_imported") ||
				!strings.Contains(out, `"host": "ws-0142"`) {
				t.Errorf("timeline after upload:\n%s", out)
			}
			if code, _, errOut = cli(t, env, "", "sweep", "--iocs", logs+"/auth.log", "--path", logs, "--upload"); code != exitUsage || !strings.Contains(errOut, "use it with --incident") {
				t.Errorf("--upload without --incident: %d %s", code, errOut)
			}
		})
	}
}

// TestSweepCLISTIX reads a STIX 2.1 bundle with internal/ioc's importer:
// literal patterns (an OR list too) are swept for, a pattern that is not
// a literal is reported, not silently dropped.
func TestSweepCLISTIX(t *testing.T) {
	dir, logs := sweepTree(t)
	env := map[string]string{"WARROOM_CONFIG": filepath.Join(dir, "none.json"), "WARROOM_TOKEN": "", "WARROOM_SERVER": ""}
	bundle := writeFile(t, dir, "bundle.json", `{"type":"bundle","id":"bundle--5d0092c5-5f74-4287-9642-33f4c354e56d","objects":[
 {"type":"indicator","spec_version":"2.1","id":"indicator--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f","created":"2026-01-01T00:00:00Z","modified":"2026-01-01T00:00:00Z",
  "pattern":"[ipv4-addr:value = '203.0.113.9'] OR [domain-name:value = 'cdn.evil.com']","pattern_type":"stix","valid_from":"2026-01-01T00:00:00Z"},
 {"type":"indicator","spec_version":"2.1","id":"indicator--9e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f","created":"2026-01-01T00:00:00Z","modified":"2026-01-01T00:00:00Z",
  "pattern":"[file:name MATCHES '^evil.*']","pattern_type":"stix","valid_from":"2026-01-01T00:00:00Z"}]}`)
	code, out, errOut := cli(t, env, "", "sweep", "--iocs", bundle, "--path", logs, "-o", "jsonl", "--skip-invalid")
	if code != 0 || strings.Count(out, "\n") != 2 || !strings.Contains(out, `"indicator":"203.0.113.9"`) || !strings.Contains(out, `"indicator":"cdn.evil.com"`) {
		t.Errorf("bundle: exit %d\n%s%s", code, out, errOut)
	}
	if !strings.Contains(errOut, "of type stix_pattern") {
		t.Errorf("the MATCHES pattern is not mentioned:\n%s", errOut)
	}

	// More indicators than one import may add to an incident (10,000): a
	// sweep takes them all.
	var b strings.Builder
	b.WriteString(`{"type":"bundle","id":"bundle--5d0092c5-5f74-4287-9642-33f4c354e56d","objects":[`)
	for i := range 12000 {
		if i > 0 {
			b.WriteByte(',')
		}
		fmt.Fprintf(&b, `{"type":"indicator","spec_version":"2.1","id":"indicator--%08d-17d4-4cbf-938f-98ee46b3cd3f","created":"2026-01-01T00:00:00Z",`+
			`"modified":"2026-01-01T00:00:00Z","pattern":"[ipv4-addr:value = '198.18.%d.%d']","pattern_type":"stix","valid_from":"2026-01-01T00:00:00Z"}`, i, i/256, i%256)
	}
	b.WriteString(`]}`)
	big := writeFile(t, dir, "big.json", b.String())
	code, out, errOut = cli(t, env, "", "sweep", "--iocs", big, "--path", logs, "-o", "jsonl")
	if code != 0 || !strings.Contains(errOut, "12000 indicators") {
		t.Errorf("a 12,000-indicator bundle: exit %d\n%s%s", code, out, errOut)
	}
}

// TestSweepCLIInterrupted: a stop (Ctrl-C cancels the context) ends the
// sweep with exit 1 and says what was covered; nothing is uploaded.
func TestSweepCLIInterrupted(t *testing.T) {
	dir, logs := sweepTree(t)
	t.Setenv("WARROOM_CONFIG", filepath.Join(dir, "none.json"))
	list := writeFile(t, dir, "iocs.txt", "evil.com\n")
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	var out, errb bytes.Buffer
	code := run(ctx, []string{"sweep", "--iocs", list, "--path", logs, "--path", dir}, strings.NewReader(""), &out, &errb)
	if code != exitError || !strings.Contains(errb.String(), "interrupted: 0 of 2 paths finished") {
		t.Errorf("exit %d\n%s%s", code, out.String(), errb.String())
	}
}
