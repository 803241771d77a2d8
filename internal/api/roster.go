package api

import (
	"net/http"

	"github.com/warroom/warroom/internal/incident"
)

func (s *Server) getRoster(w http.ResponseWriter, r *http.Request) error {
	ro, err := s.Incidents.Roster(r.Context(), r.PathValue("ref"))
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, ro)
	return nil
}

func (s *Server) assignRole(w http.ResponseWriter, r *http.Request) error {
	var in incident.AssignInput
	if err := s.decode(w, r, &in); err != nil {
		return err
	}
	as, err := s.Incidents.Assign(r.Context(), r.PathValue("ref"), in)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, as)
	return nil
}

func (s *Server) releaseRole(w http.ResponseWriter, r *http.Request) error {
	var in incident.ReleaseInput
	if err := s.decode(w, r, &in); err != nil {
		return err
	}
	if err := s.Incidents.Release(r.Context(), r.PathValue("ref"), in); err != nil {
		return err
	}
	return s.getRoster(w, r)
}

func (s *Server) handoverRole(w http.ResponseWriter, r *http.Request) error {
	var in incident.HandoverInput
	if err := s.decode(w, r, &in); err != nil {
		return err
	}
	as, err := s.Incidents.Handover(r.Context(), r.PathValue("ref"), in)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, as)
	return nil
}
