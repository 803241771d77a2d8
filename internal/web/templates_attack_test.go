package web_test

import (
	"net/url"
	"time"
)

// attackCases are the attacker story page of the busy organisation's open
// incident as who sees it, with the record form rejected every way.
func attackCases(who, open, secret string) []renderCase {
	inc := "/incidents/" + open
	past := localInput(time.Now().Add(-3 * time.Hour))
	cs := []renderCase{
		{"Attack", "attack", who, inc + "/attack", nil, 200},
		{"AttackRecordedWarning", "attack", who, inc + "/attack?done=attack-recorded-warning", nil, 200},
	}
	if who == "viewer" {
		return append(cs,
			renderCase{"RestrictedAttack", "error", who, "/incidents/" + secret + "/attack", nil, 404},
			renderCase{"RecordAttackAsViewer", "error", who, inc + "/attack", url.Values{"text": {"x"}, "event_time": {past}}, 403},
		)
	}
	return append(cs,
		renderCase{"RecordAttackBadTime", "attack", who, inc + "/attack", url.Values{"text": {hostile}, "event_time": {"yesterday"}}, 400},
		renderCase{"RecordAttackNoTime", "attack", who, inc + "/attack", url.Values{"text": {hostile}}, 400},
		renderCase{"RecordAttackInvalid", "attack", who, inc + "/attack", url.Values{"text": {hostile}, "event_time": {past}, "precision": {hostile},
			"tactic": {hostile}, "technique": {hostile}, "host": {"a\nb"}, "account": {hostile}, "indicator": {hostile}, "evidence": {"EV-99", hostile},
			"corrects": {hostile}}, 400},
	)
}
