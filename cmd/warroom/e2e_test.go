package main

import (
	"context"

	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/warroom/warroom/client"
)

// TestEndToEnd starts the real server on :0 with a temporary database and
// drives it through the Go client and the CLI: bootstrap, declare, roster,
// tasks, timeline, close, verify.
func TestEndToEnd(t *testing.T) {
	for name, flags := range dbArgs(t) {
		t.Run(name, func(t *testing.T) {
			ctx := context.Background()
			srv := startServer(t, flags)
			if srv.password == "" {
				t.Fatal("first start printed no password")
			}
			// Sign in through the CLI, as a new user would.
			env := map[string]string{"WARROOM_CONFIG": filepath.Join(t.TempDir(), "config.json"), "WARROOM_TOKEN": "", "WARROOM_SERVER": ""}
			code, out, errOut := cli(t, env, srv.password+"\n", "login", "--server", srv.url, "--email", "ic@example.test", "--password-stdin")
			if code != 0 || !strings.Contains(out, "Signed in") {
				t.Fatalf("login: %d %s %s", code, out, errOut)
			}
			code, out, _ = cli(t, env, "", "incident", "declare", "--title", "LockBit on file servers", "--type", "ransomware",
				"--severity", "SEV1", "--tag", "lockbit", "--detected-at", "-3h", "--plan", "none", "-o", "json")
			var declared client.Incident
			mustJSON(t, out, &declared)
			if code != 0 || declared.Ref == "" || declared.Severity != "SEV1" {
				t.Fatalf("declare: %d %s", code, out)
			}
			ref := declared.Ref

			// The Go client, with strict decoding to catch drift from the server's types.
			admin := client.New(srv.url, "")
			admin.Strict = true
			tok, err := admin.Login(ctx, "ic@example.test", srv.password, "", "e2e")
			if err != nil {
				t.Fatal(err)
			}
			admin.Token = tok.Token
			added, err := admin.AddMember(ctx, "fran@example.test", "Fran Forensics", "responder", "")
			if err != nil || added.Password == "" {
				t.Fatalf("add member: %+v %v", added, err)
			}
			fran := client.New(srv.url, "")
			fran.Strict = true
			ft, err := fran.Login(ctx, "fran@example.test", added.Password, "", "e2e")
			if err != nil {
				t.Fatal(err)
			}
			fran.Token = ft.Token

			if as, err := admin.Assign(ctx, ref, "forensics_analyst", "fran@example.test", "on call"); err != nil || as.RoleName != "Forensics analyst" {
				t.Fatalf("assign: %+v %v", as, err)
			}
			if _, err := admin.Handover(ctx, ref, "incident_commander", "", "fran@example.test", "shift change at 18:00"); err != nil {
				t.Fatal(err)
			}
			ro, err := fran.Roster(ctx, ref)
			if err != nil || len(ro.History) != 1 || ro.History[0].Role != "incident_commander" {
				t.Fatalf("roster after hand-over: %+v %v", ro, err)
			}

			due := time.Now().Add(-time.Minute)
			t1, err := fran.CreateTask(ctx, ref, client.TaskInput{Title: "Isolate FS01", Role: "forensics_analyst", DueAt: &due})
			if err != nil || !t1.Overdue {
				t.Fatalf("task 1: %+v %v", t1, err)
			}
			t2, err := fran.CreateTask(ctx, ref, client.TaskInput{Title: "Image FS01 memory", Owner: "fran@example.test", DependsOn: []int64{t1.Number}})
			if err != nil || len(t2.BlockedBy) != 1 {
				t.Fatalf("task 2: %+v %v", t2, err)
			}
			mine, err := fran.Tasks(ctx, ref, client.TaskFilter{Mine: true})
			if err != nil || len(mine) != 2 {
				t.Fatalf("fran's tasks: %d %v", len(mine), err)
			}
			code, out, _ = cli(t, env, "", "task", "done", ref, "1")
			if code != 0 || !strings.Contains(out, "is done") {
				t.Fatalf("task done: %d %s", code, out)
			}
			t2, _ = fran.Task(ctx, ref, t2.Number)
			if len(t2.BlockedBy) != 0 {
				t.Fatalf("task 2 still blocked: %+v", t2)
			}

			at := time.Now().Add(-2 * time.Hour).UTC().Truncate(time.Second)
			note, err := fran.AddEntry(ctx, ref, client.EntryInput{Text: "First encryption on FS01", Kind: "attacker_activity", EventTime: &at})
			if err != nil || !note.EventTime.Equal(at) {
				t.Fatalf("backdated note: %+v %v", note, err)
			}
			corr, err := fran.AddEntry(ctx, ref, client.EntryInput{Text: "It was FS02, not FS01", Corrects: note.ID})
			if err != nil || corr.Kind != "correction" || corr.CorrectsID != note.ID {
				t.Fatalf("correction: %+v %v", corr, err)
			}
			i, err := fran.UpdateIncident(ctx, ref, client.IncidentPatch{Phase: strp("containment")}, 0)
			if err != nil {
				t.Fatal(err)
			}
			if _, err := admin.UpdateIncident(ctx, ref, client.IncidentPatch{Title: strp("stale")}, i.Version-1); client.ErrorCode(err) != "precondition_failed" {
				t.Fatalf("stale update: %v", err)
			}
			closed, err := fran.CloseIncident(ctx, ref, "Recovered from backups; post-incident review booked.", i.Version)
			if err != nil || closed.Status != "closed" {
				t.Fatalf("close: %+v %v", closed, err)
			}
			if _, ok := closed.Milestones["closed"]; !ok {
				t.Fatal("no closed milestone")
			}

			page, err := fran.Timeline(ctx, ref, client.TimelineFilter{Limit: 500})
			if err != nil {
				t.Fatal(err)
			}
			var kinds []string
			for _, e := range page.Items {
				kinds = append(kinds, e.Kind)
			}
			for _, k := range []string{"incident_declared", "role_assigned", "role_handed_over", "task_created", "task_updated", "attacker_activity", "correction", "incident_updated", "note"} {
				if !strings.Contains(strings.Join(kinds, " "), k) {
					t.Errorf("timeline has no %s entry: %v", k, kinds)
				}
			}
			rep, err := fran.Verify(ctx, ref)
			if err != nil || !rep.OK || rep.Entries != int64(len(page.Items)) {
				t.Fatalf("verify: %+v %v", rep, err)
			}
			code, out, _ = cli(t, env, "", "verify", "--remote", "-o", "json")
			if code != 0 || !strings.Contains(out, `"broken": 0`) {
				t.Fatalf("verify --remote: %d %s", code, out)
			}
			// The offline verify reads the same database the server uses.
			code, out, _ = cli(t, nil, "", append([]string{"verify"}, flags...)...)
			if code != 0 || !strings.Contains(out, "0 broken") {
				t.Fatalf("local verify: %d %s", code, out)
			}

			// A new organisation has the eight starter plans, and declaring
			// follows the best match.
			code, out, _ = cli(t, env, "", "plan", "list", "-o", "json")
			var plans client.Page[client.Plan]
			mustJSON(t, out, &plans)
			if code != 0 || len(plans.Items) != 8 {
				t.Fatalf("plan list: %d %s", code, out)
			}
			planned, err := fran.DeclareIncident(ctx, client.DeclareInput{Title: "Ryuk on the ERP cluster", Type: "ransomware", Severity: "SEV1"})
			if err != nil || planned.PlanID != "ransomware" || planned.PlanVersion != 1 {
				t.Fatalf("declare with plan: %+v %v", planned.PlanID, err)
			}
			ptasks, err := fran.Tasks(ctx, planned.Ref, client.TaskFilter{})
			if err != nil || len(ptasks) < 15 || ptasks[0].PlanStep == "" || ptasks[0].DueAt == nil {
				t.Fatalf("plan tasks: %d %v", len(ptasks), err)
			}
			code, out, _ = cli(t, env, "", "plan", "show", "ransomware")
			if code != 0 || !strings.Contains(out, "id: ransomware") {
				t.Fatalf("plan show: %d %.200s", code, out)
			}

			// Exit codes scripts can rely on.
			for _, c := range []struct {
				args []string
				want int
			}{
				{[]string{"incident", "show", "IR-1999-0001"}, exitNotFound},
				{[]string{"incident", "declare", "--title", "x", "--type", "bogus", "--severity", "SEV1"}, exitInvalid},
				{[]string{"incident", "update", ref, "--title", "again", "--if-version", "1"}, exitConflict},
				{[]string{"incident", "list", "--bogus-flag"}, exitUsage},
				{[]string{"task", "done", ref, "zero"}, exitUsage},
			} {
				if code, out, errOut := cli(t, env, "", c.args...); code != c.want {
					t.Errorf("warroom %s: exit %d, want %d\n%s%s", strings.Join(c.args, " "), code, c.want, out, errOut)
				}
			}
			code, _, _ = cli(t, map[string]string{"WARROOM_CONFIG": filepath.Join(t.TempDir(), "none.json")}, "", "incident", "list")
			if code != exitAuth {
				t.Errorf("signed-out list: exit %d, want %d", code, exitAuth)
			}
			code, out, _ = cli(t, env, "", "incident", "list", "-o", "json", "--status", "closed")
			if code != 0 || !strings.Contains(out, ref) {
				t.Fatalf("list closed: %d %s", code, out)
			}
			if code, _, _ = cli(t, env, "", "logout"); code != 0 {
				t.Fatalf("logout: %d", code)
			}
		})
	}
}

func strp(s string) *string { return &s }
