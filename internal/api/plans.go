package api

import (
	"net/http"
	"strconv"

	"github.com/warroom/warroom/internal/errs"
	"github.com/warroom/warroom/internal/plan"
)

// PlanImport is a plan to add to the library: the YAML and a file name
// for the problem positions.
type PlanImport struct {
	File   string `json:"file"`
	Source string `json:"source"`
}

// PlanImported says which version the import stored; created is false
// when the same version was already in the library.
type PlanImported struct {
	Plan    plan.Stored `json:"plan"`
	Created bool        `json:"created"`
}

// PlanVersion is one stored version with its parsed content.
type PlanVersion struct {
	plan.Stored
	Plan *plan.Plan `json:"plan"`
}

// PlanDiff is a unified diff between two versions.
type PlanDiff struct {
	Diff string `json:"diff"`
}

func (s *Server) listPlans(w http.ResponseWriter, r *http.Request) error {
	ps, err := s.Plans.List(r.Context())
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, list(ps))
	return nil
}

func (s *Server) importPlan(w http.ResponseWriter, r *http.Request) error {
	var in PlanImport
	if err := s.decode(w, r, &in); err != nil {
		return err
	}
	if in.File == "" {
		in.File = "plan.yaml"
	}
	st, created, err := s.Plans.Import(r.Context(), in.File, []byte(in.Source))
	if err != nil {
		return err
	}
	status := http.StatusOK
	if created {
		status = http.StatusCreated
	}
	st.Source = ""
	writeJSON(w, status, PlanImported{Plan: st, Created: created})
	return nil
}

func (s *Server) planVersions(w http.ResponseWriter, r *http.Request) error {
	vs, err := s.Plans.Versions(r.Context(), r.PathValue("id"))
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, list(vs))
	return nil
}

func (s *Server) getPlanVersion(w http.ResponseWriter, r *http.Request) error {
	v, err := strconv.Atoi(r.PathValue("version"))
	if err != nil || v < 0 {
		return errs.NotFoundf("plan %s has no version %q", r.PathValue("id"), r.PathValue("version"))
	}
	st, p, err := s.Plans.Get(r.Context(), r.PathValue("id"), v)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, PlanVersion{Stored: st, Plan: p})
	return nil
}

func (s *Server) diffPlan(w http.ResponseWriter, r *http.Request) error {
	q := query{r: r}
	from, to := q.int("from"), q.int("to")
	if from < 1 {
		q.v.Add("from", "give the older version, like ?from=1&to=2")
	}
	if to < 1 {
		q.v.Add("to", "give the newer version, like ?from=1&to=2")
	}
	if err := q.err(); err != nil {
		return err
	}
	d, err := s.Plans.Diff(r.Context(), r.PathValue("id"), from, to)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, PlanDiff{Diff: d})
	return nil
}
