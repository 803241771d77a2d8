package api_test

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"github.com/warroom/warroom/client"
	"github.com/warroom/warroom/internal/db"
	"github.com/warroom/warroom/internal/db/dbtest"
	"github.com/warroom/warroom/internal/incident"
	"github.com/warroom/warroom/internal/obligation"
)

const contractRules = `version: 1
rules:
  # MSA 2024-17 clause 9.3
  - id: acme-customer-48h
    title: Notify the customer under the master services agreement
    jurisdiction: contract
    regime: MSA 2024-17
    recipient: {kind: customers, name: Contoso Ltd (customer)}
    applies: {personal_data: true}
    clock: {event: awareness}
    deadline: {hours: 48, basis: contract, text: Within 48 hours of becoming aware}
    citations: [{title: MSA 2024-17 clause 9.3, url: "https://intranet.example/msa.pdf"}]
    confidence: high
    status: in_force
`

// put sends a rules document as who with a Content-Type and an If-Match
// ("" for none) and returns the status, the ETag and the body.
func (e *env) putRules(who, contentType, ifMatch string, body []byte) (int, string, string) {
	e.t.Helper()
	req, _ := http.NewRequest(http.MethodPut, e.srv.URL+"/api/v1/obligations/rules/custom", bytes.NewReader(body))
	req.Header.Set("Content-Type", contentType)
	if ifMatch != "" {
		req.Header.Set("If-Match", ifMatch)
	}
	req.Header.Set("Authorization", "Bearer "+e.client(who).Token)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		e.t.Fatal(err)
	}
	defer resp.Body.Close()
	var b bytes.Buffer
	_, _ = b.ReadFrom(resp.Body)
	return resp.StatusCode, resp.Header.Get("ETag"), b.String()
}

func origins(t *testing.T, e *env, who string) map[string]string {
	t.Helper()
	status, text := e.do(who, "GET", "/api/v1/obligations/rules", nil)
	if status != http.StatusOK {
		t.Fatalf("GET /obligations/rules as %s: %d %s", who, status, text)
	}
	var page struct {
		Items []obligation.Rule `json:"items"`
	}
	if err := json.Unmarshal([]byte(text), &page); err != nil {
		t.Fatal(err)
	}
	out := map[string]string{}
	for _, r := range page.Items {
		out[r.ID] = r.Origin
	}
	return out
}

