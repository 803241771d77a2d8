// Package attack is the attacker timeline: MITRE ATT&CK tactics (built in)
// and techniques (a catalogue the operator imports from the official STIX
// bundle), attacker-activity timeline entries with structured fields, and
// the story view that groups them by tactic in event-time order.
//
// Attacker activity is an ordinary timeline entry of kind
// attacker_activity (so the hash chain covers it) whose payload carries
// the fields of Activity. This package writes it, not package incident,
// because it validates links to indicators and evidence, and incident must
// not depend on those capabilities. See docs/attack.md.
package attack
