package client

import (
	"context"
	"encoding/json"
	"net/http"
	"time"
)

// ObligationRulesDocument is an organisation's own notification rules
// (docs/obligations.md): the document as uploaded and its version (0: none).
type ObligationRulesDocument struct {
	Source    string     `json:"source"`
	Version   int64      `json:"version"`
	UpdatedBy string     `json:"updated_by,omitempty"`
	UpdatedAt *time.Time `json:"updated_at,omitempty"`
	// Rules are the document's rules as the server reads them, in the
	// rules format (with "origin": "organisation").
	Rules []json.RawMessage `json:"rules"`
	// Problems are what is wrong with the stored document under the
	// server's release; the rules concerned are not evaluated.
	Problems []string `json:"problems,omitempty"`
}

// OrgObligationRules returns the organisation's own rules document (admins).
func (c *Client) OrgObligationRules(ctx context.Context) (ObligationRulesDocument, error) {
	var out ObligationRulesDocument
	return out, c.get(ctx, "/api/v1/obligations/rules/custom", &out)
}

// PutOrgObligationRules replaces the organisation's own rules document
// with src (YAML or JSON; admins); version 0 skips If-Match.
func (c *Client) PutOrgObligationRules(ctx context.Context, src []byte, version int64) (ObligationRulesDocument, error) {
	var out ObligationRulesDocument
	_, err := c.Do(ctx, http.MethodPut, "/api/v1/obligations/rules/custom", ifMatch(version), Raw{ContentType: "application/yaml", Data: src}, &out)
	return out, err
}
