package demo_test

import (
	"slices"
	"testing"
	"time"

	"github.com/warroom/warroom/internal/actor"
	"github.com/warroom/warroom/internal/incident"
	"github.com/warroom/warroom/internal/record"
)

// testRansomware checks the promises of the demo's centrepiece: a SEV1 in
// containment with a full roster and its history, tasks in every state,
// and an attacker timeline reconstructed before detection.
func testRansomware(t *testing.T, s *seeded) {
	i := s.byType["ransomware"]
	if i.Severity != "SEV1" || i.Phase != "containment" || i.Status != incident.Open || i.TLP != "amber" || i.Restricted {
		t.Errorf("ransomware is %s/%s/%s/%s restricted=%v, want SEV1/containment/open/amber unrestricted", i.Severity, i.Phase, i.Status, i.TLP, i.Restricted)
	}
	if age := s.now.Sub(i.CreatedAt); age < 29*time.Hour || age > 31*time.Hour {
		t.Errorf("ransomware declared %s ago, want about 30 hours", age)
	}
	ms := i.Milestones
	for _, k := range []string{"first_compromise", "detected", "declared"} {
		if _, ok := ms[k]; !ok {
			t.Fatalf("milestone %s not set: %v", k, ms)
		}
	}
	if !ms["first_compromise"].At.Before(ms["detected"].At.Add(-72*time.Hour)) || !ms["detected"].At.Before(ms["declared"].At) {
		t.Errorf("milestones out of order or too close: %v", ms)
	}

	r, err := s.incidents.Roster(s.admin, i.Ref)
	if err != nil {
		t.Fatal(err)
	}
	if len(r.Current) < 8 || len(r.History) == 0 {
		t.Errorf("roster has %d current holders and %d past, want >= 8 and > 0", len(r.Current), len(r.History))
	}
	held := map[string]string{}
	for _, as := range r.Current {
		held[as.Role] = as.UserEmail
	}
	for _, role := range []string{"incident_commander", "technical_lead", "forensics_analyst", "malware_analyst", "log_analyst",
		"communications_lead", "legal_counsel", "executive_sponsor", "external_ir_provider"} {
		if held[role] == "" {
			t.Errorf("nobody holds %s: %v", role, held)
		}
	}
	if a := actor.From(s.admin); held["incident_commander"] != a.Email {
		t.Errorf("incident commander is %s, want the admin %s", held["incident_commander"], a.Email)
	}

	tasks, err := s.incidents.Tasks(s.admin, i.Ref, incident.TaskFilter{})
	if err != nil {
		t.Fatal(err)
	}
	statuses, overdue, deps := map[incident.TaskStatus]int{}, 0, 0
	for _, tk := range tasks {
		statuses[tk.Status]++
		if tk.Overdue {
			overdue++
		}
		if len(tk.DependsOn) > 0 {
			deps++
		}
	}
	for _, st := range incident.TaskStatuses {
		if statuses[st] == 0 {
			t.Errorf("no task is %s: %v", st, statuses)
		}
	}
	if len(tasks) < 12 || overdue == 0 || deps == 0 {
		t.Errorf("%d tasks, %d overdue, %d with dependencies; want >= 12, > 0, > 0", len(tasks), overdue, deps)
	}

	es := s.timeline(t, i.Ref)
	kinds, ids, written := map[string]int{}, map[string]bool{}, 0
	for _, e := range es {
		kinds[e.Kind]++
		ids[e.ID] = true
		if e.Kind == record.KindCorrection || slices.Contains(record.UserKinds, e.Kind) {
			written++
		}
		if e.Kind == "attacker_activity" && !e.EventTime.Before(ms["detected"].At) {
			t.Errorf("attacker activity %q at %s is not before detection at %s", e.Text, e.EventTime, ms["detected"].At)
		}
	}
	if len(es) < 30 || written < 30 {
		t.Errorf("timeline has %d entries, %d written by people; want >= 30 of each", len(es), written)
	}
	for _, k := range []string{"note", "decision", "communication", "action", "role_handed_over"} {
		if kinds[k] == 0 {
			t.Errorf("no %s entry: %v", k, kinds)
		}
	}
	if kinds["attacker_activity"] < 5 {
		t.Errorf("%d attacker_activity entries, want >= 5", kinds["attacker_activity"])
	}
	corrections := 0
	for _, e := range es {
		if e.Kind == record.KindCorrection {
			corrections++
			if !ids[e.CorrectsID] {
				t.Errorf("correction %d points at %q, not an entry of %s", e.Seq, e.CorrectsID, i.Ref)
			}
		}
	}
	if corrections != 1 {
		t.Errorf("%d corrections, want 1", corrections)
	}
}
