package main

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/warroom/warroom/client"
)

// TestContactCLI keeps the stakeholder directory from the command line
// against a real server: add, list stale, verify, show, a stale
// --if-version, a changed number needing verification again, bad input,
// and delete, with the documented exit codes.
func TestContactCLI(t *testing.T) {
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

			out, _ := run(0, "contact", "add", "outside-counsel", "--name", "Jo Barrister", "--kind", "outside_counsel",
				"--role", "Partner, data protection", "--phone", "+44 20 7946 0958", "--signal", "+44 7700 900123", "-o", "json")
			var c client.Contact
			mustJSON(t, out, &c)
			if c.Key != "outside-counsel" || c.Phone != "+442079460958" || !c.Stale {
				t.Fatalf("added: %+v", c)
			}
			run(0, "contact", "add", "insurer", "--name", "Claims line", "--kind", "cyber_insurer", "--work-email", "claims@shield.example", "--verified")

			out, errOut := run(0, "contact", "list", "--stale")
			if !strings.Contains(out, "outside-counsel") || !strings.Contains(out, "STALE") || strings.Contains(out, "insurer") ||
				!strings.Contains(out, "signal +447700900123") || !strings.Contains(errOut, "1 stale") {
				t.Errorf("stale list:\n%s%s", out, errOut)
			}

			out, _ = run(0, "contact", "verify", "outside-counsel", "--if-version", "1")
			if !strings.Contains(out, "Verified outside-counsel") {
				t.Errorf("verify: %s", out)
			}
			out, _ = run(0, "contact", "list", "--stale", "-o", "json")
			var page client.Page[client.Contact]
			mustJSON(t, out, &page)
			if len(page.Items) != 0 {
				t.Errorf("stale after verifying: %+v", page.Items)
			}
			out, _ = run(0, "contact", "show", "outside-counsel")
			for _, want := range []string{"Outside counsel", "Out of band", "Signal:", "+447700900123", "Verified ", "Version 2"} {
				if !strings.Contains(out, want) {
					t.Errorf("show lacks %q:\n%s", want, out)
				}
			}

			_, errOut = run(exitConflict, "contact", "update", "outside-counsel", "--phone", "+44 20 7946 0999", "--if-version", "1")
			if !strings.Contains(errOut, "version 2") {
				t.Errorf("stale update: %s", errOut)
			}
			run(0, "contact", "update", "outside-counsel", "--phone", "+44 20 7946 0999", "--if-version", "2")
			if out, _ = run(0, "contact", "show", "outside-counsel"); !strings.Contains(out, "STALE: never verified") || !strings.Contains(out, "+442079460999") {
				t.Errorf("a new number keeps the verification:\n%s", out)
			}

			_, errOut = run(exitInvalid, "contact", "add", "x", "--name", "X", "--kind", "lawyer", "--phone", "020 7946 0958")
			if !strings.Contains(errOut, "kind:") || !strings.Contains(errOut, "phone:") {
				t.Errorf("bad input names the fields: %s", errOut)
			}
			run(exitUsage, "contact", "update", "insurer")
			run(exitNotFound, "contact", "show", "nobody")
			run(0, "contact", "delete", "insurer")
			run(exitNotFound, "contact", "show", "insurer")
			if out, _ = run(0, "contact", "list", "--kind", "cyber_insurer"); strings.Contains(out, "insurer ") {
				t.Errorf("deleted contact still listed:\n%s", out)
			}
		})
	}
}
