package web_test

import (
	"net/url"
)

// obligationCases render the notification clocks page and its rejected
// forms for TestTemplates.
func obligationCases(who, open, secret string) []renderCase {
	inc := "/incidents/" + open + "/obligations"
	cs := []renderCase{
		{"Obligations", "obligations", who, inc, nil, 200},
		{"ObligationsAll", "obligations", who, inc + "?all=1", nil, 200},
		{"ObligationsSaved", "obligations", who, inc + "?done=obligation-facts", nil, 200},
	}
	if who == "viewer" {
		return append(cs,
			renderCase{"RestrictedObligations", "error", who, "/incidents/" + secret + "/obligations", nil, 404},
			renderCase{"FactsAsViewer", "error", who, inc + "/facts", url.Values{"facts": {"organisation: {}"}}, 403},
		)
	}
	return append(cs,
		renderCase{"FactsInvalid", "obligations", who, inc + "/facts", url.Values{"facts": {"incident:\n  affected: [{jurisdiction: " + "US-ZZ" + ", count: -1}]\n  events: {awareness: '" + hostile + "'}"}}, 400},
		renderCase{"FactsNotYAML", "obligations", who, inc + "/facts", url.Values{"facts": {hostile}}, 400},
		renderCase{"StatusInvalid", "obligations", who, inc + "/us-tx-521-053-attorney-general/status", url.Values{"status": {"not_required"}, "reference": {hostile}}, 400},
		renderCase{"StatusBadTime", "obligations", who, inc + "/us-tx-521-053-attorney-general/status", url.Values{"status": {"submitted"}, "submitted_at": {"yesterday"}}, 400},
		renderCase{"StatusUnknownRule", "error", who, inc + "/no-such-rule/status", url.Values{"status": {"drafting"}}, 404},
	)
}

// orgRulesCases render the organisation's notification rules page (admins;
// others get 403) and its rejected form.
func orgRulesCases(who string) []renderCase {
	if who != "admin" && who != "outsider" {
		return []renderCase{{"OrgRulesForbidden", "error", who, "/admin/obligations", nil, 403}}
	}
	cs := []renderCase{{"OrgRules", "admin_obligations", who, "/admin/obligations?done=obligation-rules", nil, 200}}
	if who == "admin" {
		cs = append(cs,
			renderCase{"OrgRulesInvalid", "admin_obligations", who, "/admin/obligations", url.Values{"version": {"0"},
				"source": {"version: 1\nrules:\n  - id: " + "us-tx-521-053-attorney-general" + "\n    title: '" + hostile + "'\n"}}, 400},
			renderCase{"OrgRulesNotYAML", "admin_obligations", who, "/admin/obligations", url.Values{"version": {"0"}, "source": {hostile}}, 400},
			renderCase{"OrgRulesStale", "admin_obligations", who, "/admin/obligations", url.Values{"version": {"9"}, "source": {"version: 1\nrules: []\n"}}, 412},
		)
	}
	return cs
}
