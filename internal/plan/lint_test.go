package plan_test

import (
	"strings"
	"testing"

	"github.com/warroom/warroom/internal/plan"
)

// valid is a small plan that lints clean; each case below breaks one
// thing and checks the problem is reported at the right line and column.
const valid = `id: phishing
version: 1
title: Credential phishing
applies_to:
  types: [account_compromise]
  severities: [SEV1, SEV2, SEV3]
required_roles: [incident_commander]
steps:
  - id: scope
    title: Find who clicked
    phase: detection_analysis
    role: log_analyst
    due: 1h
  - id: reset
    title: Reset credentials
    phase: containment
    role: technical_lead
    after: [scope]
    due: {from: scope, offset: 30m}
  - id: undated
    title: Keep the scribe's notes
    phase: containment
    role: scribe
  - id: legal
    title: Assess notification duties
    phase: containment
    role: legal_counsel
    due: 24h
    when: {severity_at_least: SEV2}
decisions:
  - id: global-reset
    question: Reset everyone's password?
    roles: [executive_sponsor]
    phase: containment
    due: 4h
escalation:
  - severities: [SEV1]
    channels: [email]
    renotify_every: 15m
    levels:
      - after: 0m
        roles: [incident_commander]
`

func TestLintValid(t *testing.T) {
	p, problems := plan.Parse("valid.yaml", []byte(valid), plan.BuiltinRoles())
	if len(problems) != 0 || p == nil {
		t.Fatalf("valid plan has problems: %v", problems)
	}
	if p.Steps[1].Due.From != "scope" || p.Steps[0].Due.Offset != "1h" {
		t.Fatalf("due not decoded: %+v", p.Steps[1].Due)
	}
}

func TestLintErrors(t *testing.T) {
	tests := []struct {
		name      string
		old, new  string // replace old with new in the valid plan
		line, col int
		message   string // part of the message
	}{
		{"YAMLSyntax", "title: Credential phishing\n", "title: [Credential phishing\n", 4, 1, "must be specified"},
		{"UnknownField", "title: Credential phishing\n", "title: Credential phishing\ncolour: red\n", 4, 1, "colour"},
		{"WrongType", "version: 1\n", "version: one\n", 2, 10, "Version of type int"},
		{"BadID", "id: phishing\n", "id: Phishing Plan\n", 1, 5, "lower-case"},
		{"ZeroVersion", "version: 1\n", "version: 0\n", 2, 10, "at least 1"},
		{"UnknownType", "types: [account_compromise]", "types: [account_takeover]", 5, 11, "account_takeover"},
		{"UnknownSeverity", "severities: [SEV1, SEV2, SEV3]", "severities: [SEV1, SEV0, SEV3]", 6, 22, "SEV0"},
		{"UnknownRole", "    role: log_analyst\n", "    role: log_wizard\n", 12, 11, `unknown role "log_wizard"`},
		{"UnknownRequiredRole", "required_roles: [incident_commander]", "required_roles: [incident_boss]", 7, 18, "incident_boss"},
		{"UnknownPhase", "    phase: detection_analysis\n", "    phase: triage\n", 11, 12, "triage"},
		{"DuplicateStepID", "  - id: legal\n", "  - id: scope\n", 24, 9, `duplicate id "scope"`},
		{"UnknownDependency", "after: [scope]", "after: [scoping]", 18, 13, `"scoping", which is not a step`},
		{"DependencyCycle", "    due: 1h\n", "    due: 1h\n    after: [reset]\n", 19, 13, "dependency cycle"},
		{"UnreachableStep", "when: {severity_at_least: SEV2}", "when: {types: [ransomware]}", 29, 11, "unreachable"},
		{"WaitsForConditionalStep", "after: [scope]", "after: [scope, legal]", 18, 20, `waits for "legal"`},
		{"NegativeOffset", "    due: 24h\n", "    due: -2h\n", 28, 10, "negative"},
		{"BadDuration", "    due: 24h\n", "    due: 1 day\n", 28, 10, "not a duration"},
		{"UnknownDueAnchor", "due: {from: scope, offset: 30m}", "due: {from: triage, offset: 30m}", 19, 10, `relative to "triage"`},
		{"DueBeforeDependency", "due: {from: scope, offset: 30m}", "due: 30m", 19, 10, "impossible offset"},
		{"UnknownChannel", "channels: [email]", "channels: [pager]", 38, 16, "pager"},
		{"EscalationOutOfOrder", "      - after: 0m\n", "      - after: 30m\n        roles: [scribe]\n      - after: 10m\n", 43, 16, "before the level above"},
		{"DecisionWithoutRoles", "roles: [executive_sponsor]", "roles: []", 33, 12, "roles who decide"},
		{"AnchoredToConditionalStep", "    due: {from: scope, offset: 30m}\n", "    due: {from: legal, offset: 30m}\n", 19, 10, `relative to "legal", which only applies`},
		{"DecisionAnchoredToUndatedStep", "    due: 4h\n", "    due: {from: undated, offset: 1h}\n", 35, 10, "has no due time"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if !strings.Contains(valid, tt.old) {
				t.Fatalf("test is broken: %q is not in the valid plan", tt.old)
			}
			src := strings.Replace(valid, tt.old, tt.new, 1)
			_, problems := plan.Parse("broken.yaml", []byte(src), plan.BuiltinRoles())
			for _, p := range problems {
				if strings.Contains(p.Message, tt.message) {
					if p.Line != tt.line || p.Column != tt.col || p.File != "broken.yaml" {
						t.Errorf("%q reported at %d:%d, want %d:%d", p.Message, p.Line, p.Column, tt.line, tt.col)
					}
					return
				}
			}
			t.Errorf("no problem mentioning %q; got %v", tt.message, problems)
		})
	}
}

func TestLintReportsEveryProblem(t *testing.T) {
	src := strings.NewReplacer("role: log_analyst", "role: nobody", "phase: containment", "phase: nowhere", "due: 24h", "due: -1h").Replace(valid)
	_, problems := plan.Parse("many.yaml", []byte(src), plan.BuiltinRoles())
	if len(problems) < 4 {
		t.Fatalf("want every problem at once, got %d: %v", len(problems), problems)
	}
	for i := 1; i < len(problems); i++ {
		if problems[i].Line < problems[i-1].Line {
			t.Fatalf("problems not in file order: %v", problems)
		}
	}
}

// TestStartersLintClean: every plan shipped with the product passes the
// linter against the built-in role catalogue.
func TestStartersLintClean(t *testing.T) {
	starters, err := plan.Starters()
	if err != nil {
		t.Fatal(err)
	}
	if len(starters) != 8 {
		t.Fatalf("%d starter plans, want 8", len(starters))
	}
	for name, src := range starters {
		p, problems := plan.Parse(name, src, plan.BuiltinRoles())
		if len(problems) > 0 || p == nil {
			t.Errorf("%s: %v", name, problems)
		}
	}
}

// TestParseSurvivesLibraryPanic: input that crashes the YAML library
// (found by fuzzing the obligation facts) is a problem report, not a
// crash of the handler that imports plans.
func TestParseSurvivesLibraryPanic(t *testing.T) {
	src := "id: x\nsteps: !000000000\n00000000000000000000000000000000000000000000000000000000000 " +
		"000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000:\n" +
		"    000000000: 0000000000000000000\n00000000000000000000000000000: 00000000000000000000000000"
	if _, problems := plan.Parse("crasher.yaml", []byte(src), nil); len(problems) == 0 {
		t.Error("the crasher parsed without problems")
	}
}
