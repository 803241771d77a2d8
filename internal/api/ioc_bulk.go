package api

import (
	"net/http"

	"github.com/warroom/warroom/internal/ioc"
)

// bulkIOCs applies one action to many indicators, all or none.
func (s *Server) bulkIOCs(w http.ResponseWriter, r *http.Request) error {
	var in ioc.BulkInput
	if err := s.decode(w, r, &in); err != nil {
		return err
	}
	res, err := s.IOCs.Bulk(r.Context(), r.PathValue("ref"), in)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, res)
	return nil
}

// recordSweep takes a sweep's sightings for the incident's indicators.
func (s *Server) recordSweep(w http.ResponseWriter, r *http.Request) error {
	var rep ioc.SweepReport
	if err := s.decode(w, r, &rep); err != nil {
		return err
	}
	res, err := s.IOCs.RecordSweep(r.Context(), r.PathValue("ref"), rep)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, res)
	return nil
}
