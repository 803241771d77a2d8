package web

import (
	"errors"
	"io"
	"mime"
	"mime/multipart"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/warroom/warroom/internal/errs"
	"github.com/warroom/warroom/internal/evidence"
	"github.com/warroom/warroom/internal/incident"
)

// evidencePage is an incident's locker: the items with their hashes and
// custodian, an upload form and a form for items held elsewhere.
type evidencePage struct {
	Incident incident.Incident
	Items    []evidence.Evidence
	CanWrite bool
	// MaxSize is the upload limit, shown next to the file input.
	MaxSize int64
}

func (s *Server) evidenceList(w http.ResponseWriter, r *http.Request, v *view) error {
	return s.renderEvidence(w, r, v, http.StatusOK)
}

func (s *Server) renderEvidence(w http.ResponseWriter, r *http.Request, v *view, status int) error {
	ctx, ref := r.Context(), r.PathValue("ref")
	inc, err := s.Incidents.Get(ctx, ref)
	if err != nil {
		return err
	}
	items, err := s.Evidence.List(ctx, ref)
	if err != nil {
		return err
	}
	d := evidencePage{Incident: inc, Items: items, CanWrite: v.Actor.Role.CanWrite(), MaxSize: s.Evidence.MaxUpload()}
	v.Title, v.Nav, v.Data = "Evidence · "+inc.Ref, "incidents", d
	return s.render(w, status, "evidence", v)
}

// maxUploadField bounds each metadata part of an upload.
const maxUploadField = 20000

// uploadEvidence streams a browser upload into the locker. The form is
// multipart: the CSRF token must be the first part (the template puts it
// there) and is checked before anything else is read; the metadata parts
// follow, then the file, which goes straight to the blob store. Nothing is
// spooled to disk or held in memory, whatever its size.
func (s *Server) uploadEvidence(w http.ResponseWriter, r *http.Request, v *view) error {
	if !v.csrfPending {
		// Not multipart: checkCSRF has parsed and checked the form as usual.
		return fieldError("file", "choose a file to upload (the form must be sent as multipart/form-data)")
	}
	mr, err := s.streamedForm(r, v)
	if err != nil {
		return err
	}
	// A large upload outlasts the server's read timeout; the size limit and
	// the browser hanging up are what end it.
	_ = http.NewResponseController(w).SetReadDeadline(time.Time{})
	f := url.Values{}
	for {
		part, err := mr.NextPart()
		if errors.Is(err, io.EOF) {
			return s.evidenceRejected(w, r, v, "upload", f, fieldError("file", "choose a file to upload"))
		} else if err != nil {
			return errs.Invalidf("the upload could not be read: %s", err.Error())
		}
		if part.FormName() != "file" {
			b, err := io.ReadAll(io.LimitReader(part, maxUploadField+1))
			if err != nil {
				return errs.Invalidf("the upload could not be read: %s", err.Error())
			}
			if len(b) > maxUploadField {
				return s.evidenceRejected(w, r, v, "upload", f, fieldError(part.FormName(), "must be at most %d bytes", maxUploadField))
			}
			f.Set(part.FormName(), string(b))
			continue
		}
		if part.FileName() == "" {
			return s.evidenceRejected(w, r, v, "upload", f, fieldError("file", "choose a file to upload"))
		}
		m, err := evidenceMeta(f)
		if err != nil {
			return s.evidenceRejected(w, r, v, "upload", f, err)
		}
		if m.Name == "" {
			m.Name = part.FileName()
		}
		m.MediaType = part.Header.Get("Content-Type")
		e, err := s.Evidence.Upload(r.Context(), r.PathValue("ref"), m, part)
		if err != nil {
			return s.evidenceRejected(w, r, v, "upload", f, err)
		}
		return redirect(w, r, "/incidents/"+e.IncidentRef+"/evidence/"+e.Label, "evidence-added")
	}
}

// evidenceMeta reads the metadata fields shared by uploads and external items.
func evidenceMeta(f url.Values) (evidence.Meta, error) {
	m := evidence.Meta{Name: f.Get("name"), Description: f.Get("description"), SourceHost: f.Get("source_host"),
		SourcePerson: f.Get("source_person"), CollectedBy: f.Get("collected_by"), Method: f.Get("method")}
	at, bad := formTime(f, "collected_at", nil)
	if len(bad) > 0 {
		return m, badTimes(bad)
	}
	m.CollectedAt = at
	return m, nil
}

func (s *Server) registerEvidence(w http.ResponseWriter, r *http.Request, v *view) error {
	f := r.PostForm
	m, err := evidenceMeta(f)
	if err != nil {
		return s.evidenceRejected(w, r, v, "external", f, err)
	}
	in := evidence.ExternalInput{Meta: m, Location: f.Get("location"), MD5: f.Get("md5"), SHA1: f.Get("sha1"), SHA256: f.Get("sha256")}
	if sz := strings.TrimSpace(f.Get("size")); sz != "" {
		n, err := strconv.ParseInt(sz, 10, 64)
		if err != nil {
			return s.evidenceRejected(w, r, v, "external", f, fieldError("size", "%q is not a number of bytes", sz))
		}
		in.Size = n
	}
	e, err := s.Evidence.Register(r.Context(), r.PathValue("ref"), in)
	if err != nil {
		return s.evidenceRejected(w, r, v, "external", f, err)
	}
	return redirect(w, r, "/incidents/"+e.IncidentRef+"/evidence/"+e.Label, "evidence-added")
}

