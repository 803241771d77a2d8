package web

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/warroom/warroom/internal/errs"
	"github.com/warroom/warroom/internal/incident"
)

// afterAction redirects to the war room on success, or re-renders it with
// the rejected form's errors.
func (s *Server) afterAction(w http.ResponseWriter, r *http.Request, v *view, form, anchor, done string, err error) error {
	err0 := err
	if err == nil {
		return redirect(w, r, "/incidents/"+r.PathValue("ref")+"#"+anchor, done)
	}
	if v.Form, err = rejected(r, form, err); err != nil {
		return err
	}
	return s.renderWarRoom(w, r, v, statusOf(errs.CodeOf(err0)))
}

func formVersion(r *http.Request) int64 {
	n, _ := strconv.ParseInt(r.PostFormValue("version"), 10, 64)
	return n
}

// updateIncident applies whichever incident fields the form sent.
func (s *Server) updateIncident(w http.ResponseWriter, r *http.Request, v *view) error {
	f := r.PostForm
	var p incident.Patch
	str := func(name string) *string {
		if !f.Has(name) {
			return nil
		}
		s := f.Get(name)
		return &s
	}
	p.Title, p.Summary = str("title"), str("summary")
	if x := str("severity"); x != nil {
		sev := incident.Severity(*x)
		p.Severity = &sev
	}
	if x := str("phase"); x != nil {
		ph := incident.Phase(*x)
		p.Phase = &ph
	}
	if x := str("status"); x != nil {
		st := incident.Status(*x)
		p.Status = &st
	}
	if x := str("tlp"); x != nil {
		t := incident.TLP(*x)
		p.TLP = &t
	}
	if x := str("tags"); x != nil {
		tags := splitTags(*x)
		p.Tags = &tags
	}
	if f.Has("restricted_set") {
		b := f.Get("restricted") == "1"
		p.Restricted = &b
	}
	_, err := s.Incidents.Update(r.Context(), r.PathValue("ref"), p, formVersion(r))
	return s.afterAction(w, r, v, f.Get("form"), "top", "updated", err)
}

func (s *Server) closeIncident(w http.ResponseWriter, r *http.Request, v *view) error {
	_, err := s.Incidents.Close(r.Context(), r.PathValue("ref"), r.PostFormValue("note"), formVersion(r))
	return s.afterAction(w, r, v, "close", "top", "closed", err)
}

func (s *Server) addNote(w http.ResponseWriter, r *http.Request, v *view) error {
	f := r.PostForm
	in := incident.EntryInput{Text: f.Get("text"), Kind: f.Get("kind"), Corrects: f.Get("corrects")}
	at, bad := formTime(f, "event_time", nil)
	var err error
	if len(bad) > 0 {
		err = badTimes(bad)
	} else {
		in.EventTime = at
		_, err = s.Incidents.AddEntry(r.Context(), r.PathValue("ref"), in)
	}
	return s.afterAction(w, r, v, "note", "timeline", "note", err)
}

func (s *Server) setMilestone(w http.ResponseWriter, r *http.Request, v *view) error {
	f := r.PostForm
	at, bad := formTime(f, "at", nil)
	var err error
	switch {
	case len(bad) > 0:
		err = badTimes(bad)
	case f.Get("clear") == "1":
		_, err = s.Incidents.SetMilestone(r.Context(), r.PathValue("ref"), f.Get("kind"), nil)
	case at == nil:
		err = badTimesRequired("at")
	default:
		_, err = s.Incidents.SetMilestone(r.Context(), r.PathValue("ref"), f.Get("kind"), at)
	}
	return s.afterAction(w, r, v, "milestone", "milestones", "milestone", err)
}

func (s *Server) assignRole(w http.ResponseWriter, r *http.Request, v *view) error {
	f := r.PostForm
	_, err := s.Incidents.Assign(r.Context(), r.PathValue("ref"), incident.AssignInput{Role: f.Get("role"), User: f.Get("user"), Note: f.Get("note")})
	return s.afterAction(w, r, v, "assign", "roster", "assigned", err)
}

func (s *Server) handoverRole(w http.ResponseWriter, r *http.Request, v *view) error {
	f := r.PostForm
	// The war room's one roster form names the person "user"; "to" wins
	// when a client sends it.
	to := f.Get("to")
	if to == "" {
		to = f.Get("user")
	}
	_, err := s.Incidents.Handover(r.Context(), r.PathValue("ref"), incident.HandoverInput{Role: f.Get("role"), From: f.Get("from"), To: to, Note: f.Get("note")})
	return s.afterAction(w, r, v, "assign", "roster", "handed-over", err)
}

func (s *Server) releaseRole(w http.ResponseWriter, r *http.Request, v *view) error {
	f := r.PostForm
	err := s.Incidents.Release(r.Context(), r.PathValue("ref"), incident.ReleaseInput{Role: f.Get("role"), User: f.Get("user"), Note: f.Get("note")})
	return s.afterAction(w, r, v, "assign", "roster", "released", err)
}

func (s *Server) createTask(w http.ResponseWriter, r *http.Request, v *view) error {
	f := r.PostForm
	in := incident.TaskInput{Title: f.Get("title"), Description: f.Get("description"), Phase: incident.Phase(f.Get("phase")),
		Owner: f.Get("owner"), Role: f.Get("role")}
	due, bad := formTime(f, "due_at", nil)
	deps, badDeps := numbers(f.Get("depends_on"))
	var err error
	switch {
	case len(bad) > 0:
		err = badTimes(bad)
	case badDeps != "":
		err = fieldError("depends_on", "%q is not a task number; list numbers like 1, 4", badDeps)
	default:
		in.DueAt, in.DependsOn = due, deps
		_, err = s.Incidents.CreateTask(r.Context(), r.PathValue("ref"), in)
	}
	return s.afterAction(w, r, v, "task", "tasks", "task-added", err)
}

// numbers parses "1, 4 7" into task numbers; bad is the first word that is not one.
func numbers(s string) (out []int64, bad string) {
	for _, w := range strings.FieldsFunc(s, func(r rune) bool { return r == ',' || r == ' ' }) {
		n, err := strconv.ParseInt(strings.TrimPrefix(w, "#"), 10, 64)
		if err != nil {
			return nil, w
		}
		out = append(out, n)
	}
	return out, ""
}
