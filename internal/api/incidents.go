package api

import (
	"net/http"
	"time"

	"github.com/warroom/warroom/internal/incident"
)

func (s *Server) listIncidents(w http.ResponseWriter, r *http.Request) error {
	q := query{r: r}
	f := incident.Filter{
		Status: incident.Status(q.str("status")), Severity: incident.Severity(q.str("severity")), Type: incident.Type(q.str("type")),
		Phase: incident.Phase(q.str("phase")), Mine: q.bool("mine"), Query: q.str("q"), Sort: q.str("sort"),
		Limit: q.int("limit"), Cursor: q.str("cursor"),
	}
	if err := q.err(); err != nil {
		return err
	}
	page, err := s.Incidents.List(r.Context(), f)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, page)
	return nil
}

func (s *Server) declareIncident(w http.ResponseWriter, r *http.Request) error {
	var in incident.DeclareInput
	if err := s.decode(w, r, &in); err != nil {
		return err
	}
	i, err := s.Incidents.Declare(r.Context(), in)
	if err != nil {
		return err
	}
	w.Header().Set("Location", "/api/v1/incidents/"+i.Ref)
	w.Header().Set("ETag", etag(i.Version))
	writeJSON(w, http.StatusCreated, i)
	return nil
}

func (s *Server) getIncident(w http.ResponseWriter, r *http.Request) error {
	i, err := s.Incidents.Get(r.Context(), r.PathValue("ref"))
	if err != nil {
		return err
	}
	w.Header().Set("ETag", etag(i.Version))
	writeJSON(w, http.StatusOK, i)
	return nil
}

func (s *Server) updateIncident(w http.ResponseWriter, r *http.Request) error {
	version, err := ifMatch(r)
	if err != nil {
		return err
	}
	var p incident.Patch
	if err := s.decode(w, r, &p); err != nil {
		return err
	}
	i, err := s.Incidents.Update(r.Context(), r.PathValue("ref"), p, version)
	if err != nil {
		return err
	}
	w.Header().Set("ETag", etag(i.Version))
	writeJSON(w, http.StatusOK, i)
	return nil
}

// closeIncident is a convenience for PATCH {"status": "closed"}, with an
// optional closing note written to the timeline first.
func (s *Server) closeIncident(w http.ResponseWriter, r *http.Request) error {
	version, err := ifMatch(r)
	if err != nil {
		return err
	}
	var in struct {
		Note string `json:"note"`
	}
	if r.ContentLength != 0 {
		if err := s.decode(w, r, &in); err != nil {
			return err
		}
	}
	i, err := s.Incidents.Close(r.Context(), r.PathValue("ref"), in.Note, version)
	if err != nil {
		return err
	}
	w.Header().Set("ETag", etag(i.Version))
	writeJSON(w, http.StatusOK, i)
	return nil
}

// MilestoneInput sets a milestone time.
type MilestoneInput struct {
	At time.Time `json:"at"`
}

func (s *Server) setMilestone(w http.ResponseWriter, r *http.Request) error {
	var in MilestoneInput
	if err := s.decode(w, r, &in); err != nil {
		return err
	}
	if in.At.IsZero() {
		return fieldErr("at", "is required: when the milestone happened, as an RFC 3339 time")
	}
	i, err := s.Incidents.SetMilestone(r.Context(), r.PathValue("ref"), r.PathValue("kind"), &in.At)
	if err != nil {
		return err
	}
	w.Header().Set("ETag", etag(i.Version))
	writeJSON(w, http.StatusOK, i)
	return nil
}

func (s *Server) clearMilestone(w http.ResponseWriter, r *http.Request) error {
	i, err := s.Incidents.SetMilestone(r.Context(), r.PathValue("ref"), r.PathValue("kind"), nil)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, i)
	return nil
}
