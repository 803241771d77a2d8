package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

const obligationsFacts = `organisation:
  jurisdictions: [US, US-NY, EU-DE]
  sectors: [finance]
  entity_types: [sec_registrant, nydfs_covered_entity]
incident:
  affected:
    - {jurisdiction: US-TX, count: 600}
    - {jurisdiction: EU-FR, count: 12000}
  data_types: [name, ssn, financial_account, personal_data]
  data_encrypted: false
  events:
    awareness: 2026-11-20T09:00:00Z
    materiality_determination: 2026-11-25T15:00:00-05:00
`

// TestObligationsEvaluateCLI runs the offline command end to end: the
// exact JSON shape of the issue, the table, --all, and the exit codes for
// bad input.
func TestObligationsEvaluateCLI(t *testing.T) {
	dir := t.TempDir()
	facts := filepath.Join(dir, "facts.yaml")
	if err := os.WriteFile(facts, []byte(obligationsFacts), 0o600); err != nil {
		t.Fatal(err)
	}
	code, out, stderr := cli(t, nil, "", "obligations", "evaluate", "--facts", facts, "--now", "2026-11-26T00:00:00Z", "-o", "json")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	var raw map[string][]map[string]json.RawMessage
	mustJSON(t, out, &raw)
	obs := raw["obligations"]
	if len(raw) != 1 || len(obs) == 0 {
		t.Fatalf("want {\"obligations\": [...]}, got %s", out)
	}
	for _, o := range obs {
		var keys []string
		for k := range o {
			keys = append(keys, k)
		}
		slices.Sort(keys)
		// due is left out when there is no fixed limit.
		want := []string{"citations", "due", "explanation", "recipient", "rule", "stages", "status"}
		if !slices.Equal(keys, want) && !slices.Equal(keys, slices.DeleteFunc(slices.Clone(want), func(s string) bool { return s == "due" })) {
			t.Errorf("keys %v, want %v", keys, want)
		}
	}
	var got struct {
		Obligations []struct {
			Rule, Status, Due, Explanation string
			Stages                         []struct{ Name, Due string }
			Citations                      []string
		}
	}
	mustJSON(t, out, &got)
	first := got.Obligations[0]
	// GDPR 72 hours from 20 November 09:00 UTC comes before the SEC's four
	// business days over Thanksgiving.
	if first.Rule != "eu-gdpr-art33-supervisory-authority" || first.Due != "2026-11-23T10:00:00+01:00" {
		t.Errorf("first obligation %+v", first)
	}
	var sec bool
	for _, o := range got.Obligations {
		if o.Status == "not_applicable" {
			t.Errorf("%s listed without --all", o.Rule)
		}
		if o.Rule == "us-sec-8k-item-1-05" {
			sec = true
			if o.Due != "2026-12-02T23:59:59-05:00" || !strings.Contains(o.Explanation, "Thanksgiving") || len(o.Citations) == 0 {
				t.Errorf("SEC obligation %+v", o)
			}
		}
	}
	if !sec {
		t.Error("SEC obligation missing")
	}

	code, all, _ := cli(t, nil, "", "obligations", "evaluate", "--facts", facts, "--now", "2026-11-26T00:00:00Z", "--all", "-o", "json")
	if code != 0 || !strings.Contains(all, `"status": "not_applicable"`) || !strings.Contains(all, "hipaa") {
		t.Errorf("--all: exit %d", code)
	}

	code, table, _ := cli(t, nil, obligationsFacts, "obligations", "evaluate", "--facts", "-", "--now", "2026-11-26T00:00:00Z")
	if code != 0 || !strings.Contains(table, "us-sec-8k-item-1-05") || !strings.Contains(table, "2026-12-02 23:59 EST") || !strings.Contains(table, "Not legal advice") {
		t.Errorf("table: exit %d\n%s", code, table)
	}

	bad := filepath.Join(dir, "bad.yaml")
	_ = os.WriteFile(bad, []byte(strings.Replace(obligationsFacts, "count: 600", "count: -5", 1)), 0o600)
	code, _, stderr = cli(t, nil, "", "obligations", "evaluate", "--facts", bad)
	if code != exitInvalid || !strings.Contains(stderr, "incident.affected[0].count") {
		t.Errorf("bad facts: exit %d: %s", code, stderr)
	}
	code, _, _ = cli(t, nil, "", "obligations", "evaluate", "--facts", filepath.Join(dir, "missing.yaml"))
	if code != exitUsage {
		t.Errorf("missing file: exit %d", code)
	}
	code, _, _ = cli(t, nil, "", "obligations", "evaluate")
	if code != exitUsage {
		t.Errorf("no --facts: exit %d", code)
	}
}

