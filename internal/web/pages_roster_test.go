package web_test

import (
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/warroom/warroom/internal/db/dbtest"
	"github.com/warroom/warroom/internal/incident"
)

// holders lists who holds role on ref now, sorted.
func (s *site) holders(ref, role string) []string {
	s.t.Helper()
	ro, err := s.inc.Roster(s.ctx("admin"), ref)
	if err != nil {
		s.t.Fatal(err)
	}
	out := []string{}
	for _, as := range ro.Current {
		if as.Role == role {
			out = append(out, as.UserEmail)
		}
	}
	slices.Sort(out)
	return out
}

func TestWarRoomMilestones(t *testing.T) {
	t.Parallel()
	s := newSite(t, dbtest.OpenSQLite(t))
	i := s.declare("admin", incident.DeclareInput{})
	path := "/incidents/" + i.Ref
	rita := s.signIn("responder")
	day := time.Now().UTC().AddDate(0, 0, -1).Format("2006-01-02")

	t.Run("Set", func(t *testing.T) {
		r := rita.send(path+"/milestones", url.Values{"kind": {"contained"}, "at": {day + "T14:30"}, "at_tz": {"-60"}})
		if r.status != http.StatusSeeOther || r.location != path+"?done=milestone#milestones" {
			t.Fatalf("set: %d -> %q (%s)", r.status, r.location, errorMessage(r.body))
		}
		want, _ := time.Parse("2006-01-02T15:04", day+"T15:30")
		if got := s.incidentOf("admin", i.Ref).Milestones["contained"]; !got.At.Equal(want) || got.SetByName != "Rita Responder" {
			t.Errorf("contained: %+v, want %s by Rita", got, want)
		}
		_, body := rita.get(path)
		mustContain(t, body, `<li class="reached"><span class="ms-name">Contained</span> <span class="ms-at"><time datetime="`+want.Format(time.RFC3339)+`"`)
	})

	t.Run("Clear", func(t *testing.T) {
		r := rita.send(path+"/milestones", url.Values{"kind": {"contained"}, "at": {""}, "clear": {"1"}})
		if r.status != http.StatusSeeOther {
			t.Fatalf("clear: %d (%s)", r.status, errorMessage(r.body))
		}
		if m, ok := s.incidentOf("admin", i.Ref).Milestones["contained"]; ok {
			t.Errorf("contained is still set: %+v", m)
		}
		if es := s.entries(i.Ref); es[len(es)-1].Text != "Contained time cleared" {
			t.Errorf("last entry %q", es[len(es)-1].Text)
		}
	})

	t.Run("ClearWithTimeFilled", func(t *testing.T) {
		if _, err := s.inc.SetMilestone(s.ctx("admin"), i.Ref, "eradicated", timePtr(time.Now().Add(-time.Hour))); err != nil {
			t.Fatal(err)
		}
		r := rita.send(path+"/milestones", url.Values{"kind": {"eradicated"}, "at": {day + "T09:00"}, "clear": {"1"}})
		if m, ok := s.incidentOf("admin", i.Ref).Milestones["eradicated"]; r.status != http.StatusSeeOther || ok {
			t.Errorf("Clear it with a time typed in: %d, eradicated still set at %s", r.status, m.At)
		}
	})

	t.Run("Err", func(t *testing.T) {
		for _, c := range []struct {
			name string
			form url.Values
			want string
		}{
			{"MissingTime", url.Values{"kind": {"recovered"}, "at": {""}}, "is required: when did it happen?"},
			{"BadTime", url.Values{"kind": {"recovered"}, "at": {"noon"}}, "is not a date and time"},
			{"Future", url.Values{"kind": {"recovered"}, "at": {localInput(time.Now().Add(time.Hour))}}, "is in the future"},
			{"Declared", url.Values{"kind": {"declared"}, "at": {day + "T09:00"}}, "invalid kind"},
		} {
			t.Run(c.name, func(t *testing.T) {
				before := s.state()
				r := rita.send(path+"/milestones", c.form)
				if r.status != http.StatusBadRequest {
					t.Fatalf("status %d, want 400", r.status)
				}
				checkPage(t, "warroom", r)
				mustContain(t, r.body, `<details class="add" open><summary>Record a milestone</summary>`, c.want)
				if d := cmp.Diff(before, s.state()); d != "" {
					t.Errorf("a rejected milestone changed the state:\n%s", d)
				}
			})
		}
	})
}

