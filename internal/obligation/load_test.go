package obligation

import (
	"strings"
	"testing"
	"time"

	"github.com/warroom/warroom/internal/errs"
)

// TestBuiltinValidates loads the embedded catalogue the way serve does,
// and checks what the issue requires of every rule.
func TestBuiltinValidates(t *testing.T) {
	c, err := Builtin()
	if err != nil {
		t.Fatalf("embedded rules do not validate:\n%v", err)
	}
	if len(c.Rules) != 65 {
		t.Errorf("%d rules, want the 65 of the reference catalogue", len(c.Rules))
	}
	for _, r := range c.Rules {
		if len(r.Citations) == 0 {
			t.Errorf("rule %s has no citation", r.ID)
		}
		if r.Origin != "builtin" {
			t.Errorf("rule %s origin %q", r.ID, r.Origin)
		}
	}
}

const goodRule = `version: 1
rules:
  - id: acme-insurer-24h
    title: Notify the cyber insurer
    jurisdiction: contract
    regime: Policy CY-1234 clause 7.2
    recipient: {kind: insurer, name: Example Mutual claims desk}
    applies: {}
    clock: {event: awareness}
    deadline: {hours: 24, basis: contract, text: Within 24 hours of awareness}
    citations:
      - {title: Policy CY-1234, url: "https://intranet.example/policies/cy-1234.pdf"}
    confidence: high
    status: in_force
`

// TestParseProblems: each mistake is reported with its line and column
// and says what is allowed.
func TestParseProblems(t *testing.T) {
	for _, tc := range []struct {
		name, old, new string
		line           int
		msg            string
	}{
		{"unknown field", "    confidence: high\n", "    confidence: high\n    severity: 3\n", 14, `unknown field "severity"`},
		{"unknown event", "{event: awareness}", "{event: breakfast}", 9, `unknown event "breakfast"`},
		{"unknown unit", "{hours: 24,", "{weeks: 1,", 10, `unknown field "weeks"`},
		{"two units", "{hours: 24,", "{hours: 24, calendar_days: 1, time_zone: UTC,", 10, "exactly one of"},
		{"days need a time zone", "{hours: 24,", "{calendar_days: 2,", 10, "time_zone"},
		{"business days need a calendar", "{hours: 24,", "{business_days: 2, time_zone: UTC,", 10, "needs a calendar"},
		{"unknown time zone", "{hours: 24,", "{hours: 24, time_zone: Mars/Olympus,", 10, `unknown time zone "Mars/Olympus"`},
		{"unknown entity type", "applies: {}", "applies: {entity_types: [bank]}", 8, `unknown entity type "bank"`},
		{"unknown jurisdiction", "applies: {}", "applies: {affected_in: [US-XX]}", 8, `"US-XX" is not a US state`},
		{"unknown country", "applies: {}", "applies: {organisation_in: [UK]}", 8, `"UK" is not an ISO 3166`},
		{"unknown data type", "applies: {}", "applies: {data_types: [dna]}", 8, `unknown data type "dna"`},
		{"missing citations", "    citations:\n      - {title: Policy CY-1234, url: \"https://intranet.example/policies/cy-1234.pdf\"}\n", "", 3, "citations is required"},
		{"relative citation", `"https://intranet.example/policies/cy-1234.pdf"`, `"policies/cy.pdf"`, 12, "absolute http(s) URL"},
		{"bad date", "    status: in_force\n", "    status: in_force\n    effective: 2026-02-30\n", 15, `effective "2026-02-30" is not a date`},
		{"future rule without a date", "status: in_force", "status: not_yet_in_force", 3, "effective date"},
		{"unknown stage reference", "    citations:", "    stages:\n      - {name: Final, from: \"stage:Interim\", deadline: {months: 1, time_zone: UTC, text: x}}\n    citations:", 12, `names no earlier stage`},
		{"unknown recipient kind", "kind: insurer", "kind: pigeon", 7, `unknown recipient kind "pigeon"`},
		{"bad threshold", "applies: {}", "applies: {affected: {min: 0}}", 8, "min must be at least 1"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			src := strings.Replace(goodRule, tc.old, tc.new, 1)
			if src == goodRule {
				t.Fatal("replacement did not apply")
			}
			_, problems := Parse("acme.yaml", []byte(src))
			if len(problems) == 0 {
				t.Fatal("no problem reported")
			}
			for _, p := range problems {
				if strings.Contains(p.Message, tc.msg) {
					if p.Line != tc.line {
						t.Errorf("%q reported at line %d, want %d", p.Message, p.Line, tc.line)
					}
					if p.File != "acme.yaml" {
						t.Errorf("file %q", p.File)
					}
					return
				}
			}
			t.Errorf("no problem mentions %q: %v", tc.msg, problems)
		})
	}
	if _, problems := Parse("acme.yaml", []byte(goodRule)); len(problems) > 0 {
		t.Fatalf("the good rule has problems: %v", problems)
	}
}

