package web

import (
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/warroom/warroom/internal/errs"
	"github.com/warroom/warroom/internal/incident"
	"github.com/warroom/warroom/internal/ioc"
)

// indicatorsPage is an incident's indicators: a filtered table with
// checkboxes for bulk actions, and a form to add one.
type indicatorsPage struct {
	Incident   incident.Incident
	Items      []ioc.Indicator
	Filter     ioc.Filter
	NextCursor string
	// Filtered is true when a filter narrows the list, so an empty table
	// says "nothing matches" rather than "nothing yet".
	Filtered bool
	CanWrite bool
	// Imported is the report of an import just made.
	Imported *ioc.ImportReport
}

// FilterQuery is the query string of the current filter, for the next
// page link.
func (p indicatorsPage) FilterQuery() string {
	q := url.Values{}
	if p.Filter.Type != "" {
		q.Set("type", string(p.Filter.Type))
	}
	if p.Filter.IOCOnly {
		q.Set("ioc", "1")
	}
	if p.Filter.Query != "" {
		q.Set("q", p.Filter.Query)
	}
	return q.Encode()
}

func (s *Server) indicatorList(w http.ResponseWriter, r *http.Request, v *view) error {
	return s.renderIndicators(w, r, v, http.StatusOK)
}

func (s *Server) renderIndicators(w http.ResponseWriter, r *http.Request, v *view, status int) error {
	return s.renderIndicatorsWith(w, r, v, status, nil)
}

func (s *Server) renderIndicatorsWith(w http.ResponseWriter, r *http.Request, v *view, status int, imported *ioc.ImportReport) error {
	ctx, ref := r.Context(), r.PathValue("ref")
	inc, err := s.Incidents.Get(ctx, ref)
	if err != nil {
		return err
	}
	q := r.URL.Query()
	f := ioc.Filter{Type: ioc.Type(q.Get("type")), IOCOnly: q.Get("ioc") == "1", Query: strings.TrimSpace(q.Get("q")), Cursor: q.Get("cursor"), Limit: 200}
	p, err := s.IOCs.List(ctx, ref, f)
	if err != nil {
		return err
	}
	d := indicatorsPage{Incident: inc, Items: p.Items, Filter: f, NextCursor: p.NextCursor, CanWrite: v.Actor.Role.CanWrite(),
		Filtered: f.Type != "" || f.IOCOnly || f.Query != "", Imported: imported}
	v.Title, v.Nav, v.Data = "Indicators · "+inc.Ref, "incidents", d
	return s.render(w, status, "indicators", v)
}

// addIndicator is the "Add an indicator" form; a value already recorded
// is merged into it, as the API does.
func (s *Server) addIndicator(w http.ResponseWriter, r *http.Request, v *view) error {
	f := r.PostForm
	in := ioc.Input{Type: ioc.Type(f.Get("type")), Value: f.Get("value"), TLP: f.Get("tlp"), Source: f.Get("source"), Note: f.Get("note")}
	isIOC := f.Get("is_ioc") != "0"
	in.IsIOC = &isIOC
	if tags := strings.TrimSpace(f.Get("tags")); tags != "" {
		in.Tags = strings.FieldsFunc(tags, func(r rune) bool { return r == ',' || r == ' ' })
	}
	if c := strings.TrimSpace(f.Get("confidence")); c != "" {
		n, err := strconv.Atoi(c)
		if err != nil {
			return s.indicatorRejected(w, r, v, "add", fieldError("confidence", "%q is not a number: give 0 to 100", c))
		}
		in.Confidence = &n
	}
	ref := r.PathValue("ref")
	x, created, err := s.IOCs.Add(r.Context(), ref, in)
	if err != nil {
		return s.indicatorRejected(w, r, v, "add", err)
	}
	done := "ioc-added"
	if !created {
		done = "ioc-merged"
	}
	return redirect(w, r, "/incidents/"+ref+"/indicators#i-"+x.ID, done)
}

// bulkIndicators applies one action to the checked rows, all or none.
func (s *Server) bulkIndicators(w http.ResponseWriter, r *http.Request, v *view) error {
	f := r.PostForm
	in := ioc.BulkInput{IDs: f["id"], Action: f.Get("action"), TLP: f.Get("tlp"), Tag: strings.TrimSpace(f.Get("tag"))}
	ref := r.PathValue("ref")
	res, err := s.IOCs.Bulk(r.Context(), ref, in)
	if err != nil {
		return s.indicatorRejected(w, r, v, "bulk", err)
	}
	v.Flash = fmt.Sprintf("%d %s changed", res.Changed, plural(res.Changed, "indicator", "indicators"))
	if res.Unchanged > 0 {
		v.Flash += fmt.Sprintf("; %d already %s so", res.Unchanged, plural(res.Unchanged, "was", "were"))
	}
	v.Flash += "."
	// Rendered rather than redirected so the count can be shown; the
	// filter the person was looking at comes back with the form.
	r.URL.RawQuery = f.Get("back")
	return s.renderIndicators(w, r, v, http.StatusOK)
}

func (s *Server) indicatorRejected(w http.ResponseWriter, r *http.Request, v *view, form string, err error) error {
	status := statusOf(errs.CodeOf(err))
	var rerr error
	if v.Form, rerr = rejected(r, form, err); rerr != nil {
		return rerr
	}
	return s.renderIndicators(w, r, v, status)
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}
