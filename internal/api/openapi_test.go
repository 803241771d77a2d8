package api_test

import (
	"encoding/json"
	"net/http"
	"regexp"
	"strings"
	"testing"

	"github.com/warroom/warroom/internal/db/dbtest"
)

// TestOpenAPIDocumentsEveryRoute fails when a route is registered that the
// OpenAPI document does not describe, or the document describes one that
// does not exist.
func TestOpenAPIDocumentsEveryRoute(t *testing.T) {
	e := newEnv(t, dbtest.OpenSQLite(t))
	resp, err := http.Get(e.srv.URL + "/api/v1/openapi.json")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var doc struct {
		OpenAPI string                                `json:"openapi"`
		Paths   map[string]map[string]json.RawMessage `json:"paths"`
		Comps   struct {
			Schemas map[string]json.RawMessage `json:"schemas"`
		} `json:"components"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&doc); err != nil {
		t.Fatal(err)
	}
	if doc.OpenAPI != "3.1.0" {
		t.Errorf("openapi version %q", doc.OpenAPI)
	}
	documented := map[string]bool{}
	for path, ops := range doc.Paths {
		for method := range ops {
			documented[strings.ToUpper(method)+" "+path] = true
		}
	}
	for _, r := range e.api.Routes() {
		if !documented[r] {
			t.Errorf("route %s is missing from /api/v1/openapi.json", r)
		}
		delete(documented, r)
	}
	for r := range documented {
		t.Errorf("/api/v1/openapi.json documents %s, which is not a route", r)
	}
	// Every $ref must resolve.
	raw, _ := json.Marshal(doc.Paths)
	all := string(raw)
	for _, s := range doc.Comps.Schemas {
		all += string(s)
	}
	for _, m := range regexp.MustCompile(`#/components/schemas/([A-Za-z0-9_.]+)`).FindAllStringSubmatch(all, -1) {
		if _, ok := doc.Comps.Schemas[m[1]]; !ok {
			t.Errorf("unresolved schema reference %s", m[1])
		}
	}
	if _, ok := doc.Comps.Schemas["incident.Incident"]; !ok {
		t.Errorf("no incident.Incident schema; have %d schemas", len(doc.Comps.Schemas))
	}
}
