package demo

import (
	"time"

	"github.com/warroom/warroom/internal/incident"
	"github.com/warroom/warroom/internal/org"
)

// ransomware is the demo's centrepiece: a SEV1 LockBit incident 30 hours
// in, in containment, with a full roster, tasks in every state (three of
// them overdue), and an attacker timeline reconstructed by the analysts
// over those hours. It is told in two parts so the phishing report can
// arrive in between (see Seed).
type ransomware struct {
	*story
	declared time.Time
	detected time.Time
	exfil    string // the entry whose exfiltration figure is corrected later
}

// summary is what the incident commander writes once the picture is clear;
// the declaration's summary said only what the on-call engineer knew.
const summary = "LockBit 3.0 encrypted the finance, payroll and HR shares on FS01 and FS02. The intruder came in over " +
	"the VPN nine days earlier with a service account that had no MFA, dumped a domain admin's credentials, moved " +
	"laterally with PsExec, kept access with AnyDesk and copied about 312 GB to cloud storage with rclone before " +
	"deploying the encryptor through a GPO on DC01. Four hosts are isolated and the entry point is closed; no " +
	"attacker activity since containment. Recovery from immutable backups after the krbtgt reset. No contact with " +
	"the threat actor; notification duties under assessment by counsel."

// sample is the SHA-256 of the demo's encryptor. It is made up.
const sample = "54fc3e463c21e614f3a065b9ac965cad7f2d30fcacc27d597a6448b507849cce"

func (s *seeder) ransomware() *ransomware {
	r := &ransomware{story: s.story(), declared: s.end.Add(-30 * time.Hour)}
	r.detected = r.declared.Add(-70 * time.Minute)
	r.opening()
	r.plan()
	r.investigation()
	r.nextShift()
	return r
}

// t is a time relative to the declaration.
func (r *ransomware) t(d time.Duration) time.Time { return r.declared.Add(d) }

// after moves the clock to d after the declaration.
func (r *ransomware) after(d time.Duration) { r.at(r.t(d)) }

// opening is the first hour: the on-call engineer declares, contains the
// two servers and hands command over when the head of SecOps arrives.
func (r *ransomware) opening() {
	r.after(0)
	r.declare("daniel", incident.DeclareInput{
		Title:    "LockBit 3.0 encryption on finance file servers",
		Type:     "ransomware",
		Severity: "SEV2",
		TLP:      "amber",
		Tags:     []string{"ransomware", "lockbit", "finance", "file-servers"},
		Summary: "EDR alert: files on FS02 encrypted with a LockBit 3.0 ransom note; FS01 shows the same extension. " +
			"Entry point, scope and data theft unknown.",
		DetectedAt: &r.detected,
	})
	r.after(3 * time.Minute)
	r.write("daniel", kindNote, "EDR alert 'Ransomware behaviour' on FS02: ~41,000 files under D:\\Shares\\Finance renamed "+
		"to *.HLJkNskOq; HLJkNskOq.README.txt in every folder. The note names LockBit 3.0, claims data theft and links a "+
		"Tor negotiation portal. FS01 shows the same extension on \\\\FS01\\Payroll.")
	r.after(8 * time.Minute)
	r.task("daniel", "contain", incident.TaskInput{Title: "Isolate FS01 and FS02 with EDR network containment",
		Phase: "containment", Owner: "daniel", Role: "technical_lead"})
	r.write("daniel", kindAction, "FS01 and FS02 network-contained from the EDR console; left powered on to keep memory. "+
		"Finance users now get 'access denied' on the shares. Service desk told to expect calls.")
	r.move("daniel", "contain", statusDone)
	r.after(20 * time.Minute)
	r.write("daniel", kindComms, "Paged the security duty manager (Maya Okafor) and the infrastructure on-call. "+
		"Bridge open: IR bridge 1, PIN in the on-call runbook.")

	r.after(35 * time.Minute)
	r.handover("daniel", org.RoleIncidentCommander, "maya", "Shift change: the on-call engineer hands command to Maya Okafor "+
		"and stays on as technical lead.")
	r.assign("maya", "technical_lead", "daniel", "on call when the alert fired")
	r.after(40 * time.Minute)
	r.update("maya", incident.Patch{Severity: ptr(incident.Severity("SEV1"))})
	r.write("maya", kindDecision, "Raised to SEV1: two file servers encrypted, the ransom note claims data theft and "+
		"finance month-end close is at risk. Executive sponsor: Helen Marsh (COO).")
	r.assign("maya", "executive_sponsor", "helen", "COO; business decisions and leadership updates")
	r.after(45 * time.Minute)
	r.write("maya", kindDecision, "Do not power off or reboot encrypted hosts: memory is the best chance of finding keys, "+
		"tooling and the entry point. Isolate with EDR only. No restores until forensics clears the backup path.")
	r.after(50 * time.Minute)
	r.assign("maya", "forensics_analyst", "priya", "images of FS01, FS02, DC01 and the entry host")
	r.assign("maya", "log_analyst", "aisha", "VPN, EDR and domain controller logs")
	r.assign("maya", "malware_analyst", "jonas", "encryptor sample from FS02")
	r.after(55 * time.Minute)
	r.update("maya", incident.Patch{Phase: ptr(incident.Phase("containment"))})
}