func TestWarRoomRoster(t *testing.T) {
	t.Parallel()
	s := newSite(t, dbtest.OpenSQLite(t))
	i := s.declare("admin", incident.DeclareInput{})
	path := "/incidents/" + i.Ref
	rita := s.signIn("responder")

	t.Run("Assign", func(t *testing.T) {
		r := rita.send(path+"/roster", url.Values{"role": {"scribe"}, "user": {"rob@acme.test"}, "note": {"keeps the log"}})
		if r.status != http.StatusSeeOther || r.location != path+"?done=assigned#roster" {
			t.Fatalf("assign: %d -> %q (%s)", r.status, r.location, errorMessage(r.body))
		}
		if got := s.holders(i.Ref, "scribe"); !slices.Equal(got, []string{"rob@acme.test"}) {
			t.Errorf("scribes %q", got)
		}
	})

	t.Run("ErrAssignTwice", func(t *testing.T) {
		r := rita.send(path+"/roster", url.Values{"role": {"scribe"}, "user": {"rob@acme.test"}})
		if r.status != http.StatusConflict {
			t.Fatalf("status %d, want 409", r.status)
		}
		mustContain(t, r.body, `<p class="form-error" role="alert">rob@acme.test already holds scribe on `+i.Ref+`</p>`)
	})

	t.Run("ErrAssignUnknown", func(t *testing.T) {
		r := rita.send(path+"/roster", url.Values{"role": {"astrologer"}, "user": {"mallory@evil.example"}})
		if r.status != http.StatusBadRequest {
			t.Fatalf("status %d, want 400", r.status)
		}
		if errs := fieldErrors(r.body); len(errs) != 1 || !strings.Contains(errs[0], "astrologer") {
			t.Errorf("field errors %q", errs)
		}
	})

	t.Run("Handover", func(t *testing.T) {
		// The war room's form names the new holder "user".
		r := rita.send(path+"/roster/handover", url.Values{"role": {"incident_commander"}, "user": {"rita@acme.test"}, "note": {"shift change"}})
		if r.status != http.StatusSeeOther || r.location != path+"?done=handed-over#roster" {
			t.Fatalf("hand over: %d -> %q (%s)", r.status, r.location, errorMessage(r.body))
		}
		if got := s.holders(i.Ref, "incident_commander"); !slices.Equal(got, []string{"rita@acme.test"}) {
			t.Errorf("commanders %q, want rita only", got)
		}
		ro, _ := s.inc.Roster(s.ctx("admin"), i.Ref)
		var past []string
		for _, as := range ro.History {
			if as.ReleasedAt != nil {
				past = append(past, as.Role+" "+as.UserEmail)
			}
		}
		if !slices.Contains(past, "incident_commander ada@acme.test") {
			t.Errorf("history %q lacks Ada's time as commander", past)
		}
		_, body := rita.get(path)
		mustContain(t, body, "Hand-over history (", "Incident commander: Ada Admin, ", `· “declared the incident”`,
			"<dt>Commander</dt><dd>Rita Responder</dd>", "Ada Admin handed Incident commander over to Rita Responder")
	})

	t.Run("ErrHandoverToHolder", func(t *testing.T) {
		r := rita.send(path+"/roster/handover", url.Values{"role": {"incident_commander"}, "user": {"rita@acme.test"}})
		if r.status != http.StatusBadRequest || !slices.Contains(fieldErrors(r.body), "is the person who already holds the role") {
			t.Errorf("hand over to the holder: %d, field errors %q", r.status, fieldErrors(r.body))
		}
	})

	t.Run("Release", func(t *testing.T) {
		r := rita.send(path+"/roster/release", url.Values{"role": {"scribe"}, "user": {"rob@acme.test"}})
		if r.status != http.StatusSeeOther || r.location != path+"?done=released#roster" {
			t.Fatalf("release: %d -> %q (%s)", r.status, r.location, errorMessage(r.body))
		}
		if got := s.holders(i.Ref, "scribe"); len(got) != 0 {
			t.Errorf("scribes after release %q", got)
		}
	})

	t.Run("ErrReleaseNotHeld", func(t *testing.T) {
		r := rita.send(path+"/roster/release", url.Values{"role": {"scribe"}, "user": {"rob@acme.test"}})
		if r.status != http.StatusBadRequest || len(fieldErrors(r.body)) != 1 {
			t.Errorf("release again: %d, field errors %q", r.status, fieldErrors(r.body))
		}
	})

	t.Run("ErrViewer", func(t *testing.T) {
		r := s.signIn("viewer").send(path+"/roster", url.Values{"role": {"scribe"}, "user": {"vic@acme.test"}})
		if r.status != http.StatusForbidden || len(s.holders(i.Ref, "scribe")) != 0 {
			t.Errorf("viewer assigns: %d, scribes %q", r.status, s.holders(i.Ref, "scribe"))
		}
	})
}

