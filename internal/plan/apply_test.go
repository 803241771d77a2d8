package plan_test

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/warroom/warroom/internal/actor"
	"github.com/warroom/warroom/internal/db"
	"github.com/warroom/warroom/internal/db/dbtest"
	"github.com/warroom/warroom/internal/errs"
	"github.com/warroom/warroom/internal/incident"
	"github.com/warroom/warroom/internal/org"
	"github.com/warroom/warroom/internal/plan"
)

// testPlan applies to ransomware; one step only for SEV1/SEV2, one owned
// by the forensics analyst (nobody holds it at first).
const testPlan = `id: test-ransomware
version: 1
title: Test ransomware plan
applies_to: {types: [ransomware]}
steps:
  - id: scope
    title: Scope the encryption
    phase: detection_analysis
    role: incident_commander
    due: 1h
    checklist: [List encrypted hosts]
  - id: isolate
    title: Isolate hosts
    phase: containment
    role: forensics_analyst
    after: [scope]
    due: {from: scope, offset: 2h}
  - id: brief-execs
    title: Brief the executives
    phase: containment
    role: incident_commander
    due: 4h
    when: {severity_at_least: SEV2}
decisions:
  - id: pay
    question: Consider paying the ransom?
    roles: [executive_sponsor, legal_counsel]
    phase: containment
    due: 12h
    options: [No, Engage counsel]
    when: {severity_at_least: SEV2}
`

type world struct {
	orgs      *org.Service
	incidents *incident.Service
	plans     *plan.Service
	clock     *time.Time
	ic        context.Context
	fran      string // forensics analyst's email
}

func newWorld(t *testing.T, d *db.DB) *world {
	t.Helper()
	now := time.Date(2026, 11, 26, 9, 0, 0, 0, time.UTC)
	clock := func() time.Time { return now }
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	w := &world{clock: &now}
	w.plans = &plan.Service{DB: d, Now: clock, Log: log}
	w.orgs = &org.Service{DB: d, Now: clock, Log: log}
	w.incidents = &incident.Service{DB: d, Now: clock, Log: log, Planner: w.plans}
	boot, err := w.orgs.Bootstrap(context.Background(), org.BootstrapInput{OrgName: "Acme", Email: "ic@acme.test", Name: "Ida", Password: "correct horse battery"})
	if err != nil {
		t.Fatal(err)
	}
	w.ic = actor.With(context.Background(), &actor.Actor{UserID: boot.Admin.ID, OrgID: boot.Org.ID, Email: boot.Admin.Email, Name: "Ida", Role: actor.Admin})
	if _, _, err := w.orgs.AddUser(w.ic, org.AddUserInput{Email: "fran@acme.test", Name: "Fran", Role: actor.Responder, Password: "correct horse battery"}); err != nil {
		t.Fatal(err)
	}
	w.fran = "fran@acme.test"
	if _, created, err := w.plans.Import(w.ic, "test.yaml", []byte(testPlan)); err != nil || !created {
		t.Fatalf("import: %v %v", created, err)
	}
	return w
}

func byStep(ts []incident.Task) map[string]incident.Task {
	out := map[string]incident.Task{}
	for _, t := range ts {
		out[t.PlanStep] = t
	}
	return out
}