// TestObligationsRulesCLI lists the catalogue, with an organisation's
// own rules file merged in and evaluated.
func TestObligationsRulesCLI(t *testing.T) {
	code, out, stderr := cli(t, nil, "", "obligations", "rules", "-o", "json")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	var got struct {
		Rules []struct {
			ID        string
			Citations []struct{ Title, URL string }
		}
	}
	mustJSON(t, out, &got)
	if len(got.Rules) != 65 {
		t.Errorf("%d rules", len(got.Rules))
	}
	for _, r := range got.Rules {
		if len(r.Citations) == 0 || r.Citations[0].URL == "" {
			t.Errorf("%s without citation", r.ID)
		}
	}
	dir := t.TempDir()
	own := filepath.Join(dir, "own.yaml")
	_ = os.WriteFile(own, []byte(`version: 1
rules:
  - id: acme-customer-48h
    title: Notify affected customers under the master services agreement
    jurisdiction: contract
    regime: MSA section 12.3
    recipient: {kind: customers, name: Affected customers}
    applies: {personal_data: true}
    clock: {event: awareness}
    deadline: {hours: 48, basis: contract, text: Within 48 hours of awareness}
    citations: [{title: MSA 12.3, url: "https://contracts.example/msa"}]
    confidence: high
    status: in_force
`), 0o600)
	code, out, _ = cli(t, nil, "", "obligations", "rules", "--rules", own)
	if code != 0 || !strings.Contains(out, "acme-customer-48h") || !strings.Contains(out, "66 rules") {
		t.Errorf("own rules: exit %d\n%s", code, out)
	}
	facts := filepath.Join(dir, "facts.yaml")
	_ = os.WriteFile(facts, []byte(obligationsFacts), 0o600)
	code, out, _ = cli(t, nil, "", "obligations", "evaluate", "--facts", facts, "--rules", own, "--now", "2026-11-21T00:00:00Z", "-o", "json")
	if code != 0 || !strings.Contains(out, `"due": "2026-11-22T09:00:00Z"`) {
		t.Errorf("own rule evaluated: exit %d\n%s", code, out)
	}
	_ = os.WriteFile(own, []byte("version: 1\nrules:\n  - id: x1\n    clock: {event: tea}\n"), 0o600)
	code, _, stderr = cli(t, nil, "", "obligations", "rules", "--rules", own)
	if code != exitInvalid || !strings.Contains(stderr, "own.yaml:4:") {
		t.Errorf("bad rules file: exit %d: %s", code, stderr)
	}
}

// TestObligationsSameThroughCLIAndAPI keeps facts on an incident through
// the CLI (which goes through the API) and checks that the server
// evaluates them to exactly the obligations the offline command gives;
// then records a notification as submitted.
func TestObligationsSameThroughCLIAndAPI(t *testing.T) {
	for name, flags := range dbArgs(t) {
		t.Run(name, func(t *testing.T) {
			srv := startServer(t, flags)
			env := map[string]string{"WARROOM_CONFIG": filepath.Join(t.TempDir(), "config.json"), "WARROOM_TOKEN": "", "WARROOM_SERVER": ""}
			if code, out, errOut := cli(t, env, srv.password+"\n", "login", "--server", srv.url, "--email", "ic@example.test", "--password-stdin"); code != 0 {
				t.Fatalf("login: %d %s %s", code, out, errOut)
			}
			code, out, _ := cli(t, env, "", "incident", "declare", "--title", "Customer data stolen", "--type", "data_breach", "--severity", "SEV1", "--plan", "none", "-o", "json")
			var inc struct{ Ref string }
			mustJSON(t, out, &inc)
			if code != 0 || inc.Ref == "" {
				t.Fatalf("declare: %d %s", code, out)
			}
			facts := filepath.Join(t.TempDir(), "facts.yaml")
			_ = os.WriteFile(facts, []byte(obligationsFacts), 0o600)
			if code, out, errOut := cli(t, env, "", "obligations", "facts", inc.Ref, "--set", facts, "-o", "json"); code != 0 || !strings.Contains(out, `"version": 1`) {
				t.Fatalf("set facts: %d %s %s", code, out, errOut)
			}
			type ob struct {
				Rule, Recipient, Status, Due, Explanation string
				Stages                                    []struct{ Name, Due string }
				Citations                                 []string
			}
			var offline, online struct{ Obligations []ob }
			code, out, _ = cli(t, env, "", "obligations", "evaluate", "--facts", facts, "--all", "-o", "json")
			mustJSON(t, out, &offline)
			code2, out2, errOut := cli(t, env, "", "obligations", "list", inc.Ref, "--all", "-o", "json")
			mustJSON(t, out2, &online)
			if code != 0 || code2 != 0 {
				t.Fatalf("evaluate %d, list %d: %s", code, code2, errOut)
			}
			if len(offline.Obligations) != 65 || len(online.Obligations) != len(offline.Obligations) {
				t.Fatalf("%d obligations offline, %d on the incident", len(offline.Obligations), len(online.Obligations))
			}
			for i := range offline.Obligations {
				a, b := offline.Obligations[i], online.Obligations[i]
				if d := cmp.Diff(a, b); d != "" {
					t.Errorf("obligation %d differs (-CLI +API):\n%s", i, d)
				}
			}
			// Bad facts are refused before they reach the server, with the field.
			bad := filepath.Join(t.TempDir(), "bad.yaml")
			_ = os.WriteFile(bad, []byte(strings.Replace(obligationsFacts, "US-TX", "US-ZZ", 1)), 0o600)
			if code, _, errOut := cli(t, env, "", "obligations", "facts", inc.Ref, "--set", bad); code != exitInvalid || !strings.Contains(errOut, "incident.affected[0].jurisdiction") {
				t.Errorf("bad facts: %d %s", code, errOut)
			}
			code, out, errOut = cli(t, env, "", "obligations", "status", inc.Ref, "us-sec-8k-item-1-05", "--status", "submitted",
				"--at", "-1h", "--reference", "0001234567-26-000001", "-o", "json")
			if code != 0 || !strings.Contains(out, `"status": "submitted"`) || !strings.Contains(out, "0001234567-26-000001") {
				t.Fatalf("status: %d %s %s", code, out, errOut)
			}
			if code, _, errOut := cli(t, env, "", "obligations", "status", inc.Ref, "us-sec-8k-item-1-05", "--status", "not_required"); code != exitInvalid || !strings.Contains(errOut, "rationale") {
				t.Errorf("not_required without rationale: %d %s", code, errOut)
			}
			code, out, _ = cli(t, env, "", "timeline", "list", inc.Ref, "-o", "json")
			if code != 0 || !strings.Contains(out, "obligation_facts_updated") || !strings.Contains(out, "obligation_status_changed") {
				t.Errorf("timeline lacks the obligation entries: %s", out)
			}
		})
	}
}
