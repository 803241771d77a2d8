package incident_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/warroom/warroom/internal/db"
	"github.com/warroom/warroom/internal/db/dbtest"
	"github.com/warroom/warroom/internal/errs"
	"github.com/warroom/warroom/internal/incident"
)

func mustTask(t *testing.T, w *world, ctx context.Context, ref string, in incident.TaskInput) incident.Task {
	t.Helper()
	if in.Title == "" {
		in.Title = "Task"
	}
	task, err := w.incidents.CreateTask(ctx, ref, in)
	if err != nil {
		t.Fatalf("create task %q: %v", in.Title, err)
	}
	return task
}

func getTask(t *testing.T, w *world, ref string, n int64) incident.Task {
	t.Helper()
	task, err := w.incidents.Task(w.admin, ref, n)
	if err != nil {
		t.Fatalf("task %d: %v", n, err)
	}
	return task
}

// numbers lists the tasks f selects for ctx.
func numbers(t *testing.T, w *world, ctx context.Context, ref string, f incident.TaskFilter) []int64 {
	t.Helper()
	ts, err := w.incidents.Tasks(ctx, ref, f)
	if err != nil {
		t.Fatalf("tasks %+v: %v", f, err)
	}
	out := []int64{}
	for _, task := range ts {
		out = append(out, task.Number)
	}
	return out
}