// plan is the task board the incident commander lays out in the first
// hour, and the first results against it.
func (r *ransomware) plan() {
	r.after(time.Hour)
	due := func(d time.Duration) *time.Time { return ptr(r.t(d)) }
	r.task("maya", "triage", incident.TaskInput{Title: "Triage the EDR alert and confirm which hosts are encrypted",
		Phase: "detection_analysis", Owner: "aisha", Role: "log_analyst", DueAt: due(2 * time.Hour)})
	r.task("maya", "images", incident.TaskInput{Title: "Acquire memory and disk images of FS01, FS02, DC01 and the entry host",
		Description: "Memory first (winpmem), then disks. Chain-of-custody form for every image; hashes into this task.",
		Phase:       "detection_analysis", Owner: "priya", Role: "forensics_analyst", DueAt: due(12 * time.Hour)})
	r.task("maya", "sample", incident.TaskInput{Title: "Reverse the encryptor sample and publish IOCs",
		Phase: "detection_analysis", Owner: "jonas", Role: "malware_analyst", DueAt: due(36 * time.Hour)})
	r.task("maya", "timeline", incident.TaskInput{Title: "Build the attacker timeline from VPN, EDR and DC logs (last 30 days)",
		Phase: "detection_analysis", Owner: "aisha", Role: "log_analyst", DueAt: due(24 * time.Hour)}, "triage")
	r.task("maya", "exfil", incident.TaskInput{Title: "Determine what data was exfiltrated, from where and how much",
		Phase: "detection_analysis", Owner: "priya", DueAt: due(20 * time.Hour)}, "images")
	r.task("maya", "vpn", incident.TaskInput{Title: "Disable VPN access for service accounts; enforce MFA on every VPN profile",
		Phase: "containment", Owner: "daniel", Role: "technical_lead", DueAt: due(6 * time.Hour)})
	r.task("maya", "egress", incident.TaskInput{Title: "Block the exfiltration destination and attacker IPs at proxy and firewall",
		Phase: "containment", Owner: "daniel"})
	r.task("maya", "retainer", incident.TaskInput{Title: "Activate the external IR retainer", Phase: "containment", Owner: "maya"})
	r.task("maya", "insurer", incident.TaskInput{Title: "Notify the cyber insurer and get panel counsel approved",
		Phase: "containment", Owner: "robert", Role: "legal_counsel", DueAt: due(4 * time.Hour)})
	r.task("maya", "holding", incident.TaskInput{Title: "Draft holding statement for staff, customers and press",
		Phase: "containment", Owner: "claire", Role: "communications_lead"})
	r.task("maya", "negotiate", incident.TaskInput{Title: "Open a channel with the threat actor through the Tor portal",
		Phase: "containment", Role: "external_ir_provider"})
	r.task("maya", "notify", incident.TaskInput{Title: "Assess GDPR Art. 33 notification (72 hours from awareness)",
		Phase: "containment", Owner: "robert", Role: "legal_counsel", DueAt: due(72 * time.Hour)}, "exfil")
	r.task("maya", "krbtgt", incident.TaskInput{Title: "Reset krbtgt twice and rotate every privileged account password",
		Description: "Second reset at least 10 hours after the first (ticket lifetime). Needs a change window: DC01 is the only DC in the finance site.",
		Phase:       "eradication", Owner: "daniel", Role: "technical_lead", DueAt: due(28 * time.Hour)}, "vpn", "contain")
	r.task("maya", "rebuild", incident.TaskInput{Title: "Rebuild FS01 and FS02 from known-good images",
		Phase: "eradication", Role: "technical_lead"}, "images", "krbtgt")
	r.task("maya", "restore", incident.TaskInput{Title: "Restore the finance and payroll shares from immutable backups",
		Phase: "recovery", Owner: "daniel"}, "rebuild")
	r.task("maya", "lessons", incident.TaskInput{Title: "Lessons-learned review with leadership and the IR provider",
		Phase: "post_incident", Owner: "maya"}, "restore")

	r.after(70 * time.Minute)
	r.write("aisha", kindAction, "Triage done: encryption only on FS01 and FS02; no ransomware alerts on the other 412 "+
		"endpoints. The encryptor was started by a scheduled task pushed through a new GPO 'Update Policy' on DC01.")
	r.move("aisha", "triage", statusDone)
	r.move("aisha", "timeline", statusWorking)
	r.after(90 * time.Minute)
	r.write("daniel", kindDecision, "GPO 'Update Policy' unlinked and the scheduled task deleted. DC01 stays online (only "+
		"DC in the finance site) with EDR in block mode and every logon watched; isolating it would stop payroll and the warehouses.")
	r.after(2 * time.Hour)
	r.write("maya", kindComms, "Briefed Helen Marsh: finance shares down, month-end close delayed, no customer-facing system "+
		"affected so far, likely data theft. Leadership updates every four hours.")
	r.after(2*time.Hour + 15*time.Minute)
	r.assign("maya", "legal_counsel", "robert", "privilege, insurer, notification duties")
	r.assign("maya", "communications_lead", "claire", "staff, customers, press")
	r.after(2*time.Hour + 30*time.Minute)
	r.write("robert", kindDecision, "Investigation work product is under legal privilege: forensic reports go to counsel. "+
		"Cyber insurer notified on the claims hotline (policy CY-44817); panel counsel approved.")
	r.move("robert", "insurer", statusDone)
	r.after(3 * time.Hour)
	r.write("maya", kindAction, "External IR retainer activated; Harbor Incident Response engaged, Sam Whitfield leads for them "+
		"and joins the bridge.")
	r.move("maya", "retainer", statusDone)
	r.assign("maya", "external_ir_provider", "sam", "Harbor Incident Response, retainer HIR-2291")
}
