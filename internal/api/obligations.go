package api

import (
	"net/http"

	"github.com/warroom/warroom/internal/obligation"
)

// getObligationFacts returns the incident's facts with their version as
// the ETag (version 0: none recorded yet).
func (s *Server) getObligationFacts(w http.ResponseWriter, r *http.Request) error {
	f, err := s.Obligations.Facts(r.Context(), r.PathValue("ref"))
	if err != nil {
		return err
	}
	w.Header().Set("ETag", etag(f.Version))
	writeJSON(w, http.StatusOK, f)
	return nil
}

// putObligationFacts replaces the facts; If-Match guards against
// overwriting someone else's change.
func (s *Server) putObligationFacts(w http.ResponseWriter, r *http.Request) error {
	version, err := ifMatch(r)
	if err != nil {
		return err
	}
	if version == 0 { // no If-Match: last write wins, as elsewhere in the API
		version = obligation.AnyVersion
	}
	var in obligation.Facts
	if err := s.decode(w, r, &in); err != nil {
		return err
	}
	f, err := s.Obligations.PutFacts(r.Context(), r.PathValue("ref"), in, version)
	if err != nil {
		return err
	}
	w.Header().Set("ETag", etag(f.Version))
	writeJSON(w, http.StatusOK, f)
	return nil
}

// listObligations evaluates the rules against the incident's facts now;
// all=true includes the rules that do not apply.
func (s *Server) listObligations(w http.ResponseWriter, r *http.Request) error {
	q := query{r: r}
	all := q.bool("all")
	if err := q.err(); err != nil {
		return err
	}
	rep, err := s.Obligations.Obligations(r.Context(), r.PathValue("ref"), all)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, rep)
	return nil
}

// setObligationStatus records what was done about one notification.
func (s *Server) setObligationStatus(w http.ResponseWriter, r *http.Request) error {
	version, err := ifMatch(r)
	if err != nil {
		return err
	}
	var in obligation.StatusInput
	if err := s.decode(w, r, &in); err != nil {
		return err
	}
	n, err := s.Obligations.SetStatus(r.Context(), r.PathValue("ref"), r.PathValue("rule"), in, version)
	if err != nil {
		return err
	}
	w.Header().Set("ETag", etag(n.Version))
	writeJSON(w, http.StatusOK, n)
	return nil
}
