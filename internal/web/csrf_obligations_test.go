package web_test

import "net/url"

// obligationForms are the notification clocks' POST routes for TestCSRF,
// each a form that is accepted when sent with the right token.
func obligationForms(f fixture) map[string]func() (string, url.Values) {
	base := "/incidents/" + f.open.Ref + "/obligations"
	return map[string]func() (string, url.Values){
		"/incidents/{ref}/obligations/facts": func() (string, url.Values) {
			return base + "/facts", url.Values{"version": {"0"}, "facts": {"organisation: {jurisdictions: [US]}\nincident: {affected: [{jurisdiction: US-TX, count: 900}]}\n"}}
		},
		"/incidents/{ref}/obligations/{rule}/status": func() (string, url.Values) {
			return base + "/us-tx-521-053-attorney-general/status", url.Values{"status": {"drafting"}, "rationale": {"forged draft"}}
		},
		"/admin/obligations": func() (string, url.Values) {
			return "/admin/obligations", url.Values{"source": {forgedRules}}
		},
	}
}

// forgedRules is an organisation rules document for the admin form.
const forgedRules = `version: 1
rules:
  - {id: forged-insurer, title: Insurer, jurisdiction: contract, regime: Policy, recipient: {kind: insurer, name: Insurer},
     clock: {event: awareness}, deadline: {hours: 24, text: 24 hours}, citations: [{title: Policy, url: "https://intranet.example/p"}],
     confidence: high, status: in_force}
`
