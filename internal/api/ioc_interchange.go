package api

import (
	"errors"
	"io"
	"mime"
	"net/http"
	"strconv"

	"github.com/warroom/warroom/internal/errs"
	"github.com/warroom/warroom/internal/ioc"
)

// IndicatorDocument documents the import body in OpenAPI: the document
// itself (a STIX bundle, a MISP event, CSV or text), not JSON around it.
type IndicatorDocument struct{}

// IndicatorExport documents an export's body: a document whose media
// type depends on the format.
type IndicatorExport struct{}

// importIOCs reads the request body as a document of the format the
// query names and adds its indicators to the incident (ioc.Service.Import).
// The body has its own limit, ioc.MaxImportBytes, instead of the JSON
// body limit: feeds are bigger than API requests.
func (s *Server) importIOCs(w http.ResponseWriter, r *http.Request) error {
	f := ioc.Format(r.URL.Query().Get("format"))
	if err := formatErr(f, ioc.ImportFormats); err != nil {
		return err
	}
	doc, err := io.ReadAll(http.MaxBytesReader(w, r.Body, ioc.MaxImportBytes))
	var mbe *http.MaxBytesError
	if errors.As(err, &mbe) {
		return errs.E(errs.TooLarge, "the document is larger than the import limit of %d bytes (%d MiB): split it", mbe.Limit, mbe.Limit>>20)
	} else if err != nil {
		return errs.Invalidf("could not read the request body")
	}
	rep, err := s.IOCs.Import(r.Context(), r.PathValue("ref"), f, doc)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, rep)
	return nil
}

// exportIOCs answers the incident's indicators as a document to save:
// Content-Type per format, Content-Disposition naming the file.
func (s *Server) exportIOCs(w http.ResponseWriter, r *http.Request) error {
	q := query{r: r}
	req := ioc.ExportRequest{Format: ioc.Format(q.str("format")), Type: ioc.Type(q.str("type")), All: q.bool("all"), MaxTLP: q.str("max_tlp")}
	if err := q.err(); err != nil {
		return err
	}
	if err := formatErr(req.Format, ioc.ExportFormats); err != nil {
		return err
	}
	out, err := s.IOCs.Export(r.Context(), r.PathValue("ref"), req)
	if err != nil {
		return err
	}
	w.Header().Set("Content-Type", out.ContentType)
	w.Header().Set("Content-Disposition", mime.FormatMediaType("attachment", map[string]string{"filename": out.Filename}))
	w.Header().Set("X-Warroom-Count", strconv.Itoa(out.Count))
	w.WriteHeader(http.StatusOK)
	_, _ = w.Write(out.Body)
	return nil
}

// formatErr is the 400 problem for a missing or unknown format, naming
// the allowed ones.
func formatErr(f ioc.Format, allowed []ioc.Format) error {
	for _, a := range allowed {
		if f == a {
			return nil
		}
	}
	names := ""
	for i, a := range allowed {
		if i > 0 {
			names += ", "
		}
		names += string(a)
	}
	if f == "" {
		return fieldErr("format", "is required: use one of %s", names)
	}
	return fieldErr("format", "%q is not allowed; use one of %s", f, names)
}
