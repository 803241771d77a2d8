package web

import (
	"fmt"
	"net/http"
	"strings"

	"github.com/warroom/warroom/internal/errs"
	"github.com/warroom/warroom/internal/incident"
	"github.com/warroom/warroom/internal/ioc"
)

// extractPage is the paste box and, after extracting, the candidates for
// review: likely indicators are ticked, doubtful ones are shown with the
// reason and left unticked. Nothing is added until the person says so.
type extractPage struct {
	Incident   incident.Incident
	Text       string
	Candidates []ioc.Candidate
	Extracted  bool
	// Suggested counts the candidates ticked by default.
	Suggested int
	// Added and Failed report the last "Add selected".
	Added  int
	Merged int
	Failed []extractFailure
}

type extractFailure struct {
	Type, Value, Reason string
}

// maxExtractForm lets the paste box take the extractor's whole limit.
const maxExtractForm = ioc.MaxExtractText + 64<<10

func (s *Server) extractForm(w http.ResponseWriter, r *http.Request, v *view) error {
	inc, err := s.Incidents.Get(r.Context(), r.PathValue("ref"))
	if err != nil {
		return err
	}
	return s.renderExtract(w, v, http.StatusOK, extractPage{Incident: inc})
}

func (s *Server) renderExtract(w http.ResponseWriter, v *view, status int, d extractPage) error {
	v.Title, v.Nav, v.Data = "Extract indicators · "+d.Incident.Ref, "incidents", d
	return s.render(w, status, "extract", v)
}

// extractReview runs the extractor over the pasted text and shows what it
// found. It only reads: the incident is checked so that someone who may
// not see it cannot use its page.
func (s *Server) extractReview(w http.ResponseWriter, r *http.Request, v *view) error {
	ctx := r.Context()
	inc, err := s.Incidents.Get(ctx, r.PathValue("ref"))
	if err != nil {
		return err
	}
	d := extractPage{Incident: inc, Text: r.PostFormValue("text"), Extracted: true}
	cs, err := s.IOCs.Extract(ctx, ioc.ExtractInput{Text: d.Text})
	if err != nil {
		if v.Form, err = rejected(r, "extract", err); err != nil {
			return err
		}
		return s.renderExtract(w, v, statusOf(errs.Invalid), d)
	}
	d.Candidates = cs
	for _, c := range cs {
		if c.Suggest {
			d.Suggested++
		}
	}
	return s.renderExtract(w, v, http.StatusOK, d)
}

// addExtracted adds the ticked candidates. Each pick is "type:value" (no
// type has a colon, so the first one separates them). Each is added on its
// own, as if typed in: one that fails is reported and the rest still go in.
func (s *Server) addExtracted(w http.ResponseWriter, r *http.Request, v *view) error {
	ctx, ref := r.Context(), r.PathValue("ref")
	f := r.PostForm
	picks := f["pick"]
	if len(picks) == 0 {
		inc, err := s.Incidents.Get(ctx, ref)
		if err != nil {
			return err
		}
		v.Form = &formState{Name: "extracted", Message: "Tick at least one indicator to add.", Values: f, Fields: map[string]string{}}
		return s.renderExtract(w, v, http.StatusBadRequest, extractPage{Incident: inc, Text: f.Get("text")})
	}
	if len(picks) > ioc.MaxCandidates {
		return fieldError("pick", "%d picked; at most %d at a time", len(picks), ioc.MaxCandidates)
	}
	isIOC := f.Get("is_ioc") != "0"
	var tags []string
	if t := strings.TrimSpace(f.Get("tags")); t != "" {
		tags = strings.FieldsFunc(t, func(r rune) bool { return r == ',' || r == ' ' })
	}
	d := extractPage{}
	for _, p := range picks {
		typ, value, ok := strings.Cut(p, ":")
		if !ok {
			d.Failed = append(d.Failed, extractFailure{Value: p, Reason: "not a type:value pair"})
			continue
		}
		_, created, err := s.IOCs.Add(ctx, ref, ioc.Input{Type: ioc.Type(typ), Value: value, TLP: f.Get("tlp"), Source: f.Get("source"),
			IsIOC: &isIOC, Tags: tags})
		switch {
		case err == nil && created:
			d.Added++
		case err == nil:
			d.Merged++
		case errs.CodeOf(err) == errs.Invalid:
			d.Failed = append(d.Failed, extractFailure{Type: typ, Value: value, Reason: errs.MessageOf(err) + fieldSummary(err)})
		default:
			// Not found, forbidden, unavailable: the same for every pick.
			return err
		}
	}
	if len(d.Failed) == 0 {
		return redirect(w, r, "/incidents/"+ref+"/indicators", fmt.Sprintf("extracted-%d-%d", d.Added, d.Merged))
	}
	inc, err := s.Incidents.Get(ctx, ref)
	if err != nil {
		return err
	}
	d.Incident, d.Text = inc, f.Get("text")
	return s.renderExtract(w, v, http.StatusOK, d)
}

// fieldSummary lists the field errors of err after its message.
func fieldSummary(err error) string {
	var b strings.Builder
	for _, fe := range errs.FieldsOf(err) {
		fmt.Fprintf(&b, " %s: %s.", fe.Field, fe.Message)
	}
	return b.String()
}
