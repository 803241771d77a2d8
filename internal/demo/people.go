package demo

import (
	"github.com/warroom/warroom/internal/actor"
)

// OrgName is the demo organisation's name.
const OrgName = "Northwind Logistics"

// person is one member of the demo organisation. key is the short handle
// the stories use to say who acts.
type person struct {
	key   string
	name  string
	email string
	title string
	role  actor.Role
	does  string // what they do in the demo, printed next to the sign-in
}

// password is fixed and printed at start-up on purpose: this is a demo,
// and a newcomer must be able to type it. It meets the minimum length the
// real sign-in enforces.
func (p person) password() string { return "warroom-demo-" + p.key }

// cast returns the people of the demo organisation, the admin first
// (org.Service.Bootstrap creates them). Addresses are under example.com
// and example.net, which are reserved for documentation.
func cast() []person {
	return []person{
		{key: "maya", name: "Maya Okafor", email: "maya.okafor@example.com", title: "Head of Security Operations", role: actor.Admin,
			does: "incident commander of the ransomware, BEC and insider incidents; sees everything"},
		{key: "daniel", name: "Daniel Reyes", email: "daniel.reyes@example.com", title: "Security Engineering Lead", role: actor.Responder,
			does: "technical lead; declared the ransomware incident while on call; cannot see the restricted insider case"},
		{key: "priya", name: "Priya Raman", email: "priya.raman@example.com", title: "DFIR Analyst", role: actor.Responder,
			does: "forensics analyst: disk and memory images, chain of custody"},
		{key: "jonas", name: "Jonas Becker", email: "jonas.becker@example.com", title: "Threat Researcher", role: actor.Responder,
			does: "malware analyst on the ransomware sample"},
		{key: "aisha", name: "Aisha Khan", email: "aisha.khan@example.com", title: "Senior SOC Analyst", role: actor.Responder,
			does: "log analyst building the attacker timeline; commands the new phishing incident"},
		{key: "claire", name: "Claire Dubois", email: "claire.dubois@example.com", title: "Head of Communications", role: actor.Responder,
			does: "communications lead: staff notices and the holding statement"},
		{key: "robert", name: "Robert Lindqvist", email: "robert.lindqvist@example.com", title: "General Counsel", role: actor.Responder,
			does: "legal counsel: privilege, insurer, notification duties; on the insider case"},
		{key: "helen", name: "Helen Marsh", email: "helen.marsh@example.com", title: "Chief Operating Officer", role: actor.Viewer,
			does: "executive sponsor; read-only (viewer); cannot see the restricted insider case"},
		{key: "grace", name: "Grace Mensah", email: "grace.mensah@example.com", title: "HR Business Partner", role: actor.Responder,
			does: "HR on the restricted insider-threat case"},
		{key: "sam", name: "Sam Whitfield", email: "sam.whitfield@example.net", title: "Principal Consultant, Harbor Incident Response", role: actor.Responder,
			does: "external IR provider under retainer; commanded the ransomware response for one shift"},
	}
}
