package attack

import (
	"regexp"
	"strings"
)

// Tactic is an ATT&CK Enterprise tactic: the adversary's tactical goal,
// the "why" of a technique.
type Tactic struct {
	ID        string `json:"id"`         // TA0001
	ShortName string `json:"short_name"` // initial-access: the kill-chain phase name techniques use
	Name      string `json:"name"`       // Initial Access
}

// tactics is the Enterprise matrix in kill-chain order, from
// https://attack.mitre.org/tactics/enterprise/ (ATT&CK v15–v17). It is built
// in rather than imported so a timeline can be classified before any
// catalogue is loaded, and so the story's order never depends on a file.
var tactics = []Tactic{
	{"TA0043", "reconnaissance", "Reconnaissance"},
	{"TA0042", "resource-development", "Resource Development"},
	{"TA0001", "initial-access", "Initial Access"},
	{"TA0002", "execution", "Execution"},
	{"TA0003", "persistence", "Persistence"},
	{"TA0004", "privilege-escalation", "Privilege Escalation"},
	{"TA0005", "defense-evasion", "Defense Evasion"},
	{"TA0006", "credential-access", "Credential Access"},
	{"TA0007", "discovery", "Discovery"},
	{"TA0008", "lateral-movement", "Lateral Movement"},
	{"TA0009", "collection", "Collection"},
	{"TA0011", "command-and-control", "Command and Control"},
	{"TA0010", "exfiltration", "Exfiltration"},
	{"TA0040", "impact", "Impact"},
}

// Tactics returns the built-in tactics in kill-chain order.
func Tactics() []Tactic { return append([]Tactic(nil), tactics...) }

// LookupTactic finds a tactic by ID (TA0002), short name (execution) or
// name (Execution, command and control), ignoring case and surrounding
// space, and returns its position in kill-chain order.
func LookupTactic(s string) (Tactic, int, bool) {
	s = strings.TrimSpace(s)
	for k, t := range tactics {
		if strings.EqualFold(s, t.ID) || strings.EqualFold(s, t.ShortName) || strings.EqualFold(s, t.Name) {
			return t, k, true
		}
	}
	return Tactic{}, -1, false
}

func tacticList() string {
	ids := make([]string, len(tactics))
	for k, t := range tactics {
		ids[k] = t.ShortName
	}
	return strings.Join(ids, ", ")
}

// techniqueID is the ATT&CK technique ID format: T and four digits, and
// for a sub-technique a dot and three more.
var techniqueID = regexp.MustCompile(`^T[0-9]{4}(\.[0-9]{3})?$`)

// NormalizeTechnique upper-cases and trims a technique ID and reports
// whether it has the ATT&CK format (T1059 or T1059.001).
func NormalizeTechnique(s string) (string, bool) {
	s = strings.ToUpper(strings.TrimSpace(s))
	return s, techniqueID.MatchString(s)
}

// parentOf returns T1059 for T1059.001, and "" for a technique.
func parentOf(id string) string {
	if p, _, ok := strings.Cut(id, "."); ok {
		return p
	}
	return ""
}
