package web

import (
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/warroom/warroom/internal/errs"
	"github.com/warroom/warroom/internal/incident"
	"github.com/warroom/warroom/internal/org"
)

type taskPage struct {
	Incident incident.Incident
	Task     incident.Task
	Members  []org.Member
	Roles    []org.IRRole
	History  []incident.Entry
	CanWrite bool
	DepsText string
}

func pathNumber(r *http.Request) (int64, error) {
	n, err := strconv.ParseInt(r.PathValue("number"), 10, 64)
	if err != nil || n < 1 {
		return 0, errs.NotFoundf("there is no task %q", r.PathValue("number"))
	}
	return n, nil
}

func (s *Server) taskDetail(w http.ResponseWriter, r *http.Request, v *view) error {
	return s.renderTask(w, r, v, http.StatusOK)
}

func (s *Server) renderTask(w http.ResponseWriter, r *http.Request, v *view, status int) error {
	ctx, ref := r.Context(), r.PathValue("ref")
	n, err := pathNumber(r)
	if err != nil {
		return err
	}
	inc, err := s.Incidents.Get(ctx, ref)
	if err != nil {
		return err
	}
	t, err := s.Incidents.Task(ctx, ref, n)
	if err != nil {
		return err
	}
	d := taskPage{Incident: inc, Task: t, CanWrite: v.Actor.Role.CanWrite()}
	if d.Members, err = s.Orgs.Members(ctx); err != nil {
		return err
	}
	if d.Roles, err = s.Orgs.Roles(ctx); err != nil {
		return err
	}
	var deps []string
	for _, x := range t.DependsOn {
		deps = append(deps, strconv.FormatInt(x, 10))
	}
	d.DepsText = strings.Join(deps, ", ")
	tl, err := s.Incidents.Timeline(ctx, ref, incident.TimelineFilter{Kinds: []string{incident.KindTaskCreated, incident.KindTaskUpdated}, Desc: true, Limit: 500})
	if err != nil {
		return err
	}
	prefix := fmt.Sprintf("Task %d ", t.Number)
	for _, e := range tl.Items {
		if strings.HasPrefix(e.Text, prefix) {
			d.History = append(d.History, e)
		}
	}
	v.Title, v.Nav, v.Data = fmt.Sprintf("Task %d · %s", t.Number, inc.Ref), "incidents", d
	return s.render(w, status, "task", v)
}

// updateTask takes either the quick status change from the war room
// (form=status) or the full edit form of the task page.
func (s *Server) updateTask(w http.ResponseWriter, r *http.Request, v *view) error {
	n, err := pathNumber(r)
	if err != nil {
		return err
	}
	f := r.PostForm
	var p incident.TaskPatch
	str := func(name string) *string {
		if !f.Has(name) {
			return nil
		}
		x := f.Get(name)
		return &x
	}
	p.Title, p.Description, p.Owner, p.Role = str("title"), str("description"), str("owner"), str("role")
	if x := str("status"); x != nil {
		st := incident.TaskStatus(*x)
		p.Status = &st
	}
	if x := str("phase"); x != nil {
		ph := incident.Phase(*x)
		p.Phase = &ph
	}
	if f.Has("due_at") {
		due, bad := formTime(f, "due_at", nil)
		if len(bad) > 0 {
			err = badTimes(bad)
		}
		// The form shows minutes: an unchanged field must not move a due
		// time that has seconds, nor write a change to the record.
		cur, cerr := s.Incidents.Task(r.Context(), r.PathValue("ref"), n)
		if cerr != nil {
			return cerr
		}
		if !sameMinute(due, cur.DueAt) {
			x := ""
			if due != nil {
				x = due.UTC().Format(time.RFC3339)
			}
			p.DueAt = &x
		}
	}
	if err == nil && f.Has("depends_on") {
		deps, bad := numbers(f.Get("depends_on"))
		if bad != "" {
			err = fieldError("depends_on", "%q is not a task number", bad)
		}
		p.DependsOn = &deps
	}
	if err == nil {
		_, err = s.Incidents.UpdateTask(r.Context(), r.PathValue("ref"), n, p, formVersion(r))
	}
	if f.Get("form") == "status" {
		return s.afterAction(w, r, v, fmt.Sprintf("status-%d", n), fmt.Sprintf("task-%d", n), "task-updated", err)
	}
	if err == nil {
		return redirect(w, r, fmt.Sprintf("/incidents/%s/tasks/%d", r.PathValue("ref"), n), "task-saved")
	}
	status := statusOf(errs.CodeOf(err))
	if v.Form, err = rejected(r, "task", err); err != nil {
		return err
	}
	return s.renderTask(w, r, v, status)
}

// sameMinute reports whether a form's time (minute precision) still shows
// the stored one.
func sameMinute(form, stored *time.Time) bool {
	if form == nil || stored == nil {
		return form == nil && stored == nil
	}
	return form.UTC().Truncate(time.Minute).Equal(stored.UTC().Truncate(time.Minute))
}
