package org

import (
	"regexp"
	"sort"
	"time"
)

// IRRole is a named role people hold on an incident's roster.
type IRRole struct {
	Key         string    `json:"key"`
	Name        string    `json:"name"`
	Description string    `json:"description"`
	Builtin     bool      `json:"builtin"`
	CreatedAt   time.Time `json:"created_at"`
}

// RoleIncidentCommander is the role whose absence on a SEV1/SEV2 incident is flagged.
const RoleIncidentCommander = "incident_commander"

// BuiltinRoles is the catalogue every new organisation starts with: the
// roles of incident-response practice. Admins add their own beside them.
var BuiltinRoles = []IRRole{
	{Key: RoleIncidentCommander, Name: "Incident commander", Description: "Runs the response (the incident manager): sets priorities, owns decisions and the clock."},
	{Key: "technical_lead", Name: "Technical lead", Description: "Leads the technical investigation and remediation work."},
	{Key: "investigator", Name: "Investigator", Description: "Enterprise investigation across hosts, accounts and logs."},
	{Key: "malware_analyst", Name: "Malware analyst", Description: "Analyses samples, extracts indicators and capabilities."},
	{Key: "forensics_analyst", Name: "Forensics analyst", Description: "Acquires and examines disk and memory images; keeps chain of custody."},
	{Key: "log_analyst", Name: "Log analyst", Description: "Works SIEM, EDR and application logs into the attacker timeline."},
	{Key: "network_analyst", Name: "Network analyst", Description: "Analyses network traffic, flows, DNS and proxy data."},
	{Key: "scoping_lead", Name: "Scoping lead", Description: "Tracks which hosts, accounts, data stores and data types are affected."},
	{Key: "communications_lead", Name: "Communications lead", Description: "Drafts and coordinates internal and external communications."},
	{Key: "legal_counsel", Name: "Legal counsel", Description: "Advises on privilege, notification duties and law enforcement."},
	{Key: "hr", Name: "HR", Description: "Handles employee matters, including insider cases."},
	{Key: "regulatory_compliance", Name: "Regulatory / compliance", Description: "Owns regulatory notifications and their deadlines."},
	{Key: "executive_sponsor", Name: "Executive sponsor", Description: "Takes business decisions and speaks for leadership."},
	{Key: "scribe", Name: "Scribe", Description: "Keeps the timeline and meeting notes complete."},
	{Key: "external_ir_provider", Name: "External IR provider", Description: "Outside incident-response firm engaged on the incident."},
}

var roleKeyRE = regexp.MustCompile(`^[a-z][a-z0-9_]{1,47}$`)

// sortRoles puts built-in roles in catalogue order, then custom roles by key.
func sortRoles(rs []IRRole) {
	pos := map[string]int{}
	for i, r := range BuiltinRoles {
		pos[r.Key] = i
	}
	rank := func(r IRRole) int {
		if p, ok := pos[r.Key]; ok && r.Builtin {
			return p
		}
		return len(BuiltinRoles)
	}
	sort.SliceStable(rs, func(i, j int) bool {
		ri, rj := rank(rs[i]), rank(rs[j])
		if ri != rj {
			return ri < rj
		}
		return rs[i].Key < rs[j].Key
	})
}
