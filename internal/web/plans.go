package web

import (
	"net/http"
	"strconv"

	"github.com/warroom/warroom/internal/errs"
	"github.com/warroom/warroom/internal/plan"
)

type plansPage struct {
	Plans    []plan.Stored
	Imported *plan.Stored
}

func (s *Server) planList(w http.ResponseWriter, r *http.Request, v *view) error {
	return s.renderPlans(w, r, v, http.StatusOK, plansPage{})
}

func (s *Server) renderPlans(w http.ResponseWriter, r *http.Request, v *view, status int, d plansPage) error {
	var err error
	if d.Plans, err = s.Plans.List(r.Context()); err != nil {
		return err
	}
	v.Title, v.Nav, v.Data = "Plans", "plans", d
	return s.render(w, status, "plans", v)
}

// importPlan takes a plan pasted or uploaded; lint problems come back next
// to the form, each with its line and column.
func (s *Server) importPlan(w http.ResponseWriter, r *http.Request, v *view) error {
	src := r.PostFormValue("source")
	st, created, err := s.Plans.Import(r.Context(), "plan.yaml", []byte(src))
	if err == nil {
		done := "plan-imported"
		if !created {
			done = "plan-unchanged"
		}
		return redirect(w, r, "/plans/"+st.PlanID, done)
	}
	status := statusOf(errs.CodeOf(err))
	if v.Form, err = rejected(r, "import", err); err != nil {
		return err
	}
	return s.renderPlans(w, r, v, status, plansPage{})
}

type planPage struct {
	Current  plan.Stored
	Plan     *plan.Plan
	Versions []plan.Stored
	Diff     string
	DiffFrom int
}

func (s *Server) planDetail(w http.ResponseWriter, r *http.Request, v *view) error {
	ctx, id := r.Context(), r.PathValue("id")
	q := r.URL.Query()
	ver, _ := strconv.Atoi(q.Get("version"))
	var d planPage
	var err error
	if d.Current, d.Plan, err = s.Plans.Get(ctx, id, ver); err != nil {
		return err
	}
	if d.Versions, err = s.Plans.Versions(ctx, id); err != nil {
		return err
	}
	if from, _ := strconv.Atoi(q.Get("diff")); from > 0 && from != d.Current.Version {
		if d.Diff, err = s.Plans.Diff(ctx, id, from, d.Current.Version); err != nil {
			return err
		}
		d.DiffFrom = from
	}
	v.Title, v.Nav, v.Data = d.Current.Title, "plans", d
	return s.render(w, http.StatusOK, "plan", v)
}