func (s *Server) evidenceRejected(w http.ResponseWriter, r *http.Request, v *view, form string, values url.Values, err error) error {
	status := statusOf(errs.CodeOf(err))
	r.PostForm = values
	var rerr error
	if v.Form, rerr = rejected(r, form, err); rerr != nil {
		return rerr
	}
	return s.renderEvidence(w, r, v, status)
}

// evidenceItemPage is one item with its chain of custody.
type evidenceItemPage struct {
	Incident incident.Incident
	Item     evidence.Evidence
	History  []evidence.Event
	CanWrite bool
}

func (s *Server) evidenceDetail(w http.ResponseWriter, r *http.Request, v *view) error {
	return s.renderEvidenceItem(w, r, v, http.StatusOK)
}

func (s *Server) renderEvidenceItem(w http.ResponseWriter, r *http.Request, v *view, status int) error {
	ctx, ref, label := r.Context(), r.PathValue("ref"), r.PathValue("label")
	inc, err := s.Incidents.Get(ctx, ref)
	if err != nil {
		return err
	}
	e, err := s.Evidence.Get(ctx, ref, label)
	if err != nil {
		return err
	}
	h, err := s.Evidence.History(ctx, ref, label)
	if err != nil {
		return err
	}
	d := evidenceItemPage{Incident: inc, Item: e, History: h, CanWrite: v.Actor.Role.CanWrite()}
	v.Title, v.Nav, v.Data = e.Label+" · "+inc.Ref, "incidents", d
	return s.render(w, status, "evidence_item", v)
}

// addCustody records transfer, access, export, return or destroy.
func (s *Server) addCustody(w http.ResponseWriter, r *http.Request, v *view) error {
	f := r.PostForm
	in := evidence.CustodyInput{Action: f.Get("action"), From: f.Get("from"), To: f.Get("to"), Reason: f.Get("reason"),
		Method: f.Get("method"), Witness: f.Get("witness")}
	at, bad := formTime(f, "at", nil)
	if len(bad) > 0 {
		return s.custodyRejected(w, r, v, badTimes(bad))
	}
	in.At = at
	ref, label := r.PathValue("ref"), r.PathValue("label")
	if _, err := s.Evidence.Custody(r.Context(), ref, label, in); err != nil {
		return s.custodyRejected(w, r, v, err)
	}
	return redirect(w, r, "/incidents/"+ref+"/evidence/"+label+"#custody", "custody-recorded")
}

func (s *Server) custodyRejected(w http.ResponseWriter, r *http.Request, v *view, err error) error {
	status := statusOf(errs.CodeOf(err))
	var rerr error
	if v.Form, rerr = rejected(r, "custody", err); rerr != nil {
		return rerr
	}
	return s.renderEvidenceItem(w, r, v, status)
}

// downloadEvidence hands over a stored file. It is a POST from a form with
// the reason, not a link: a download is an access in the chain of custody,
// and a cross-site link must not be able to write one. The file is always
// an attachment of type application/octet-stream, since evidence is often
// hostile and must never render in the browser.
func (s *Server) downloadEvidence(w http.ResponseWriter, r *http.Request, v *view) error {
	e, file, err := s.Evidence.Open(r.Context(), r.PathValue("ref"), r.PathValue("label"), strings.TrimSpace(r.PostFormValue("reason")))
	if err != nil {
		return s.custodyRejected(w, r, v, err)
	}
	defer file.Close()
	evidence.Send(w, e, file)
	return nil
}

// streamedForm opens a multipart form whose first part must be the CSRF
// token, and checks it before anything else is read.
func (s *Server) streamedForm(r *http.Request, v *view) (*multipart.Reader, error) {
	mr, err := r.MultipartReader()
	if err != nil {
		return nil, errs.Invalidf("the upload could not be read: %s", err.Error())
	}
	part, err := mr.NextPart()
	if err != nil || part.FormName() != "csrf" {
		return nil, errs.Forbiddenf("the form's security token is missing or out of date; reload the page and try again")
	}
	tok, _ := io.ReadAll(io.LimitReader(part, 256))
	if !constantTimeEqual(string(tok), v.CSRF) {
		return nil, errs.Forbiddenf("the form's security token is missing or out of date; reload the page and try again")
	}
	v.csrfPending = false
	return mr, nil
}

// isMultipart reports whether the request body is multipart/form-data.
func isMultipart(r *http.Request) bool {
	mt, _, err := mime.ParseMediaType(r.Header.Get("Content-Type"))
	return err == nil && mt == "multipart/form-data"
}