func TestWarRoomTasks(t *testing.T) {
	t.Parallel()
	s := newSite(t, dbtest.OpenSQLite(t))
	f := s.MustFill()
	ref, path := f.open.Ref, "/incidents/"+f.open.Ref
	rita := s.signIn("responder")

	t.Run("Create", func(t *testing.T) {
		due := time.Now().UTC().Add(48 * time.Hour).Truncate(time.Minute)
		r := rita.send(path+"/tasks", url.Values{"title": {"Rebuild FS01"}, "description": {"From the golden image"}, "owner": {"rob@acme.test"},
			"role": {"technical_lead"}, "phase": {"recovery"}, "due_at": {localInput(due.Add(2 * time.Hour))}, "due_at_tz": {"120"}, "depends_on": {"1, 2"}})
		if r.status != http.StatusSeeOther || r.location != path+"?done=task-added#tasks" {
			t.Fatalf("create: %d -> %q (%s)", r.status, r.location, errorMessage(r.body))
		}
		tk := s.taskOf(ref, 6)
		got := []any{tk.Title, tk.Description, tk.OwnerEmail, tk.Role, tk.Phase, tk.Status, tk.DueAt.Equal(due), tk.DependsOn, tk.BlockedBy}
		want := []any{"Rebuild FS01", "From the golden image", "rob@acme.test", "technical_lead", incident.Phase("recovery"), incident.TaskStatus("open"), true, []int64{1, 2}, []int64{2}}
		if d := cmp.Diff(want, got); d != "" {
			t.Errorf("task 6 (-want +got):\n%s (due %s, want %s)", d, tk.DueAt, due)
		}
		_, body := rita.get(path)
		mustContain(t, body, `<li class="task status-open " id="task-6">`, `<span class="blocked">Waits for #2</span>`)
	})

	t.Run("ErrCreate", func(t *testing.T) {
		for _, c := range []struct {
			name, deps, want string
		}{
			{"NotANumber", "1, two", `"two" is not a task number; list numbers like 1, 4`},
			{"UnknownTask", "99", "99"},
		} {
			t.Run(c.name, func(t *testing.T) {
				before := s.state()
				r := rita.send(path+"/tasks", url.Values{"title": {"Kept title"}, "depends_on": {c.deps}, "description": {"kept description"}})
				if r.status != http.StatusBadRequest {
					t.Fatalf("status %d, want 400", r.status)
				}
				mustContain(t, r.body, `<details class="add" open id="new-task">`, `value="Kept title"`, `value="`+c.deps+`"`, ">kept description</textarea>")
				if got := fieldErr(r.body, "task-deps"); !strings.Contains(got, c.want) {
					t.Errorf("depends_on's error %q, want %q", got, c.want)
				}
				if d := cmp.Diff(before, s.state()); d != "" {
					t.Errorf("a rejected task changed the state:\n%s", d)
				}
			})
		}
	})

	t.Run("QuickStatus", func(t *testing.T) {
		v := s.taskOf(ref, 2).Version
		r := rita.send(path+"/tasks/2", url.Values{"form": {"status"}, "status": {"done"}, "version": {itoa(v)}})
		if r.status != http.StatusSeeOther || r.location != path+"?done=task-updated#task-2" {
			t.Fatalf("status change: %d -> %q (%s)", r.status, r.location, errorMessage(r.body))
		}
		if tk := s.taskOf(ref, 2); tk.Status != "done" || tk.Version != v+1 {
			t.Errorf("task 2: %s v%d", tk.Status, tk.Version)
		}
		if tk := s.taskOf(ref, 3); len(tk.BlockedBy) != 0 {
			t.Errorf("task 3 still waits for %v", tk.BlockedBy)
		}
	})

	t.Run("ErrQuickStatusStale", func(t *testing.T) {
		stale := s.taskOf(ref, 3).Version
		title := "Reset every domain admin password"
		if _, err := s.inc.UpdateTask(s.ctx("admin"), ref, 3, incident.TaskPatch{Title: &title}, 0); err != nil {
			t.Fatal(err)
		}
		before := s.state()
		r := rita.send(path+"/tasks/3", url.Values{"form": {"status"}, "status": {"done"}, "version": {itoa(stale)}})
		if r.status != http.StatusPreconditionFailed {
			t.Fatalf("stale status change: %d, want 412", r.status)
		}
		if d := cmp.Diff(before, s.state()); d != "" {
			t.Errorf("a stale status change changed the state:\n%s", d)
		}
		mustContain(t, r.body, "task 3 is at version", "someone else changed it")
	})
}
