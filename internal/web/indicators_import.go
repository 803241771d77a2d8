package web

import (
	"errors"
	"io"
	"net/http"

	"github.com/warroom/warroom/internal/errs"
	"github.com/warroom/warroom/internal/ioc"
)

// importIndicators takes a STIX bundle, MISP event, CSV file or text file
// from the indicators page. Like an evidence upload it is multipart and
// read part by part: the CSRF token first, then the format, then the file,
// which is read up to the import limit and no further.
func (s *Server) importIndicators(w http.ResponseWriter, r *http.Request, v *view) error {
	if !v.csrfPending {
		return s.indicatorRejected(w, r, v, "import", fieldError("file", "choose a file to import"))
	}
	mr, err := s.streamedForm(r, v)
	if err != nil {
		return err
	}
	var format string
	for {
		part, err := mr.NextPart()
		if errors.Is(err, io.EOF) {
			return s.indicatorRejected(w, r, v, "import", fieldError("file", "choose a file to import"))
		} else if err != nil {
			return errs.Invalidf("the upload could not be read: %s", err.Error())
		}
		if part.FormName() == "format" {
			b, _ := io.ReadAll(io.LimitReader(part, 64))
			format = string(b)
			continue
		}
		if part.FormName() != "file" {
			continue
		}
		doc, err := io.ReadAll(io.LimitReader(part, ioc.MaxImportBytes+1))
		if err != nil {
			return errs.Invalidf("the upload could not be read: %s", err.Error())
		}
		if part.FileName() == "" && len(doc) == 0 {
			return s.indicatorRejected(w, r, v, "import", fieldError("file", "choose a file to import"))
		}
		rep, err := s.IOCs.Import(r.Context(), r.PathValue("ref"), ioc.Format(format), doc)
		if err != nil {
			return s.indicatorRejected(w, r, v, "import", err)
		}
		return s.renderIndicatorsWith(w, r, v, http.StatusOK, &rep)
	}
}