func TestOrgObligationRulesAPI(t *testing.T) {
	dbtest.ForEachDialect(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		bg := context.Background()
		acmeInc := MustDeclare(t, e, "admin", incident.DeclareInput{Title: "Customer data"})
		otherInc := MustDeclare(t, e, "outsider", incident.DeclareInput{Title: "Other's customer data"})
		facts := map[string]any{"organisation": map[string]any{"jurisdictions": []string{"US"}},
			"incident": map[string]any{"data_types": []string{"name"}, "events": map[string]string{"awareness": "2026-03-10T09:00:00Z"}}}
		for who, ref := range map[string]string{"admin": acmeInc.Ref, "outsider": otherInc.Ref} {
			if _, err := e.client(who).PutObligationFacts(bg, ref, facts, 0); err != nil {
				t.Fatal(err)
			}
		}

		t.Run("OK", func(t *testing.T) {
			status, tag, text := e.putRules("admin", "application/yaml", "", []byte(contractRules))
			if status != http.StatusOK || tag != `"1"` {
				t.Fatalf("PUT = %d ETag %s: %s", status, tag, text)
			}
			doc, err := e.client("admin").OrgObligationRules(bg)
			if err != nil || doc.Version != 1 || doc.Source != contractRules || len(doc.Rules) != 1 || !strings.Contains(string(doc.Rules[0]), `"origin":"organisation"`) {
				t.Fatalf("GET custom = %+v, %v; want the document as uploaded, comment included", doc, err)
			}
			if got := origins(t, e, "viewer"); got["acme-customer-48h"] != "organisation" || got["us-tx-521-053-attorney-general"] != "builtin" {
				t.Errorf("viewer's rule list: customer %q, Texas %q", got["acme-customer-48h"], got["us-tx-521-053-attorney-general"])
			}
			rep, err := e.client("viewer").Obligations(bg, acmeInc.Ref, false)
			if err != nil {
				t.Fatal(err)
			}
			var found *client.IncidentObligation
			for i := range rep.Obligations {
				if rep.Obligations[i].Rule == "acme-customer-48h" {
					found = &rep.Obligations[i]
				}
			}
			if found == nil || found.Status != "due" || found.Due != "2026-03-12T09:00:00Z" || found.Origin != "organisation" {
				t.Fatalf("the contract obligation on %s = %+v", acmeInc.Ref, found)
			}
		})

		t.Run("tenant isolation", func(t *testing.T) {
			if _, ok := origins(t, e, "outsider")["acme-customer-48h"]; ok {
				t.Error("another organisation lists Acme's rule")
			}
			doc, err := e.client("outsider").OrgObligationRules(bg)
			if err != nil || doc.Version != 0 || doc.Source != "" || len(doc.Rules) != 0 {
				t.Errorf("another organisation's document = %+v, %v", doc, err)
			}
			rep, err := e.client("outsider").Obligations(bg, otherInc.Ref, true)
			if err != nil {
				t.Fatal(err)
			}
			for _, o := range rep.Obligations {
				if o.Rule == "acme-customer-48h" || o.Origin != "builtin" {
					t.Errorf("another organisation's incident got %s (%s)", o.Rule, o.Origin)
				}
			}
			status, text := e.do("outsider", "POST", "/api/v1/incidents/"+otherInc.Ref+"/obligations/acme-customer-48h/status", map[string]string{"status": "drafting"})
			if status != http.StatusNotFound {
				t.Errorf("status for Acme's rule on another organisation's incident: %d %s", status, text)
			}
		})

		t.Run("ErrInvalid with positions changes nothing", func(t *testing.T) {
			bad := strings.Replace(contractRules, "kind: customers", "kind: customer", 1)
			status, _, text := e.putRules("admin", "text/plain", `"1"`, []byte(bad))
			if status != http.StatusBadRequest || !strings.Contains(text, `"field":"organisation-rules.yaml:8:23"`) || !strings.Contains(text, "unknown recipient kind") {
				t.Errorf("bad recipient kind: %d %s", status, text)
			}
			clash := strings.Replace(contractRules, "acme-customer-48h", "us-tx-521-053-attorney-general", 1)
			status, _, text = e.putRules("admin", "application/yaml", `"1"`, []byte(clash))
			if status != http.StatusBadRequest || !strings.Contains(text, `"field":"organisation-rules.yaml:4:9"`) || !strings.Contains(text, "built-in rule") {
				t.Errorf("a built-in rule's id: %d %s", status, text)
			}
			status, _, text = e.putRules("admin", "text/csv", `"1"`, []byte(contractRules))
			if status != http.StatusUnsupportedMediaType || !strings.Contains(text, "application/yaml") {
				t.Errorf("text/csv: %d %s", status, text)
			}
			status, _, text = e.putRules("admin", "application/yaml", `"1"`, bytes.Repeat([]byte("#"), obligation.MaxRulesFile+1))
			if status != http.StatusRequestEntityTooLarge {
				t.Errorf("oversize: %d %s", status, text)
			}
			if doc, err := e.client("admin").OrgObligationRules(bg); err != nil || doc.Version != 1 || doc.Source != contractRules {
				t.Errorf("after refused uploads: version %d, %v", doc.Version, err)
			}
		})

		t.Run("ErrPreconditionFailed", func(t *testing.T) {
			status, _, text := e.putRules("admin", "application/yaml", `"7"`, []byte(strings.Replace(contractRules, "48", "24", -1)))
			if status != http.StatusPreconditionFailed {
				t.Errorf("stale If-Match: %d %s", status, text)
			}
			if doc, _ := e.client("admin").OrgObligationRules(bg); doc.Version != 1 {
				t.Errorf("a stale write changed the document to version %d", doc.Version)
			}
		})

		t.Run("JSON body with If-Match", func(t *testing.T) {
			var doc map[string]any
			if err := json.Unmarshal([]byte(`{"version": 1, "rules": [{"id": "acme-insurer-24h", "title": "Insurer", "jurisdiction": "contract",
				"regime": "Policy CY-1", "recipient": {"kind": "insurer", "name": "Example Mutual"}, "clock": {"event": "awareness"},
				"deadline": {"hours": 24, "text": "24 hours"}, "citations": [{"title": "Policy", "url": "https://intranet.example/p"}],
				"confidence": "high", "status": "in_force"}]}`), &doc); err != nil {
				t.Fatal(err)
			}
			body, _ := json.Marshal(doc)
			status, tag, text := e.putRules("admin", "application/json", `"1"`, body)
			if status != http.StatusOK || tag != `"2"` {
				t.Fatalf("JSON document: %d %s %s", status, tag, text)
			}
			got := origins(t, e, "responder")
			if got["acme-insurer-24h"] != "organisation" || got["acme-customer-48h"] != "" {
				t.Errorf("after replacing: insurer %q, customer %q", got["acme-insurer-24h"], got["acme-customer-48h"])
			}
			if _, err := e.client("admin").PutOrgObligationRules(bg, []byte(contractRules), 1); client.ErrorCode(err) != "precondition_failed" {
				t.Errorf("client upload with a stale version: %v", err)
			}
		})

		t.Run("ErrForbidden", func(t *testing.T) {
			for _, who := range []string{"responder", "viewer"} {
				if status, _, text := e.putRules(who, "application/yaml", "", []byte(contractRules)); status != http.StatusForbidden {
					t.Errorf("PUT as %s: %d %s", who, status, text)
				}
				if status, text := e.do(who, "GET", "/api/v1/obligations/rules/custom", nil); status != http.StatusForbidden {
					t.Errorf("GET custom as %s: %d %s", who, status, text)
				}
			}
		})
	})
}
