package client

import (
	"context"
	"net/http"
	"strconv"
	"time"
)

// Login exchanges a password for an API token.
func (c *Client) Login(ctx context.Context, email, password, org, tokenName string) (TokenCreated, error) {
	var out TokenCreated
	_, err := c.Do(ctx, http.MethodPost, "/api/v1/login", nil,
		map[string]string{"email": email, "password": password, "org": org, "token_name": tokenName}, &out)
	return out, err
}

// Me returns who the token belongs to.
func (c *Client) Me(ctx context.Context) (Me, error) {
	var out Me
	return out, c.get(ctx, "/api/v1/me", &out)
}

// DeclareIncident declares an incident.
func (c *Client) DeclareIncident(ctx context.Context, in DeclareInput) (Incident, error) {
	var out Incident
	_, err := c.Do(ctx, http.MethodPost, "/api/v1/incidents", nil, in, &out)
	return out, err
}

// ListIncidents returns one page of incidents.
func (c *Client) ListIncidents(ctx context.Context, f IncidentFilter) (Page[Incident], error) {
	var out Page[Incident]
	q := values("status", f.Status, "severity", f.Severity, "type", f.Type, "phase", f.Phase, "q", f.Query, "sort", f.Sort,
		"cursor", f.Cursor, "mine", strconv.FormatBool(f.Mine), "limit", strconv.Itoa(f.Limit))
	return out, c.get(ctx, "/api/v1/incidents"+q, &out)
}

// Incident returns one incident.
func (c *Client) Incident(ctx context.Context, ref string) (Incident, error) {
	var out Incident
	return out, c.get(ctx, "/api/v1/incidents/"+esc(ref), &out)
}

// UpdateIncident changes an incident; version, when not 0, must be current.
func (c *Client) UpdateIncident(ctx context.Context, ref string, p IncidentPatch, version int64) (Incident, error) {
	var out Incident
	_, err := c.Do(ctx, http.MethodPatch, "/api/v1/incidents/"+esc(ref), ifMatch(version), p, &out)
	return out, err
}

// CloseIncident closes an incident with an optional closing note.
func (c *Client) CloseIncident(ctx context.Context, ref, note string, version int64) (Incident, error) {
	var out Incident
	_, err := c.Do(ctx, http.MethodPost, "/api/v1/incidents/"+esc(ref)+"/close", ifMatch(version), map[string]string{"note": note}, &out)
	return out, err
}

// SetMilestone records when a milestone happened.
func (c *Client) SetMilestone(ctx context.Context, ref, kind string, at time.Time) (Incident, error) {
	var out Incident
	_, err := c.Do(ctx, http.MethodPut, "/api/v1/incidents/"+esc(ref)+"/milestones/"+esc(kind), nil, map[string]time.Time{"at": at}, &out)
	return out, err
}

// ClearMilestone removes a milestone time.
func (c *Client) ClearMilestone(ctx context.Context, ref, kind string) (Incident, error) {
	var out Incident
	_, err := c.Do(ctx, http.MethodDelete, "/api/v1/incidents/"+esc(ref)+"/milestones/"+esc(kind), nil, nil, &out)
	return out, err
}

// Roster returns an incident's roster.
func (c *Client) Roster(ctx context.Context, ref string) (Roster, error) {
	var out Roster
	return out, c.get(ctx, "/api/v1/incidents/"+esc(ref)+"/roster", &out)
}

// Assign puts a person (email or user ID) in a role.
func (c *Client) Assign(ctx context.Context, ref, role, user, note string) (Assignment, error) {
	var out Assignment
	_, err := c.Do(ctx, http.MethodPost, "/api/v1/incidents/"+esc(ref)+"/roster", nil, map[string]string{"role": role, "user": user, "note": note}, &out)
	return out, err
}

// Handover passes a role from one person (optional when only one holds it) to another.
func (c *Client) Handover(ctx context.Context, ref, role, from, to, note string) (Assignment, error) {
	var out Assignment
	_, err := c.Do(ctx, http.MethodPost, "/api/v1/incidents/"+esc(ref)+"/roster/handover", nil,
		map[string]string{"role": role, "from": from, "to": to, "note": note}, &out)
	return out, err
}

// Release takes a person out of a role.
func (c *Client) Release(ctx context.Context, ref, role, user, note string) (Roster, error) {
	var out Roster
	_, err := c.Do(ctx, http.MethodPost, "/api/v1/incidents/"+esc(ref)+"/roster/release", nil, map[string]string{"role": role, "user": user, "note": note}, &out)
	return out, err
}

// Verify checks one incident's hash chain on the server.
func (c *Client) Verify(ctx context.Context, ref string) (Report, error) {
	var out Report
	return out, c.get(ctx, "/api/v1/incidents/"+esc(ref)+"/verify", &out)
}

// VerifyAll checks every visible incident's hash chain on the server.
func (c *Client) VerifyAll(ctx context.Context) ([]Report, error) {
	var out Page[Report]
	return out.Items, c.get(ctx, "/api/v1/verify", &out)
}
