package api

import (
	"net/http"
	"strings"

	"github.com/warroom/warroom/internal/incident"
	"github.com/warroom/warroom/internal/record"
)

func (s *Server) listTimeline(w http.ResponseWriter, r *http.Request) error {
	q := query{r: r}
	f := incident.TimelineFilter{Limit: q.int("limit")}
	cursor := q.int64("cursor")
	switch order := q.str("order"); order {
	case "", "asc":
		f.After = cursor
	case "desc":
		f.Desc, f.Before = true, cursor
	default:
		q.v.Add("order", "%q is not asc or desc", order)
	}
	if k := q.str("kind"); k != "" {
		f.Kinds = strings.Split(k, ",")
	}
	if err := q.err(); err != nil {
		return err
	}
	page, err := s.Incidents.Timeline(r.Context(), r.PathValue("ref"), f)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, page)
	return nil
}

func (s *Server) addTimelineEntry(w http.ResponseWriter, r *http.Request) error {
	var in incident.EntryInput
	if err := s.decode(w, r, &in); err != nil {
		return err
	}
	e, err := s.Incidents.AddEntry(r.Context(), r.PathValue("ref"), in)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, e)
	return nil
}

func (s *Server) verifyIncident(w http.ResponseWriter, r *http.Request) error {
	reports, err := s.Incidents.Verify(r.Context(), r.PathValue("ref"))
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, reports[0])
	return nil
}

func (s *Server) verifyAll(w http.ResponseWriter, r *http.Request) error {
	reports, err := s.Incidents.Verify(r.Context(), "")
	if err != nil {
		return err
	}
	if reports == nil {
		reports = []record.Report{}
	}
	writeJSON(w, http.StatusOK, map[string]any{"items": reports})
	return nil
}