// TestOrganisationRules: an insurer clause in the same format, merged with
// the built-in rules, evaluated like them; a clashing id is refused.
func TestOrganisationRules(t *testing.T) {
	builtin, err := Builtin()
	if err != nil {
		t.Fatal(err)
	}
	own, err := LoadFile("acme.yaml", []byte(goodRule))
	if err != nil {
		t.Fatal(err)
	}
	all, err := Merge(builtin, own)
	if err != nil {
		t.Fatal(err)
	}
	f := fx("US", "", "", "", "awareness=2026-11-26T08:00:00-05:00")
	obs, err := Evaluate(all, f, time.Date(2026, 11, 26, 14, 0, 0, 0, time.UTC))
	if err != nil {
		t.Fatal(err)
	}
	var found bool
	for _, o := range obs {
		if o.Rule == "acme-insurer-24h" {
			found = true
			if o.Status != Due || o.Due != "2026-11-27T13:00:00Z" || !strings.Contains(o.Explanation, "contractual") {
				t.Errorf("insurer rule: %+v", o)
			}
		}
	}
	if !found {
		t.Error("organisation rule missing from the results")
	}
	if _, err := Merge(all, own); err == nil || !strings.Contains(err.Error(), "acme-insurer-24h") {
		t.Errorf("duplicate id accepted: %v", err)
	}
	bad := strings.Replace(goodRule, "{event: awareness}", "{event: lunch}", 1)
	_, err = LoadFile("acme.yaml", []byte(bad))
	if errs.CodeOf(err) != errs.Invalid || !strings.Contains(err.Error(), "acme.yaml:9:") {
		t.Errorf("bad rules file: %v", err)
	}
}

// TestEvaluateOrder: due by instant, then without a fixed limit, then
// pending, then not applicable; ties by id.
func TestEvaluateOrder(t *testing.T) {
	c, _ := Builtin()
	f := fx("US US-NY EU-DE", "sec_registrant nydfs_covered_entity", "US-TX:600 EU-FR:12000", "name ssn financial_account personal_data",
		"awareness=2026-03-10T09:00:00Z", "materiality_determination=2026-03-11T15:00:00-04:00")
	obs, err := Evaluate(c, f, time.Date(2026, 3, 11, 0, 0, 0, 0, time.UTC))
	if err != nil {
		t.Fatal(err)
	}
	rank := map[Status]int{Due: 0, PendingEvent: 2, NotApplicable: 3}
	for i := 1; i < len(obs); i++ {
		a, b := obs[i-1], obs[i]
		ra, rb := rank[a.Status], rank[b.Status]
		if a.Status == Due && a.Due == "" {
			ra = 1
		}
		if b.Status == Due && b.Due == "" {
			rb = 1
		}
		switch {
		case ra > rb:
			t.Fatalf("%s (%s) before %s (%s)", a.Rule, a.Status, b.Rule, b.Status)
		case ra == rb && ra == 0 && a.DueTime().After(b.DueTime()):
			t.Fatalf("%s due %s before %s due %s", a.Rule, a.Due, b.Rule, b.Due)
		case ra == rb && a.DueTime().Equal(b.DueTime()) && a.Rule > b.Rule:
			t.Fatalf("%s before %s", a.Rule, b.Rule)
		}
	}
	want := []string{"eu-gdpr-art33-supervisory-authority", "us-sec-8k-item-1-05"}
	if obs[0].Rule != want[0] || obs[1].Rule != want[1] {
		t.Errorf("first obligations %s, %s; want %v", obs[0].Rule, obs[1].Rule, want)
	}
	again, _ := Evaluate(c, f, time.Date(2026, 3, 11, 0, 0, 0, 0, time.UTC))
	for i := range obs {
		if obs[i].Rule != again[i].Rule {
			t.Fatal("order is not deterministic")
		}
	}
}
