package api

import (
	"net/http"
	"strconv"

	"github.com/warroom/warroom/internal/errs"
	"github.com/warroom/warroom/internal/incident"
)

func (s *Server) listTasks(w http.ResponseWriter, r *http.Request) error {
	q := query{r: r}
	f := incident.TaskFilter{Mine: q.bool("mine"), Overdue: q.bool("overdue"), Phase: incident.Phase(q.str("phase")),
		Role: q.str("role"), Status: incident.TaskStatus(q.str("status"))}
	limit := q.int("limit")
	after := q.int64("cursor")
	if err := q.err(); err != nil {
		return err
	}
	var v errs.Validation
	limit = incident.CheckLimit(&v, limit)
	if err := v.Err(); err != nil {
		return err
	}
	ts, err := s.Incidents.Tasks(r.Context(), r.PathValue("ref"), f)
	if err != nil {
		return err
	}
	// Tasks per incident number in the hundreds at most: page in memory by
	// task number, which is also the cursor.
	page := incident.Page[incident.Task]{Items: []incident.Task{}}
	for _, t := range ts {
		if t.Number <= after {
			continue
		}
		if len(page.Items) == limit {
			page.NextCursor = strconv.FormatInt(page.Items[limit-1].Number, 10)
			break
		}
		page.Items = append(page.Items, t)
	}
	writeJSON(w, http.StatusOK, page)
	return nil
}

func (s *Server) createTask(w http.ResponseWriter, r *http.Request) error {
	var in incident.TaskInput
	if err := s.decode(w, r, &in); err != nil {
		return err
	}
	t, err := s.Incidents.CreateTask(r.Context(), r.PathValue("ref"), in)
	if err != nil {
		return err
	}
	w.Header().Set("Location", "/api/v1/incidents/"+t.IncidentRef+"/tasks/"+strconv.FormatInt(t.Number, 10))
	w.Header().Set("ETag", etag(t.Version))
	writeJSON(w, http.StatusCreated, t)
	return nil
}

func taskNumber(r *http.Request) (int64, error) {
	n, err := strconv.ParseInt(r.PathValue("number"), 10, 64)
	if err != nil || n < 1 {
		return 0, errs.NotFoundf("task %q not found: tasks are numbered 1, 2, 3… within an incident", r.PathValue("number"))
	}
	return n, nil
}

func (s *Server) getTask(w http.ResponseWriter, r *http.Request) error {
	n, err := taskNumber(r)
	if err != nil {
		return err
	}
	t, err := s.Incidents.Task(r.Context(), r.PathValue("ref"), n)
	if err != nil {
		return err
	}
	w.Header().Set("ETag", etag(t.Version))
	writeJSON(w, http.StatusOK, t)
	return nil
}

func (s *Server) updateTask(w http.ResponseWriter, r *http.Request) error {
	n, err := taskNumber(r)
	if err != nil {
		return err
	}
	version, err := ifMatch(r)
	if err != nil {
		return err
	}
	var p incident.TaskPatch
	if err := s.decode(w, r, &p); err != nil {
		return err
	}
	t, err := s.Incidents.UpdateTask(r.Context(), r.PathValue("ref"), n, p, version)
	if err != nil {
		return err
	}
	w.Header().Set("ETag", etag(t.Version))
	writeJSON(w, http.StatusOK, t)
	return nil
}