func TestCreateTask(t *testing.T) {
	dbtest.ForEachDialect(t, func(t *testing.T, d *db.DB) {
		w := newWorld(t, d)
		i := MustDeclare(t, w.incidents, w.admin, incident.DeclareInput{Phase: "containment"})
		t.Run("OK", func(t *testing.T) {
			due := w.clock.Now().Add(4 * time.Hour)
			got, err := w.incidents.CreateTask(w.responder, i.Ref, incident.TaskInput{Title: " Image file servers ", Description: "FS01 and FS02",
				Owner: "RITA@acme.test", Role: "forensics_analyst", DueAt: &due})
			if err != nil {
				t.Fatal(err)
			}
			want := incident.Task{ID: got.ID, Number: 1, IncidentRef: i.Ref, Title: "Image file servers", Description: "FS01 and FS02",
				Phase: "containment", OwnerID: userID(w.responder), OwnerName: "Rita Responder", OwnerEmail: "rita@acme.test",
				Role: "forensics_analyst", DueAt: &due, Status: "open", DependsOn: []int64{}, BlockedBy: []int64{},
				CreatedBy: userID(w.responder), CreatedAt: w.clock.Now(), UpdatedAt: w.clock.Now(), Version: 1}
			if diff := cmp.Diff(want, got); diff != "" || got.ID == "" {
				t.Fatalf("task (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(got, getTask(t, w, i.Ref, 1)); diff != "" {
				t.Fatalf("stored task differs (-created +read):\n%s", diff)
			}
			es := entriesOf(t, w, w.admin, i.Ref, incident.KindTaskCreated)
			if len(es) != 1 || es[0].Text != "Task 1 created: Image file servers" {
				t.Fatalf("task_created entries %+v", es)
			}
		})
		t.Run("OKNumbersPerIncident", func(t *testing.T) {
			two := mustTask(t, w, w.responder, i.Ref, incident.TaskInput{Phase: "eradication", Status: "in_progress"})
			three := mustTask(t, w, w.responder, i.Ref, incident.TaskInput{})
			if two.Number != 2 || three.Number != 3 || two.Phase != "eradication" || two.Status != "in_progress" || three.Phase != "containment" {
				t.Fatalf("tasks %+v %+v", two, three)
			}
			j := MustDeclare(t, w.incidents, w.admin, incident.DeclareInput{})
			if first := mustTask(t, w, w.responder, j.Ref, incident.TaskInput{}); first.Number != 1 || first.Phase != "detection_analysis" {
				t.Fatalf("first task of another incident %+v", first)
			}
		})
		t.Run("ErrInvalid", func(t *testing.T) {
			for _, tc := range []struct {
				name   string
				in     incident.TaskInput
				fields []string
			}{
				{"EmptyTitle", incident.TaskInput{Title: "   "}, []string{"title"}},
				{"LongTitle", incident.TaskInput{Title: strings.Repeat("x", 201)}, []string{"title"}},
				{"Status", incident.TaskInput{Title: "x", Status: "wip"}, []string{"status"}},
				{"Phase", incident.TaskInput{Title: "x", Phase: "later"}, []string{"phase"}},
				{"All", incident.TaskInput{Status: "wip", Phase: "later"}, []string{"title", "status", "phase"}},
				{"UnknownRole", incident.TaskInput{Title: "x", Role: "wizard"}, []string{"role"}},
				{"UnknownOwner", incident.TaskInput{Title: "x", Owner: "boss@other.test"}, []string{"owner"}},
				{"UnknownDependency", incident.TaskInput{Title: "x", DependsOn: []int64{1, 42}}, []string{"depends_on"}},
				{"SelfDependency", incident.TaskInput{Title: "x", DependsOn: []int64{4}}, []string{"depends_on"}},
			} {
				t.Run(tc.name, func(t *testing.T) {
					_, err := w.incidents.CreateTask(w.responder, i.Ref, tc.in)
					wantInvalid(t, err, tc.fields...)
				})
			}
			// Refused tasks use up no number.
			if next := mustTask(t, w, w.responder, i.Ref, incident.TaskInput{}); next.Number != 4 {
				t.Fatalf("next task number %d, want 4", next.Number)
			}
		})
		t.Run("ErrForbidden", func(t *testing.T) {
			_, err := w.incidents.CreateTask(w.viewer, i.Ref, incident.TaskInput{Title: "x"})
			wantCode(t, err, errs.Forbidden)
		})
		t.Run("ErrNotFound", func(t *testing.T) {
			hidden := MustDeclare(t, w.incidents, w.responder2, incident.DeclareInput{Restricted: true})
			_, err := w.incidents.CreateTask(w.responder, hidden.Ref, incident.TaskInput{Title: "x"})
			wantCode(t, err, errs.NotFound)
			_, err = w.incidents.CreateTask(w.outsider, i.Ref, incident.TaskInput{Title: "x"})
			wantCode(t, err, errs.NotFound)
		})
	})
}

func TestTaskDependencies(t *testing.T) {
	dbtest.ForEachDialect(t, func(t *testing.T, d *db.DB) {
		w := newWorld(t, d)
		i := MustDeclare(t, w.incidents, w.responder, incident.DeclareInput{})
		mustTask(t, w, w.responder, i.Ref, incident.TaskInput{Title: "Collect logs"})
		two := mustTask(t, w, w.responder, i.Ref, incident.TaskInput{Title: "Build attacker timeline", DependsOn: []int64{1}})
		three := mustTask(t, w, w.responder, i.Ref, incident.TaskInput{Title: "Report", DependsOn: []int64{2, 1, 2}})
		t.Run("OKBlockedBy", func(t *testing.T) {
			if diff := cmp.Diff([]int64{1}, two.BlockedBy); diff != "" {
				t.Fatalf("task 2 blocked by (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff([][]int64{{1, 2}, {1, 2}}, [][]int64{three.DependsOn, three.BlockedBy}); diff != "" {
				t.Fatalf("task 3 depends on / blocked by (-want +got):\n%s", diff)
			}
			if _, err := w.incidents.UpdateTask(w.responder, i.Ref, 1, incident.TaskPatch{Status: ptr(incident.TaskStatus("done"))}, 0); err != nil {
				t.Fatal(err)
			}
			if got := getTask(t, w, i.Ref, 2).BlockedBy; len(got) != 0 {
				t.Fatalf("task 2 still blocked by %v after task 1 is done", got)
			}
			if diff := cmp.Diff([]int64{2}, getTask(t, w, i.Ref, 3).BlockedBy); diff != "" {
				t.Fatalf("task 3 blocked by (-want +got):\n%s", diff)
			}
			if _, err := w.incidents.UpdateTask(w.responder, i.Ref, 2, incident.TaskPatch{Status: ptr(incident.TaskStatus("cancelled"))}, 0); err != nil {
				t.Fatal(err)
			}
			if got := getTask(t, w, i.Ref, 3); len(got.BlockedBy) != 0 || len(got.DependsOn) != 2 {
				t.Fatalf("task 3 after its dependencies finished: %+v", got)
			}
		})
		t.Run("ErrInvalidCycle", func(t *testing.T) {
			before := getTask(t, w, i.Ref, 1)
			entries := len(entriesOf(t, w, w.admin, i.Ref))
			_, err := w.incidents.UpdateTask(w.responder, i.Ref, 1, incident.TaskPatch{Title: ptr("renamed"), DependsOn: &[]int64{3}}, 0)
			wantInvalid(t, err, "depends_on")
			if diff := cmp.Diff(before, getTask(t, w, i.Ref, 1)); diff != "" {
				t.Fatalf("a refused update changed the task (-before +after):\n%s", diff)
			}
			if n := len(entriesOf(t, w, w.admin, i.Ref)); n != entries {
				t.Fatalf("a refused update wrote %d timeline entries", n-entries)
			}
		})
		t.Run("ErrInvalidSelfAndUnknown", func(t *testing.T) {
			for _, deps := range [][]int64{{2}, {99}} {
				_, err := w.incidents.UpdateTask(w.responder, i.Ref, 2, incident.TaskPatch{DependsOn: &deps}, 0)
				wantInvalid(t, err, "depends_on")
			}
		})
		t.Run("OKReplaceDependencies", func(t *testing.T) {
			got, err := w.incidents.UpdateTask(w.responder, i.Ref, 3, incident.TaskPatch{DependsOn: &[]int64{}}, 0)
			if err != nil || len(got.DependsOn) != 0 || got.Version != 2 {
				t.Fatalf("task %+v, %v", got, err)
			}
			es := entriesOf(t, w, w.admin, i.Ref, incident.KindTaskUpdated)
			if last := es[len(es)-1]; last.Text != "Task 3 (Report): waits for [1 2] → []" {
				t.Fatalf("entry text %q", last.Text)
			}
		})
	})
}

func TestTaskOverdue(t *testing.T) {
	dbtest.ForEachDialect(t, func(t *testing.T, d *db.DB) {
		w := newWorld(t, d)
		i := MustDeclare(t, w.incidents, w.responder, incident.DeclareInput{})
		now := w.clock.Now()
		late := mustTask(t, w, w.responder, i.Ref, incident.TaskInput{DueAt: ptr(now.Add(-time.Hour))})
		soon := mustTask(t, w, w.responder, i.Ref, incident.TaskInput{DueAt: ptr(now.Add(time.Hour))})
		never := mustTask(t, w, w.responder, i.Ref, incident.TaskInput{})
		overdue := incident.TaskFilter{Overdue: true}
		t.Run("OK", func(t *testing.T) {
			if !late.Overdue || soon.Overdue || never.Overdue {
				t.Fatalf("overdue: late %v, soon %v, never %v", late.Overdue, soon.Overdue, never.Overdue)
			}
			if diff := cmp.Diff([]int64{1}, numbers(t, w, w.viewer, i.Ref, overdue)); diff != "" {
				t.Fatalf("(-want +got):\n%s", diff)
			}
		})
		t.Run("OKClockMoves", func(t *testing.T) {
			w.clock.Advance(2 * time.Hour)
			if !getTask(t, w, i.Ref, 2).Overdue {
				t.Fatal("task 2 is past due but not overdue")
			}
			if diff := cmp.Diff([]int64{1, 2}, numbers(t, w, w.viewer, i.Ref, overdue)); diff != "" {
				t.Fatalf("(-want +got):\n%s", diff)
			}
		})
		t.Run("OKDoneIsNotOverdue", func(t *testing.T) {
			got, err := w.incidents.UpdateTask(w.responder, i.Ref, 1, incident.TaskPatch{Status: ptr(incident.TaskStatus("done"))}, 0)
			if err != nil || got.Overdue {
				t.Fatalf("done task overdue=%v, %v", got.Overdue, err)
			}
			if diff := cmp.Diff([]int64{2}, numbers(t, w, w.viewer, i.Ref, overdue)); diff != "" {
				t.Fatalf("(-want +got):\n%s", diff)
			}
		})
		t.Run("OKClearDueAt", func(t *testing.T) {
			got, err := w.incidents.UpdateTask(w.responder, i.Ref, 2, incident.TaskPatch{DueAt: ptr("")}, 0)
			if err != nil || got.DueAt != nil || got.Overdue {
				t.Fatalf("task %+v, %v", got, err)
			}
			if got := numbers(t, w, w.viewer, i.Ref, overdue); len(got) != 0 {
				t.Fatalf("overdue %v", got)
			}
			es := entriesOf(t, w, w.admin, i.Ref, incident.KindTaskUpdated)
			if last := es[len(es)-1]; last.Text != "Task 2 (Task): due 2026-11-26T10:00:00Z → (none)" {
				t.Fatalf("entry text %q", last.Text)
			}
		})
	})
}

func TestTaskFilters(t *testing.T) {
	dbtest.ForEachDialect(t, func(t *testing.T, d *db.DB) {
		w := newWorld(t, d) // the admin declares, so the admin is incident commander
		i := MustDeclare(t, w.incidents, w.admin, incident.DeclareInput{})
		if _, err := w.incidents.Assign(w.admin, i.Ref, incident.AssignInput{Role: "scribe", User: "rob@acme.test"}); err != nil {
			t.Fatal(err)
		}
		mustTask(t, w, w.admin, i.Ref, incident.TaskInput{Owner: "rita@acme.test"})
		mustTask(t, w, w.admin, i.Ref, incident.TaskInput{Role: "scribe", Phase: "eradication"})
		mustTask(t, w, w.admin, i.Ref, incident.TaskInput{Role: "incident_commander", Status: "in_progress"})
		mustTask(t, w, w.admin, i.Ref, incident.TaskInput{Owner: "rob@acme.test", Role: "forensics_analyst", Status: "done"})
		mustTask(t, w, w.admin, i.Ref, incident.TaskInput{Role: "investigator"})
		for _, tc := range []struct {
			name string
			ctx  context.Context
			f    incident.TaskFilter
			want []int64
		}{
			{"All", w.viewer, incident.TaskFilter{}, []int64{1, 2, 3, 4, 5}},
			{"MineOwner", w.responder, incident.TaskFilter{Mine: true}, []int64{1}},
			{"MineOwnerOrRole", w.responder2, incident.TaskFilter{Mine: true}, []int64{2, 4}},
			{"MineCommander", w.admin, incident.TaskFilter{Mine: true}, []int64{3}},
			{"MineNothing", w.viewer, incident.TaskFilter{Mine: true}, []int64{}},
			{"MineAndStatus", w.responder2, incident.TaskFilter{Mine: true, Status: "open"}, []int64{2}},
			{"Phase", w.viewer, incident.TaskFilter{Phase: "eradication"}, []int64{2}},
			{"Role", w.viewer, incident.TaskFilter{Role: "investigator"}, []int64{5}},
			{"Status", w.viewer, incident.TaskFilter{Status: "in_progress"}, []int64{3}},
		} {
			t.Run(tc.name, func(t *testing.T) {
				if diff := cmp.Diff(tc.want, numbers(t, w, tc.ctx, i.Ref, tc.f)); diff != "" {
					t.Fatalf("(-want +got):\n%s", diff)
				}
			})
		}
		t.Run("MineAfterRelease", func(t *testing.T) {
			if err := w.incidents.Release(w.admin, i.Ref, incident.ReleaseInput{Role: "scribe", User: "rob@acme.test"}); err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff([]int64{4}, numbers(t, w, w.responder2, i.Ref, incident.TaskFilter{Mine: true})); diff != "" {
				t.Fatalf("(-want +got):\n%s", diff)
			}
		})
		t.Run("ErrInvalid", func(t *testing.T) {
			_, err := w.incidents.Tasks(w.viewer, i.Ref, incident.TaskFilter{Phase: "later", Status: "wip"})
			wantInvalid(t, err, "phase", "status")
		})
	})
}

func TestUpdateTask(t *testing.T) {
	dbtest.ForEachDialect(t, func(t *testing.T, d *db.DB) {
		w := newWorld(t, d)
		i := MustDeclare(t, w.incidents, w.responder, incident.DeclareInput{})
		task := mustTask(t, w, w.responder, i.Ref, incident.TaskInput{Title: "Reset passwords", Owner: "rita@acme.test"})
		t.Run("OK", func(t *testing.T) {
			w.clock.Advance(time.Minute)
			got, err := w.incidents.UpdateTask(w.responder2, i.Ref, 1, incident.TaskPatch{Title: ptr(" Reset all passwords "),
				Status: ptr(incident.TaskStatus("in_progress")), Owner: ptr("rob@acme.test"), DueAt: ptr("2026-11-26T13:00:00Z")}, task.Version)
			if err != nil {
				t.Fatal(err)
			}
			want := task
			want.Title, want.Status, want.Version, want.UpdatedAt = "Reset all passwords", "in_progress", 2, w.clock.Now()
			want.OwnerID, want.OwnerName, want.OwnerEmail = userID(w.responder2), "Rob Responder", "rob@acme.test"
			want.DueAt = ptr(time.Date(2026, 11, 26, 13, 0, 0, 0, time.UTC))
			if diff := cmp.Diff(want, got); diff != "" {
				t.Fatalf("task (-want +got):\n%s", diff)
			}
			es := entriesOf(t, w, w.admin, i.Ref, incident.KindTaskUpdated)
			wantText := "Task 1 (Reset all passwords): title Reset passwords → Reset all passwords; status Open → In progress; " +
				"owner rita@acme.test → rob@acme.test; due (none) → 2026-11-26T13:00:00Z"
			if len(es) != 1 || es[0].Text != wantText || es[0].ActorID != userID(w.responder2) {
				t.Fatalf("task_updated entries %+v", es)
			}
		})
		t.Run("ErrPreconditionFailed", func(t *testing.T) {
			before := getTask(t, w, i.Ref, 1)
			_, err := w.incidents.UpdateTask(w.responder, i.Ref, 1, incident.TaskPatch{Status: ptr(incident.TaskStatus("done"))}, task.Version)
			wantCode(t, err, errs.PreconditionFailed)
			if diff := cmp.Diff(before, getTask(t, w, i.Ref, 1)); diff != "" {
				t.Fatalf("stale update changed the task (-before +after):\n%s", diff)
			}
			if n := len(entriesOf(t, w, w.admin, i.Ref, incident.KindTaskUpdated)); n != 1 {
				t.Fatalf("%d task_updated entries, want 1", n)
			}
		})
		t.Run("OKNoChange", func(t *testing.T) {
			got, err := w.incidents.UpdateTask(w.responder, i.Ref, 1, incident.TaskPatch{Status: ptr(incident.TaskStatus("in_progress"))}, 0)
			if err != nil || got.Version != 2 {
				t.Fatalf("version %d, %v", got.Version, err)
			}
			if n := len(entriesOf(t, w, w.admin, i.Ref, incident.KindTaskUpdated)); n != 1 {
				t.Fatalf("a no-op update wrote an entry (%d)", n)
			}
		})
		t.Run("OKClearOwnerAndDue", func(t *testing.T) {
			got, err := w.incidents.UpdateTask(w.responder, i.Ref, 1, incident.TaskPatch{Owner: ptr(""), DueAt: ptr("")}, 2)
			if err != nil {
				t.Fatal(err)
			}
			if got.OwnerID != "" || got.OwnerEmail != "" || got.DueAt != nil || got.Version != 3 {
				t.Fatalf("task %+v", got)
			}
			if diff := cmp.Diff(got, getTask(t, w, i.Ref, 1)); diff != "" {
				t.Fatalf("stored (-returned +read):\n%s", diff)
			}
		})
		t.Run("ErrInvalid", func(t *testing.T) {
			before := getTask(t, w, i.Ref, 1)
			_, err := w.incidents.UpdateTask(w.responder, i.Ref, 1, incident.TaskPatch{Title: ptr(""), Status: ptr(incident.TaskStatus("wip")),
				Phase: ptr(incident.Phase("later")), DueAt: ptr("tomorrow")}, 0)
			wantInvalid(t, err, "title", "status", "phase", "due_at")
			_, err = w.incidents.UpdateTask(w.responder, i.Ref, 1, incident.TaskPatch{Status: ptr(incident.TaskStatus("done")), Role: ptr("wizard")}, 0)
			wantInvalid(t, err, "role")
			if diff := cmp.Diff(before, getTask(t, w, i.Ref, 1)); diff != "" {
				t.Fatalf("refused update changed the task (-before +after):\n%s", diff)
			}
		})
		t.Run("ErrNotFound", func(t *testing.T) {
			_, err := w.incidents.UpdateTask(w.responder, i.Ref, 99, incident.TaskPatch{Title: ptr("x")}, 0)
			wantCode(t, err, errs.NotFound)
			_, err = w.incidents.Task(w.outsider, i.Ref, 1)
			wantCode(t, err, errs.NotFound)
		})
		t.Run("ErrForbidden", func(t *testing.T) {
			_, err := w.incidents.UpdateTask(w.viewer, i.Ref, 1, incident.TaskPatch{Title: ptr("x")}, 0)
			wantCode(t, err, errs.Forbidden)
		})
		t.Run("SubSecondDueAt", func(t *testing.T) {
			got, err := w.incidents.UpdateTask(w.responder, i.Ref, 1, incident.TaskPatch{DueAt: ptr("2026-11-27T09:00:00.5Z")}, 0)
			if err != nil {
				t.Fatal(err)
			}
			if _, err = w.incidents.UpdateTask(w.responder, i.Ref, 1, incident.TaskPatch{DueAt: ptr("2026-11-27T09:00:00.75Z")}, 0); err != nil {
				t.Fatal(err)
			}
			want := time.Date(2026, 11, 27, 9, 0, 0, 750_000_000, time.UTC)
			if after := getTask(t, w, i.Ref, 1); after.DueAt == nil || !after.DueAt.Equal(want) || after.Version != got.Version+1 {
				t.Fatalf("due %v version %d, want %v version %d", after.DueAt, after.Version, want, got.Version+1)
			}
		})
	})
}
