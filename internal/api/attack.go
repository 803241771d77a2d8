package api

import (
	"net/http"

	"github.com/warroom/warroom/internal/attack"
)

// recordAttack records attacker activity; 201 with the entry, the
// structured fields as stored and any warnings.
func (s *Server) recordAttack(w http.ResponseWriter, r *http.Request) error {
	var in attack.Input
	if err := s.decode(w, r, &in); err != nil {
		return err
	}
	out, err := s.Attack.Record(r.Context(), r.PathValue("ref"), in)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, out)
	return nil
}

func (s *Server) attackStory(w http.ResponseWriter, r *http.Request) error {
	st, err := s.Attack.Story(r.Context(), r.PathValue("ref"))
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, st)
	return nil
}

func (s *Server) attackTactics(w http.ResponseWriter, r *http.Request) error {
	ts, err := s.Attack.TacticList(r.Context())
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, list(ts))
	return nil
}

func (s *Server) attackTechniques(w http.ResponseWriter, r *http.Request) error {
	q := query{r: r}
	f := attack.TechniqueFilter{Query: q.str("q"), Tactic: q.str("tactic"), All: q.bool("all"), Limit: q.int("limit")}
	if err := q.err(); err != nil {
		return err
	}
	out, err := s.Attack.Techniques(r.Context(), f)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, out)
	return nil
}
