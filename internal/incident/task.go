package incident

import (
	"slices"
	"strings"
	"time"

	"github.com/warroom/warroom/internal/errs"
)

// TaskStatus is where a task stands.
type TaskStatus string

// TaskStatuses lists the task statuses.
var TaskStatuses = []TaskStatus{"open", "in_progress", "blocked", "done", "cancelled"}

// finished reports whether a task needs no more work.
func (s TaskStatus) finished() bool { return s == "done" || s == "cancelled" }

// Task is a piece of response work on an incident, numbered within it.
type Task struct {
	ID          string     `json:"id"`
	Number      int64      `json:"number"`
	IncidentRef string     `json:"incident_ref"`
	Title       string     `json:"title"`
	Description string     `json:"description"`
	Phase       Phase      `json:"phase"`
	OwnerID     string     `json:"owner_id,omitempty"`
	OwnerName   string     `json:"owner_name,omitempty"`
	OwnerEmail  string     `json:"owner_email,omitempty"`
	Role        string     `json:"role,omitempty"`
	DueAt       *time.Time `json:"due_at,omitempty"`
	Status      TaskStatus `json:"status"`
	Overdue     bool       `json:"overdue"`
	DependsOn   []int64    `json:"depends_on"`
	BlockedBy   []int64    `json:"blocked_by"` // dependencies not yet done or cancelled
	CreatedBy   string     `json:"created_by"`
	CreatedAt   time.Time  `json:"created_at"`
	UpdatedAt   time.Time  `json:"updated_at"`
	Version     int64      `json:"version"`
	// PlanStep is the plan step or decision this task came from.
	PlanStep string `json:"plan_step,omitempty"`
}

// TaskInput creates a task.
type TaskInput struct {
	Title       string     `json:"title"`
	Description string     `json:"description"`
	Phase       Phase      `json:"phase"` // default: the incident's current phase
	Owner       string     `json:"owner"` // user ID or email
	Role        string     `json:"role"`
	DueAt       *time.Time `json:"due_at"`
	DependsOn   []int64    `json:"depends_on"`
	Status      TaskStatus `json:"status"` // default open
}

// TaskPatch changes some fields of a task; nil fields stay. An empty
// Owner, Role or DueAt string clears that field.
type TaskPatch struct {
	Title       *string     `json:"title"`
	Description *string     `json:"description"`
	Phase       *Phase      `json:"phase"`
	Owner       *string     `json:"owner"`
	Role        *string     `json:"role"`
	DueAt       *string     `json:"due_at"`
	Status      *TaskStatus `json:"status"`
	DependsOn   *[]int64    `json:"depends_on"`
}

// TaskFilter selects tasks of an incident. Zero values mean "any".
type TaskFilter struct {
	Mine    bool // owned by the actor, or assigned to a role the actor holds
	Overdue bool
	Phase   Phase
	Role    string
	Status  TaskStatus
}

func (t *Task) derive(now time.Time, statusOf map[int64]TaskStatus) {
	t.Overdue = t.DueAt != nil && t.DueAt.Before(now) && !t.Status.finished()
	t.BlockedBy = []int64{}
	for _, d := range t.DependsOn {
		if !statusOf[d].finished() {
			t.BlockedBy = append(t.BlockedBy, d)
		}
	}
}

func checkTaskText(v *errs.Validation, title, desc *string) {
	if title != nil {
		*title = strings.TrimSpace(*title)
		checkTitle(v, *title)
	}
	if desc != nil {
		checkSummary(v, "description", *desc)
	}
}

// checkDependencies refuses unknown tasks, self-dependencies and cycles.
// edges maps each task number to the numbers it depends on, including the
// proposed change.
func checkDependencies(v *errs.Validation, self int64, deps []int64, edges map[int64][]int64) {
	for _, d := range deps {
		if d == self {
			v.Add("depends_on", "a task cannot depend on itself")
			return
		}
		if _, ok := edges[d]; !ok {
			v.Add("depends_on", "task %d does not exist in this incident", d)
			return
		}
	}
	edges[self] = deps
	// Depth-first search from self: reaching self again is a cycle.
	seen := map[int64]bool{}
	var walk func(n int64) bool
	walk = func(n int64) bool {
		for _, d := range edges[n] {
			if d == self {
				return true
			}
			if !seen[d] {
				seen[d] = true
				if walk(d) {
					return true
				}
			}
		}
		return false
	}
	if walk(self) {
		v.Add("depends_on", "would create a dependency cycle through task %d", self)
	}
}

func uniqueSorted(ns []int64) []int64 {
	out := slices.Clone(ns)
	slices.Sort(out)
	return slices.Compact(out)
}
