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
