package api

import (
	"errors"
	"io"
	"mime"
	"net/http"

	"github.com/warroom/warroom/internal/errs"
	"github.com/warroom/warroom/internal/obligation"
)

// RulesDocument documents the body of PUT /obligations/rules/custom in
// OpenAPI: the rules document itself (YAML, or JSON in the same shape),
// not JSON around it.
type RulesDocument struct{}

// rulesMediaTypes are the Content-Types a rules document may be sent as;
// JSON is YAML too.
var rulesMediaTypes = map[string]bool{"application/yaml": true, "application/x-yaml": true, "text/yaml": true, "text/x-yaml": true,
	"text/plain": true, "application/json": true}

// listObligationRules lists the rules evaluated for the caller's
// organisation: the built-in catalogue and the organisation's own, each
// with its origin.
func (s *Server) listObligationRules(w http.ResponseWriter, r *http.Request) error {
	rules, err := s.Obligations.ListRules(r.Context())
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, list(rules))
	return nil
}

// getOrgObligationRules returns the organisation's own rules document
// (admins), its version as the ETag.
func (s *Server) getOrgObligationRules(w http.ResponseWriter, r *http.Request) error {
	doc, err := s.Obligations.OrgRules(r.Context())
	if err != nil {
		return err
	}
	w.Header().Set("ETag", etag(doc.Version))
	writeJSON(w, http.StatusOK, doc)
	return nil
}

// putOrgObligationRules replaces the organisation's own rules document
// with the request body (admins). If-Match guards against overwriting
// someone else's change; without it the last write wins, as elsewhere.
func (s *Server) putOrgObligationRules(w http.ResponseWriter, r *http.Request) error {
	version, err := ifMatch(r)
	if err != nil {
		return err
	}
	if version == 0 {
		version = obligation.AnyVersion
	}
	if ct := r.Header.Get("Content-Type"); ct != "" {
		mt, _, err := mime.ParseMediaType(ct)
		if err != nil || !rulesMediaTypes[mt] {
			return errs.E(errs.UnsupportedMedia, "send the rules document as application/yaml (or text/plain, or application/json), not %q", ct)
		}
	}
	src, err := io.ReadAll(http.MaxBytesReader(w, r.Body, obligation.MaxRulesFile))
	var mbe *http.MaxBytesError
	if errors.As(err, &mbe) {
		return errs.E(errs.TooLarge, "the rules document is larger than the limit of %d bytes (%d KiB)", mbe.Limit, mbe.Limit>>10)
	} else if err != nil {
		return errs.Invalidf("could not read the request body")
	}
	doc, err := s.Obligations.PutOrgRules(r.Context(), src, version)
	if err != nil {
		return err
	}
	w.Header().Set("ETag", etag(doc.Version))
	writeJSON(w, http.StatusOK, doc)
	return nil
}
