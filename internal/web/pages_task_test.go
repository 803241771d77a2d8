package web_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/warroom/warroom/internal/db"
	"github.com/warroom/warroom/internal/db/dbtest"
	"github.com/warroom/warroom/internal/incident"
)

// taskForm is the task page's edit form as the page fills it in for tk,
// which is what a browser without script sends back.
func taskForm(tk incident.Task) url.Values {
	f := url.Values{"version": {itoa(tk.Version)}, "title": {tk.Title}, "status": {string(tk.Status)}, "phase": {string(tk.Phase)},
		"owner": {tk.OwnerEmail}, "role": {tk.Role}, "due_at": {""}, "due_at_tz": {""}, "description": {tk.Description}}
	if tk.DueAt != nil {
		f.Set("due_at", localInput(*tk.DueAt))
	}
	var deps []string
	for _, d := range tk.DependsOn {
		deps = append(deps, itoa(d))
	}
	f.Set("depends_on", strings.Join(deps, ", "))
	return f
}

func TestTaskPage(t *testing.T) {
	t.Parallel()
	dbtest.ForEachDialect(t, func(t *testing.T, d *db.DB) {
		s := newSite(t, d)
		f := s.MustFill()
		ref := f.open.Ref
		tasks := "/incidents/" + ref + "/tasks/"
		rita := s.signIn("responder")

		t.Run("OK", func(t *testing.T) {
			st, body := rita.get(tasks + "4")
			if st != http.StatusOK {
				t.Fatalf("GET task 4: %d", st)
			}
			mustContain(t, body, `<h1><span class="num">#4</span> Notify the regulator</h1>`, "<dd>Ada Admin <span class=\"muted\">ada@acme.test</span></dd>",
				`<a href="/incidents/`+ref+`/tasks/1">#1</a>, <a href="/incidents/`+ref+`/tasks/2">#2</a> <span class="blocked">(still open: #2)</span>`,
				" · overdue</span>", "Task 4 created: Notify the regulator", `id="t-deps" name="depends_on" value="1, 2"`,
				`<option value="ada@acme.test" selected>`, `<option value="privacy_officer" selected>`)
		})

		t.Run("ViewerSeesNoEditForm", func(t *testing.T) {
			st, body := s.signIn("viewer").get(tasks + "4")
			if st != http.StatusOK || strings.Count(body, `name="csrf"`) != 1 || strings.Contains(body, `id="edit-h"`) {
				t.Errorf("the viewer's task page: %d, with an edit form", st)
			}
			mustContain(t, body, "Notify the regulator", "Task 4 created")
		})

		t.Run("Edit", func(t *testing.T) {
			due := time.Now().UTC().Add(72 * time.Hour).Truncate(time.Minute)
			form := taskForm(s.taskOf(ref, 4))
			for k, v := range map[string]string{"title": "Notify the data protection authority", "status": "in_progress", "phase": "containment",
				"owner": "rob@acme.test", "role": "", "due_at": localInput(due.Add(-5 * time.Hour)), "due_at_tz": "-300", "depends_on": "1",
				"description": "Within 72 hours (GDPR art. 33)"} {
				form.Set(k, v)
			}
			r := rita.send(tasks+"4", form)
			if r.status != http.StatusSeeOther || r.location != tasks+"4?done=task-saved" {
				t.Fatalf("edit: %d -> %q (%s)", r.status, r.location, errorMessage(r.body))
			}
			tk := s.taskOf(ref, 4)
			got := []any{tk.Title, tk.Status, tk.Phase, tk.OwnerEmail, tk.Role, tk.DueAt != nil && tk.DueAt.Equal(due), tk.DependsOn, tk.Description, tk.Overdue}
			want := []any{"Notify the data protection authority", incident.TaskStatus("in_progress"), incident.Phase("containment"), "rob@acme.test", "", true,
				[]int64{1}, "Within 72 hours (GDPR art. 33)", false}
			if d := cmp.Diff(want, got); d != "" {
				t.Errorf("task 4 after the edit (-want +got):\n%s", d)
			}
			_, body := rita.get(r.location)
			mustContain(t, body, `<div class="flash" role="status">Task saved.</div>`, "Task 4 (Notify the data protection authority): ")
		})

		t.Run("ClearDueAndDependencies", func(t *testing.T) {
			form := taskForm(s.taskOf(ref, 4))
			form.Set("due_at", "")
			form.Set("depends_on", "")
			if r := rita.send(tasks+"4", form); r.status != http.StatusSeeOther {
				t.Fatalf("edit: %d (%s)", r.status, errorMessage(r.body))
			}
			if tk := s.taskOf(ref, 4); tk.DueAt != nil || len(tk.DependsOn) != 0 {
				t.Errorf("task 4: due %v, waits for %v; want neither", tk.DueAt, tk.DependsOn)
			}
		})

		t.Run("SaveUnchanged", func(t *testing.T) {
			before := s.taskOf(ref, 2) // due at a time with seconds, set through the service
			r := rita.send(tasks+"2", taskForm(before))
			if r.status != http.StatusSeeOther {
				t.Fatalf("save: %d (%s)", r.status, errorMessage(r.body))
			}
			after := s.taskOf(ref, 2)
			if after.Version != before.Version {
				t.Errorf("saving the form unchanged changed task 2: due %s -> %s, version %d -> %d", before.DueAt, after.DueAt, before.Version, after.Version)
			}
		})

		t.Run("ErrStaleVersion", func(t *testing.T) {
			stale := taskForm(s.taskOf(ref, 5))
			title := "Do not pay the ransom"
			if _, err := s.inc.UpdateTask(s.ctx("admin"), ref, 5, incident.TaskPatch{Title: &title}, 0); err != nil {
				t.Fatal(err)
			}
			before := s.state()
			stale.Set("title", "Pay the ransom after all")
			r := rita.send(tasks+"5", stale)
			if d := cmp.Diff(before, s.state()); d != "" {
				t.Errorf("a stale edit changed the state:\n%s", d)
			}
			checkPage(t, "task", r)
			mustContain(t, r.body, `<p class="form-error" role="alert">task 5 is at version 2, not 1: someone else changed it; reload and try again</p>`)
			if r.status != http.StatusPreconditionFailed {
				t.Errorf("stale edit: %d, want 412", r.status)
			}
		})

		t.Run("ErrInvalid", func(t *testing.T) {
			for _, c := range []struct{ name, field, value, control, want string }{
				{"EmptyTitle", "title", " ", "t-title", "must be 1 to 200 characters"},
				{"BadDependencies", "depends_on", "1, x", "t-deps", `"x" is not a task number`},
				{"SelfDependency", "depends_on", "3", "t-deps", "a task cannot depend on itself"},
				{"BadDue", "due_at", "tomorrow", "t-due", "is not a date and time"},
				{"UnknownOwner", "owner", "mallory@evil.example", "t-owner", "is not a member"},
			} {
				t.Run(c.name, func(t *testing.T) {
					before := s.state()
					form := taskForm(s.taskOf(ref, 3))
					form.Set(c.field, c.value)
					form.Set("description", "kept description")
					r := rita.send(tasks+"3", form)
					if r.status != http.StatusBadRequest {
						t.Fatalf("status %d, want 400 (%s)", r.status, errorMessage(r.body))
					}
					if got := fieldErr(r.body, c.control); !strings.Contains(got, c.want) {
						t.Errorf("%s's error %q, want %q", c.field, got, c.want)
					}
					mustContain(t, r.body, ">kept description</textarea>")
					if d := cmp.Diff(before, s.state()); d != "" {
						t.Errorf("a rejected edit changed the state:\n%s", d)
					}
				})
			}
		})

		t.Run("ErrNotFound", func(t *testing.T) {
			for _, c := range []struct{ who, path string }{
				{"responder", tasks + "99"}, {"responder", tasks + "abc"}, {"responder", tasks + "0"}, {"responder", tasks + "-1"},
				{"responder", tasks + "1.5"}, {"viewer", "/incidents/" + f.restricted.Ref + "/tasks/1"}, {"outsider", tasks + "1"},
			} {
				st, body := s.signIn(c.who).get(c.path)
				if st != http.StatusNotFound || errorCode(body) != "404" {
					t.Errorf("%s GET %s: %d, want the 404 page", c.who, c.path, st)
				}
			}
			r := rita.send(tasks+"abc", url.Values{"title": {"x"}})
			if r.status != http.StatusNotFound {
				t.Errorf("POST %sabc: %d, want 404", tasks, r.status)
			}
		})
	})
}
