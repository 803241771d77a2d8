package obligation

import (
	"strings"
	"testing"
	"time"

	"github.com/goccy/go-yaml"
	"github.com/google/go-cmp/cmp"

	"github.com/warroom/warroom/internal/errs"
)

// issueFacts is the example of the issue, verbatim in shape.
const issueFacts = `organisation:
  jurisdictions: [US, US-NY, EU-DE]
  sectors: [finance]
  entity_types: [sec_registrant, nydfs_covered_entity]
incident:
  affected:
    - {jurisdiction: US-TX, count: 600}
    - {jurisdiction: EU-FR, count: 12000}
  data_types: [name, ssn, financial_account, health, payment_card, credentials, biometric, personal_data]
  data_encrypted: false
  events:
    awareness: 2026-03-10T09:00:00Z
    materiality_determination: "2026-03-12T16:00:00-04:00"
`

func TestParseFactsYAMLAndJSON(t *testing.T) {
	f, err := ParseFacts([]byte(issueFacts))
	if err != nil {
		t.Fatal(err)
	}
	if got, ok := f.event("awareness"); !ok || !got.Equal(time.Date(2026, 3, 10, 9, 0, 0, 0, time.UTC)) {
		t.Errorf("awareness %v %v", got, ok)
	}
	if len(f.Incident.Affected) != 2 || f.Incident.Affected[1].Count != 12000 {
		t.Errorf("affected %+v", f.Incident.Affected)
	}
	js := `{"organisation":{"jurisdictions":["US"],"entity_types":["sec_registrant"]},
	  "incident":{"affected":[{"jurisdiction":"US-TX","count":3}],"events":{"materiality_determination":"2026-11-25T15:00:00-05:00"}}}`
	g, err := ParseFacts([]byte(js))
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := g.event("materiality_determination"); !ok {
		t.Error("JSON event lost")
	}
}

// TestFactsErrors: each mistake names the field, what was wrong and what
// is allowed.
func TestFactsErrors(t *testing.T) {
	for _, tc := range []struct {
		name, old, new, field, msg string
	}{
		{"unknown jurisdiction", "EU-FR", "EU-UK", "incident.affected[1].jurisdiction", "not a member state of EU"},
		{"not a country", "[US, US-NY, EU-DE]", "[USA]", "organisation.jurisdictions[0]", "not an ISO 3166"},
		{"negative count", "count: 600", "count: -1", "incident.affected[0].count", "0 or more"},
		{"time without offset", "2026-03-10T09:00:00Z", "2026-03-10T09:00:00", "incident.events.awareness", "no UTC offset"},
		{"not a time", "2026-03-10T09:00:00Z", "yesterday", "incident.events.awareness", "not an RFC 3339 time"},
		{"unknown event", "awareness:", "aware:", "incident.events.aware", `unknown event "aware"`},
		{"unknown data type", "biometric,", "dna,", "incident.data_types[6]", `unknown data type "dna"`},
		{"unknown entity type", "nydfs_covered_entity]", "bank]", "organisation.entity_types[1]", `unknown entity type "bank"`},
		{"unknown sector", "[finance]", "[fintech]", "organisation.sectors[0]", `unknown sector "fintech"`},
		{"duplicate jurisdiction", "EU-FR", "US-TX", "incident.affected[1].jurisdiction", "listed twice"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			src := strings.Replace(issueFacts, tc.old, tc.new, 1)
			_, err := ParseFacts([]byte(src))
			if errs.CodeOf(err) != errs.Invalid {
				t.Fatalf("got %v, want invalid", err)
			}
			for _, fe := range errs.FieldsOf(err) {
				if fe.Field == tc.field && strings.Contains(fe.Message, tc.msg) {
					return
				}
			}
			t.Errorf("no error on %s mentioning %q: %v", tc.field, tc.msg, err)
		})
	}
	for _, tc := range []struct{ name, src, msg string }{
		{"unknown field", strings.Replace(issueFacts, "  sectors:", "  size: big\n  sectors:", 1), `unknown field "size"`},
		{"wrong type", strings.Replace(issueFacts, "count: 600", "count: many", 1), "line 7"},
	} {
		_, err := ParseFacts([]byte(tc.src))
		if errs.CodeOf(err) != errs.Invalid || !strings.Contains(err.Error(), tc.msg) {
			t.Errorf("%s: %v", tc.name, err)
		}
	}
	big := strings.Repeat("#", MaxFactsSize+1)
	if _, err := ParseFacts([]byte(big)); errs.CodeOf(err) != errs.TooLarge {
		t.Errorf("oversized facts: %v", err)
	}
}

// FuzzParseFacts: no input panics, and facts that parse evaluate without
// error against the whole catalogue.
func FuzzParseFacts(f *testing.F) {
	f.Add([]byte(issueFacts))
	f.Add([]byte(`{"incident":{"events":{"awareness":"2026-01-01T00:00:00+14:00"}}}`))
	f.Add([]byte("organisation: {jurisdictions: [EU-DE]}\nincident: {affected: [{jurisdiction: DE, count: 1}]}"))
	c, err := Builtin()
	if err != nil {
		f.Fatal(err)
	}
	now := time.Date(2026, 11, 27, 0, 0, 0, 0, time.UTC)
	f.Fuzz(func(t *testing.T, src []byte) {
		facts, err := ParseFacts(src)
		if err != nil {
			if errs.CodeOf(err) == errs.Internal {
				t.Fatalf("internal error for bad input: %v", err)
			}
			return
		}
		if _, err := Evaluate(c, facts, now); err != nil {
			t.Fatalf("valid facts failed to evaluate: %v", err)
		}
	})
}

// TestFactsYAMLRoundTrip: the facts as the web page shows them (YAML
// written by the library) read back to the same facts.
func TestFactsYAMLRoundTrip(t *testing.T) {
	f, err := ParseFacts([]byte(issueFacts))
	if err != nil {
		t.Fatal(err)
	}
	b, err := yaml.Marshal(f)
	if err != nil {
		t.Fatal(err)
	}
	g, err := ParseFacts(b)
	if err != nil {
		t.Fatalf("re-reading %s: %v", b, err)
	}
	if d := cmp.Diff(f, g); d != "" {
		t.Errorf("round trip changed the facts (-before +after):\n%s", d)
	}
}