func TestInstantiation(t *testing.T) {
	dbtest.ForEachDialect(t, func(t *testing.T, d *db.DB) {
		w := newWorld(t, d)
		declared := *w.clock
		i, err := w.incidents.Declare(w.ic, incident.DeclareInput{Title: "Encrypted shares", Type: "ransomware", Severity: "SEV3"})
		if err != nil {
			t.Fatal(err)
		}
		if i.PlanID != "test-ransomware" || i.PlanVersion != 1 {
			t.Fatalf("plan on incident: %q v%d", i.PlanID, i.PlanVersion)
		}
		tasks, err := w.incidents.Tasks(w.ic, i.Ref, incident.TaskFilter{})
		if err != nil {
			t.Fatal(err)
		}
		got := byStep(tasks)
		if len(tasks) != 2 || got["scope"].Number == 0 || got["isolate"].Number == 0 {
			t.Fatalf("SEV3 tasks: %+v", tasks)
		}
		scope, isolate := got["scope"], got["isolate"]
		if scope.OwnerEmail != "ic@acme.test" || isolate.OwnerID != "" || isolate.Role != "forensics_analyst" {
			t.Errorf("owners: scope %q, isolate %q (%s)", scope.OwnerEmail, isolate.OwnerEmail, isolate.Role)
		}
		if !scope.DueAt.Equal(declared.Add(time.Hour)) || !isolate.DueAt.Equal(declared.Add(3*time.Hour)) {
			t.Errorf("due: scope %v, isolate %v", scope.DueAt, isolate.DueAt)
		}
		if fmt.Sprint(isolate.DependsOn) != fmt.Sprint([]int64{scope.Number}) || !strings.Contains(scope.Description, "- [ ] List encrypted hosts") {
			t.Errorf("isolate depends on %v; scope description %q", isolate.DependsOn, scope.Description)
		}
		tl, _ := w.incidents.Timeline(w.ic, i.Ref, incident.TimelineFilter{Kinds: []string{incident.KindPlanApplied}})
		if len(tl.Items) != 1 || !strings.Contains(tl.Items[0].Text, "test-ransomware v1") {
			t.Fatalf("plan entry: %+v", tl.Items)
		}

		// Work done stays done when the severity rises and more applies.
		if _, err := w.incidents.UpdateTask(w.ic, i.Ref, scope.Number, incident.TaskPatch{Status: ptr(incident.TaskStatus("done"))}, 0); err != nil {
			t.Fatal(err)
		}
		*w.clock = w.clock.Add(5 * time.Hour)
		if _, err := w.incidents.Update(w.ic, i.Ref, incident.Patch{Severity: ptr(incident.Severity("SEV1"))}, 0); err != nil {
			t.Fatal(err)
		}
		tasks, _ = w.incidents.Tasks(w.ic, i.Ref, incident.TaskFilter{})
		got = byStep(tasks)
		if len(tasks) != 4 || got["brief-execs"].Number == 0 || got["pay"].Number == 0 {
			t.Fatalf("after SEV1: %d tasks %+v", len(tasks), got)
		}
		if got["scope"].Status != "done" {
			t.Errorf("raising severity reopened work: %s", got["scope"].Status)
		}
		if !got["brief-execs"].DueAt.Equal(w.clock.Add(4*time.Hour)) || got["pay"].Role != "executive_sponsor" || !strings.HasPrefix(got["pay"].Title, "Decide: ") {
			t.Errorf("added later: brief %v, pay %+v", got["brief-execs"].DueAt, got["pay"])
		}
		// Re-applying (another severity change) adds nothing twice.
		if _, err := w.incidents.Update(w.ic, i.Ref, incident.Patch{Severity: ptr(incident.Severity("SEV2"))}, 0); err != nil {
			t.Fatal(err)
		}
		if again, _ := w.incidents.Tasks(w.ic, i.Ref, incident.TaskFilter{}); len(again) != 4 {
			t.Fatalf("re-applying duplicated tasks: %d", len(again))
		}
		// Assigning the role fills the owner of its open plan tasks.
		if _, err := w.incidents.Assign(w.ic, i.Ref, incident.AssignInput{Role: "forensics_analyst", User: w.fran}); err != nil {
			t.Fatal(err)
		}
		filled, _ := w.incidents.Task(w.ic, i.Ref, isolate.Number)
		if filled.OwnerEmail != w.fran {
			t.Errorf("isolate owner after assigning the role: %q", filled.OwnerEmail)
		}
		reports, err := w.incidents.Verify(w.ic, i.Ref)
		if err != nil || !reports[0].OK {
			t.Fatalf("chain: %+v %v", reports, err)
		}
	})
}

