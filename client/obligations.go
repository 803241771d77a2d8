package client

import (
	"context"
	"net/http"
	"strconv"
	"time"
)

// ObligationFacts are the facts notification rules are evaluated against
// (docs/obligations.md).
type ObligationFacts struct {
	Organisation struct {
		Jurisdictions []string `json:"jurisdictions"`
		Sectors       []string `json:"sectors"`
		EntityTypes   []string `json:"entity_types"`
	} `json:"organisation"`
	Incident struct {
		Affected []struct {
			Jurisdiction string `json:"jurisdiction"`
			Count        int    `json:"count"`
		} `json:"affected"`
		DataTypes     []string          `json:"data_types"`
		DataEncrypted bool              `json:"data_encrypted"`
		Events        map[string]string `json:"events"`
	} `json:"incident"`
}

// ObligationFactsRecord is an incident's facts with their version.
type ObligationFactsRecord struct {
	Facts     ObligationFacts `json:"facts"`
	Version   int64           `json:"version"`
	UpdatedBy string          `json:"updated_by,omitempty"`
	UpdatedAt *time.Time      `json:"updated_at,omitempty"`
}

// ObligationStage is one report of a staged obligation.
type ObligationStage struct {
	Name string `json:"name"`
	Due  string `json:"due,omitempty"`
}

// Notification is what the team has done about one obligation.
type Notification struct {
	Status        string     `json:"status"`
	SubmittedAt   *time.Time `json:"submitted_at,omitempty"`
	SubmittedBy   string     `json:"submitted_by,omitempty"`
	Reference     string     `json:"reference,omitempty"`
	ProofEvidence string     `json:"proof_evidence,omitempty"`
	Rationale     string     `json:"rationale,omitempty"`
	UpdatedAt     *time.Time `json:"updated_at,omitempty"`
	Version       int64      `json:"version"`
}

// NotificationInput changes a notification's status.
type NotificationInput struct {
	Status        string     `json:"status"`
	SubmittedAt   *time.Time `json:"submitted_at,omitempty"`
	SubmittedBy   string     `json:"submitted_by,omitempty"`
	Reference     string     `json:"reference,omitempty"`
	ProofEvidence string     `json:"proof_evidence,omitempty"`
	Rationale     string     `json:"rationale,omitempty"`
}

// IncidentObligation is one evaluated rule with its notification status.
type IncidentObligation struct {
	Rule         string            `json:"rule"`
	Recipient    string            `json:"recipient"`
	Status       string            `json:"status"`
	Due          string            `json:"due,omitempty"`
	Explanation  string            `json:"explanation"`
	Stages       []ObligationStage `json:"stages"`
	Citations    []string          `json:"citations"`
	Origin       string            `json:"origin"` // builtin, organisation (your own rules) or removed (a status kept for a rule gone)
	Notification Notification      `json:"notification"`
}

// ObligationReport is an incident's obligations at an instant.
type ObligationReport struct {
	Obligations  []IncidentObligation `json:"obligations"`
	FactsVersion int64                `json:"facts_version"`
	EvaluatedAt  time.Time            `json:"evaluated_at"`
}

// ObligationFacts returns an incident's notification facts.
func (c *Client) ObligationFacts(ctx context.Context, ref string) (ObligationFactsRecord, error) {
	var out ObligationFactsRecord
	return out, c.get(ctx, "/api/v1/incidents/"+esc(ref)+"/obligations/facts", &out)
}

// PutObligationFacts replaces an incident's facts, sent as JSON (any
// value that encodes to the facts document); version 0 skips If-Match.
func (c *Client) PutObligationFacts(ctx context.Context, ref string, facts any, version int64) (ObligationFactsRecord, error) {
	var out ObligationFactsRecord
	_, err := c.Do(ctx, http.MethodPut, "/api/v1/incidents/"+esc(ref)+"/obligations/facts", ifMatch(version), facts, &out)
	return out, err
}

// Obligations evaluates the notification rules for an incident now.
func (c *Client) Obligations(ctx context.Context, ref string, all bool) (ObligationReport, error) {
	var out ObligationReport
	return out, c.get(ctx, "/api/v1/incidents/"+esc(ref)+"/obligations"+values("all", strconv.FormatBool(all)), &out)
}

// SetNotificationStatus records what was done about one obligation.
func (c *Client) SetNotificationStatus(ctx context.Context, ref, rule string, in NotificationInput, version int64) (Notification, error) {
	var out Notification
	_, err := c.Do(ctx, http.MethodPost, "/api/v1/incidents/"+esc(ref)+"/obligations/"+esc(rule)+"/status", ifMatch(version), in, &out)
	return out, err
}
