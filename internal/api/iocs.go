package api

import (
	"net/http"

	"github.com/warroom/warroom/internal/ioc"
)

func (s *Server) listIOCs(w http.ResponseWriter, r *http.Request) error {
	q := query{r: r}
	f := ioc.Filter{Type: ioc.Type(q.str("type")), IOCOnly: q.bool("ioc"), Query: q.str("q"), Limit: q.int("limit"), Cursor: q.str("cursor")}
	if err := q.err(); err != nil {
		return err
	}
	page, err := s.IOCs.List(r.Context(), r.PathValue("ref"), f)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, page)
	return nil
}

// addIOC answers 201 for a new indicator and 200 when the incident
// already had it and the sighting was merged.
func (s *Server) addIOC(w http.ResponseWriter, r *http.Request) error {
	var in ioc.Input
	if err := s.decode(w, r, &in); err != nil {
		return err
	}
	x, created, err := s.IOCs.Add(r.Context(), r.PathValue("ref"), in)
	if err != nil {
		return err
	}
	status := http.StatusOK
	if created {
		status = http.StatusCreated
		w.Header().Set("Location", "/api/v1/incidents/"+x.IncidentRef+"/iocs/"+x.ID)
	}
	w.Header().Set("ETag", etag(x.Version))
	writeJSON(w, status, x)
	return nil
}

func (s *Server) getIOC(w http.ResponseWriter, r *http.Request) error {
	x, err := s.IOCs.Get(r.Context(), r.PathValue("ref"), r.PathValue("id"))
	if err != nil {
		return err
	}
	w.Header().Set("ETag", etag(x.Version))
	writeJSON(w, http.StatusOK, x)
	return nil
}

func (s *Server) updateIOC(w http.ResponseWriter, r *http.Request) error {
	version, err := ifMatch(r)
	if err != nil {
		return err
	}
	var p ioc.Patch
	if err := s.decode(w, r, &p); err != nil {
		return err
	}
	x, err := s.IOCs.Update(r.Context(), r.PathValue("ref"), r.PathValue("id"), p, version)
	if err != nil {
		return err
	}
	w.Header().Set("ETag", etag(x.Version))
	writeJSON(w, http.StatusOK, x)
	return nil
}

func (s *Server) deleteIOC(w http.ResponseWriter, r *http.Request) error {
	version, err := ifMatch(r)
	if err != nil {
		return err
	}
	if err := s.IOCs.Delete(r.Context(), r.PathValue("ref"), r.PathValue("id"), version); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

// extractIOCs finds candidate indicators in {"text": …} for review; it
// needs no incident and stores nothing.
func (s *Server) extractIOCs(w http.ResponseWriter, r *http.Request) error {
	var in ioc.ExtractInput
	if err := s.decode(w, r, &in); err != nil {
		return err
	}
	cs, err := s.IOCs.Extract(r.Context(), in)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, list(cs))
	return nil
}