func TestDeclarePlanChoice(t *testing.T) {
	dbtest.ForEachDialect(t, func(t *testing.T, d *db.DB) {
		w := newWorld(t, d)
		none, err := w.incidents.Declare(w.ic, incident.DeclareInput{Title: "No plan", Type: "ransomware", Severity: "SEV1", Plan: plan.NoPlan})
		if err != nil || none.PlanID != "" {
			t.Fatalf("plan none: %+v %v", none.PlanID, err)
		}
		if ts, _ := w.incidents.Tasks(w.ic, none.Ref, incident.TaskFilter{}); len(ts) != 0 {
			t.Fatalf("plan none created %d tasks", len(ts))
		}
		// "No plan" sticks: later changes do not impose one.
		if _, err := w.incidents.Assign(w.ic, none.Ref, incident.AssignInput{Role: "forensics_analyst", User: w.fran}); err != nil {
			t.Fatal(err)
		}
		if _, err := w.incidents.Update(w.ic, none.Ref, incident.Patch{Severity: ptr(incident.Severity("SEV2"))}, 0); err != nil {
			t.Fatal(err)
		}
		if ts, _ := w.incidents.Tasks(w.ic, none.Ref, incident.TaskFilter{}); len(ts) != 0 {
			t.Fatalf("a plan was imposed after declaring without one: %d tasks", len(ts))
		}
		other, err := w.incidents.Declare(w.ic, incident.DeclareInput{Title: "Phish", Type: "account_compromise", Severity: "SEV2"})
		if err != nil || other.PlanID != "" {
			t.Fatalf("no matching plan: %q %v", other.PlanID, err)
		}
		chosen, err := w.incidents.Declare(w.ic, incident.DeclareInput{Title: "Odd", Type: "other", Severity: "SEV2", Plan: "test-ransomware"})
		if err != nil || chosen.PlanID != "test-ransomware" {
			t.Fatalf("chosen plan: %q %v", chosen.PlanID, err)
		}
		_, err = w.incidents.Declare(w.ic, incident.DeclareInput{Title: "Bad", Type: "other", Severity: "SEV2", Plan: "no-such-plan"})
		if errs.CodeOf(err) != errs.Invalid || errs.FieldsOf(err)[0].Field != "plan" {
			t.Fatalf("unknown plan: %v", err)
		}
	})
}

func TestLibrary(t *testing.T) {
	dbtest.ForEachDialect(t, func(t *testing.T, d *db.DB) {
		w := newWorld(t, d)
		if _, created, err := w.plans.Import(w.ic, "test.yaml", []byte(testPlan)); err != nil || created {
			t.Fatalf("re-import unchanged: created %v, %v", created, err)
		}
		changed := strings.Replace(testPlan, "Isolate hosts", "Isolate hosts with EDR", 1)
		_, _, err := w.plans.Import(w.ic, "test.yaml", []byte(changed))
		if errs.CodeOf(err) != errs.Conflict {
			t.Fatalf("changed without a new version: %v", err)
		}
		v2 := strings.Replace(changed, "version: 1", "version: 2", 1)
		if st, created, err := w.plans.Import(w.ic, "test.yaml", []byte(v2)); err != nil || !created || st.Version != 2 {
			t.Fatalf("v2: %+v %v %v", st, created, err)
		}
		diff, err := w.plans.Diff(w.ic, "test-ransomware", 1, 2)
		if err != nil || !strings.Contains(diff, "-    title: Isolate hosts\n") || !strings.Contains(diff, "+    title: Isolate hosts with EDR\n") {
			t.Fatalf("diff: %v\n%s", err, diff)
		}
		vs, err := w.plans.Versions(w.ic, "test-ransomware")
		if err != nil || len(vs) != 2 || vs[0].Version != 2 {
			t.Fatalf("versions: %+v %v", vs, err)
		}
		_, _, err = w.plans.Import(w.ic, "bad.yaml", []byte(strings.Replace(testPlan, "role: forensics_analyst", "role: wizard", 1)))
		if errs.CodeOf(err) != errs.Invalid || len(errs.FieldsOf(err)) != 1 || !strings.HasPrefix(errs.FieldsOf(err)[0].Field, "bad.yaml:15:") {
			t.Fatalf("lint on import: %v %+v", err, errs.FieldsOf(err))
		}
	})
}

func ptr[T any](v T) *T { return &v }
