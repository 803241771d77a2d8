package client

import (
	"context"
	"net/http"
	"strconv"
)

// CreateTask adds a task to an incident.
func (c *Client) CreateTask(ctx context.Context, ref string, in TaskInput) (Task, error) {
	var out Task
	_, err := c.Do(ctx, http.MethodPost, "/api/v1/incidents/"+esc(ref)+"/tasks", nil, in, &out)
	return out, err
}

// Tasks returns every task of an incident matching f, following pages.
func (c *Client) Tasks(ctx context.Context, ref string, f TaskFilter) ([]Task, error) {
	var all []Task
	cursor := ""
	for {
		var page Page[Task]
		q := values("mine", strconv.FormatBool(f.Mine), "overdue", strconv.FormatBool(f.Overdue), "phase", f.Phase,
			"role", f.Role, "status", f.Status, "limit", "500", "cursor", cursor)
		if err := c.get(ctx, "/api/v1/incidents/"+esc(ref)+"/tasks"+q, &page); err != nil {
			return nil, err
		}
		all = append(all, page.Items...)
		if cursor = page.NextCursor; cursor == "" {
			return all, nil
		}
	}
}

// Task returns one task by number.
func (c *Client) Task(ctx context.Context, ref string, number int64) (Task, error) {
	var out Task
	return out, c.get(ctx, "/api/v1/incidents/"+esc(ref)+"/tasks/"+strconv.FormatInt(number, 10), &out)
}

// UpdateTask changes a task; version, when not 0, must be current.
func (c *Client) UpdateTask(ctx context.Context, ref string, number int64, p TaskPatch, version int64) (Task, error) {
	var out Task
	_, err := c.Do(ctx, http.MethodPatch, "/api/v1/incidents/"+esc(ref)+"/tasks/"+strconv.FormatInt(number, 10), ifMatch(version), p, &out)
	return out, err
}
