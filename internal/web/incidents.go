package web

import (
	"net/http"

	"github.com/warroom/warroom/internal/errs"
	"net/url"
	"strings"
	"time"

	"github.com/warroom/warroom/internal/incident"
)

type incidentListPage struct {
	Filter  incident.Filter
	Page    incident.Page[incident.Incident]
	Counts  incident.Counts
	Query   url.Values
	NextURL string
}

func (s *Server) incidentList(w http.ResponseWriter, r *http.Request, v *view) error {
	q := r.URL.Query()
	f := incident.Filter{Status: incident.Status(q.Get("status")), Severity: incident.Severity(q.Get("severity")),
		Type: incident.Type(q.Get("type")), Mine: q.Get("mine") == "1", Query: q.Get("q"), Sort: q.Get("sort"), Cursor: q.Get("cursor")}
	if !q.Has("status") {
		f.Status = incident.Open // what a responder wants first
	}
	if q.Get("status") == "all" {
		f.Status = ""
	}
	page, err := s.Incidents.List(r.Context(), f)
	if err != nil {
		return err
	}
	counts, err := s.Incidents.Counts(r.Context())
	if err != nil {
		return err
	}
	d := incidentListPage{Filter: f, Page: page, Counts: counts, Query: q}
	if page.NextCursor != "" {
		nq := url.Values{}
		for k, vs := range q {
			nq[k] = vs
		}
		nq.Set("cursor", page.NextCursor)
		d.NextURL = "/?" + nq.Encode()
	}
	v.Title, v.Nav, v.Data = "Incidents", "incidents", d
	return s.render(w, http.StatusOK, "incidents", v)
}

func (s *Server) declareForm(w http.ResponseWriter, r *http.Request, v *view) error {
	if !v.Actor.Role.CanWrite() {
		return errs.Forbiddenf("your role (%s) can read incidents but not declare them", v.Actor.Role)
	}
	return s.renderDeclare(w, r, v, http.StatusOK)
}

// renderDeclare shows the declaration form with the plan library to
// choose from.
func (s *Server) renderDeclare(w http.ResponseWriter, r *http.Request, v *view, status int) error {
	plans, err := s.Plans.List(r.Context())
	if err != nil {
		return err
	}
	v.Title, v.Nav, v.Data = "Declare an incident", "declare", plans
	return s.render(w, status, "declare", v)
}

func (s *Server) declareSubmit(w http.ResponseWriter, r *http.Request, v *view) error {
	f := r.PostForm
	in := incident.DeclareInput{Title: f.Get("title"), Summary: f.Get("summary"), Type: incident.Type(f.Get("type")),
		Severity: incident.Severity(f.Get("severity")), TLP: incident.TLP(f.Get("tlp")), Restricted: f.Get("restricted") == "1",
		Tags: splitTags(f.Get("tags")), Plan: f.Get("plan")}
	var bad []string
	in.DetectedAt, bad = formTime(f, "detected_at", bad)
	in.FirstCompromiseAt, bad = formTime(f, "first_compromise_at", bad)
	var err error
	if len(bad) > 0 {
		err = badTimes(bad)
	} else {
		var i incident.Incident
		if i, err = s.Incidents.Declare(r.Context(), in); err == nil {
			return redirect(w, r, "/incidents/"+i.Ref, "declared")
		}
	}
	if v.Form, err = rejected(r, "declare", err); err != nil {
		return err
	}
	return s.renderDeclare(w, r, v, http.StatusBadRequest)
}

func splitTags(s string) []string {
	var out []string
	for _, t := range strings.FieldsFunc(s, func(r rune) bool { return r == ',' || r == ' ' }) {
		out = append(out, t)
	}
	return out
}

// formTime reads a datetime-local field. The browser sends local wall
// time without a zone; the page's script adds the viewer's offset in a
// hidden "<name>_tz" field (minutes east of UTC). Without script, the
// time is taken as UTC, which the form says.
func formTime(f url.Values, name string, bad []string) (*time.Time, []string) {
	s := strings.TrimSpace(f.Get(name))
	if s == "" {
		return nil, bad
	}
	t, err := time.Parse("2006-01-02T15:04", s)
	if err != nil {
		if t, err = time.Parse(time.RFC3339, s); err != nil {
			return nil, append(bad, name)
		}
	}
	if tz := f.Get(name + "_tz"); tz != "" {
		var mins int
		if _, err := fmtSscan(tz, &mins); err == nil && mins > -15*60 && mins < 15*60 {
			// The same instant, kept in the viewer's zone so that a
			// calendar date they entered stays that date (attack.Day).
			t = t.Add(-time.Duration(mins) * time.Minute).In(time.FixedZone("", mins*60))
		}
	}
	return &t, bad
}
