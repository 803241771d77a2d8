package api

import (
	"errors"
	"io"
	"net/http"
	"strings"
	"time"

	"github.com/warroom/warroom/internal/actor"
	"github.com/warroom/warroom/internal/errs"
	"github.com/warroom/warroom/internal/evidence"
)

// EvidenceUpload documents the multipart/form-data upload: the metadata
// fields as text parts first, then the content in a part named "file".
type EvidenceUpload struct {
	evidence.Meta
	File binaryContent `json:"file"`
}

// binaryContent is raw bytes in OpenAPI: a file part, or a download.
type binaryContent struct{}

// maxUploadField bounds each metadata part of an upload (the file part is
// bounded by the evidence size limit instead).
const maxUploadField = 20000

func (s *Server) listEvidence(w http.ResponseWriter, r *http.Request) error {
	items, err := s.Evidence.List(r.Context(), r.PathValue("ref"))
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, list(items))
	return nil
}

// uploadEvidence streams a multipart upload into the locker: the parts are
// read one after another and the file part goes straight to the blob store,
// so nothing holds the file in memory (never ParseMultipartForm). The JSON
// body limit does not apply; the evidence size limit does.
func (s *Server) uploadEvidence(w http.ResponseWriter, r *http.Request) error {
	mr, err := r.MultipartReader()
	if err != nil {
		return errs.E(errs.UnsupportedMedia, "send the upload as multipart/form-data: metadata fields first, then the content in a part named \"file\"")
	}
	// A large upload outlasts the server's read timeout; the size limit and
	// the client hanging up are what end it.
	_ = http.NewResponseController(w).SetReadDeadline(time.Time{})
	var m evidence.Meta
	for {
		part, err := mr.NextPart()
		if errors.Is(err, io.EOF) {
			return fieldErr("file", "no part named \"file\": send the content in a part named file, after the metadata fields")
		} else if err != nil {
			return errs.Invalidf("the multipart body is malformed: %s", err.Error())
		}
		name := part.FormName()
		if name == "file" {
			if m.Name == "" {
				m.Name = part.FileName()
			}
			if m.MediaType == "" {
				m.MediaType = part.Header.Get("Content-Type")
			}
			e, err := s.Evidence.Upload(r.Context(), r.PathValue("ref"), m, part)
			if err != nil {
				return err
			}
			w.Header().Set("Location", "/api/v1/incidents/"+e.IncidentRef+"/evidence/"+e.Label)
			w.Header().Set("ETag", etag(e.Version))
			writeJSON(w, http.StatusCreated, e)
			return nil
		}
		b, err := io.ReadAll(io.LimitReader(part, maxUploadField+1))
		if err != nil {
			return errs.Invalidf("the multipart body is malformed: %s", err.Error())
		}
		if len(b) > maxUploadField {
			return fieldErr(name, "must be at most %d bytes", maxUploadField)
		}
		if err := setUploadField(&m, name, string(b)); err != nil {
			return err
		}
	}
}

func setUploadField(m *evidence.Meta, name, v string) error {
	fields := map[string]*string{"name": &m.Name, "description": &m.Description, "source_host": &m.SourceHost,
		"source_person": &m.SourcePerson, "collected_by": &m.CollectedBy, "method": &m.Method, "media_type": &m.MediaType}
	if p, ok := fields[name]; ok {
		*p = v
		return nil
	}
	if name == "collected_at" {
		t, err := time.Parse(time.RFC3339Nano, strings.TrimSpace(v))
		if err != nil {
			return fieldErr(name, "%q is not an RFC 3339 time like 2026-11-26T09:00:00Z", v)
		}
		m.CollectedAt = &t
		return nil
	}
	return fieldErr(name, "is not a field of this upload; see /api/v1/openapi.json")
}

func (s *Server) registerEvidence(w http.ResponseWriter, r *http.Request) error {
	var in evidence.ExternalInput
	if err := s.decode(w, r, &in); err != nil {
		return err
	}
	e, err := s.Evidence.Register(r.Context(), r.PathValue("ref"), in)
	if err != nil {
		return err
	}
	w.Header().Set("Location", "/api/v1/incidents/"+e.IncidentRef+"/evidence/"+e.Label)
	w.Header().Set("ETag", etag(e.Version))
	writeJSON(w, http.StatusCreated, e)
	return nil
}

func (s *Server) getEvidence(w http.ResponseWriter, r *http.Request) error {
	e, err := s.Evidence.Get(r.Context(), r.PathValue("ref"), r.PathValue("id"))
	if err != nil {
		return err
	}
	w.Header().Set("ETag", etag(e.Version))
	writeJSON(w, http.StatusOK, e)
	return nil
}

// downloadEvidence sends a stored file (evidence.Send says how).
func (s *Server) downloadEvidence(w http.ResponseWriter, r *http.Request) error {
	// A download writes to the chain of custody, and the API takes the
	// browser's session cookie on GETs: without this, a link on another
	// site could record an access in the victim's name. Browsers use the
	// web page's form (POST, CSRF token) instead.
	if a := actor.From(r.Context()); a != nil && a.Via == "session" {
		return errs.Forbiddenf("download evidence from its page in the web UI, or through the API with a token")
	}
	reason := r.URL.Query().Get("reason")
	e, f, err := s.Evidence.Open(r.Context(), r.PathValue("ref"), r.PathValue("id"), reason)
	if err != nil {
		return err
	}
	defer f.Close()
	evidence.Send(w, e, f)
	return nil
}

func (s *Server) addCustody(w http.ResponseWriter, r *http.Request) error {
	var in evidence.CustodyInput
	if err := s.decode(w, r, &in); err != nil {
		return err
	}
	ev, err := s.Evidence.Custody(r.Context(), r.PathValue("ref"), r.PathValue("id"), in)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, ev)
	return nil
}

func (s *Server) listCustody(w http.ResponseWriter, r *http.Request) error {
	evs, err := s.Evidence.History(r.Context(), r.PathValue("ref"), r.PathValue("id"))
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, list(evs))
	return nil
}
