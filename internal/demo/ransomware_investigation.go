package demo

import (
	"fmt"
	"time"

	"github.com/warroom/warroom/internal/attack"
	"github.com/warroom/warroom/internal/evidence"
	"github.com/warroom/warroom/internal/ioc"

	"github.com/warroom/warroom/internal/incident"
	"github.com/warroom/warroom/internal/org"
)

// Attacker times relative to the declaration. Everything the intruder did
// happened before the EDR alert; the analysts find it piece by piece and
// backdate each entry to when it happened.
const (
	stuffingAt  = -9*day - 2*time.Hour - 10*time.Minute
	vpnLoginAt  = -9*day - time.Hour - 15*time.Minute
	discoveryAt = -8*day - 3*time.Hour
	lsassAt     = -6*day - 5*time.Hour
	psexecAt    = -5*day - 4*time.Hour
	anydeskAt   = -4*day - 2*time.Hour
	rcloneAt    = -2*day - 7*time.Hour
	gpoAt       = -3*time.Hour - 10*time.Minute
	encryptFS01 = -time.Hour - 52*time.Minute
	encryptFS02 = -time.Hour - 31*time.Minute
)

// investigation is the first working day: the log analyst finds the way
// in, forensics the credential theft and the lateral movement, and the
// team cuts the intruder off.
func (r *ransomware) investigation() {
	r.after(3*hour + halfHour)
	r.write("claire", kindComms, "All-staff notice sent: finance shares are unavailable because of a security incident; do "+
		"not try to reconnect, do not use personal storage as a workaround, report pop-ups to the service desk on ext. 4400.")
	r.after(3*hour + 50*time.Minute)
	r.indicators()
	r.after(4 * hour)
	r.activity("aisha", r.t(stuffingAt), attack.Input{Text: "Credential stuffing against vpn.example.com from 203.0.113.45 and 203.0.113.46: " +
		"4,212 failed logins over 50 minutes across 380 accounts (usernames from an old third-party breach list).",
		Precision: attack.Minute, Host: "vpn.example.com", Tactic: "credential-access", Technique: "T1110.004"}, "203.0.113.45", "203.0.113.46")
	r.activity("aisha", r.t(vpnLoginAt), attack.Input{Text: "Successful VPN login as svc-scanner from 203.0.113.46, assigned 198.51.100.23. " +
		"svc-scanner is a legacy service account in the MFA exemption group with a password unchanged since 2019.",
		Precision: attack.Second, Host: "vpn.example.com", Account: "svc-scanner", Tactic: "initial-access", Technique: "T1133"}, "203.0.113.46", "svc-scanner")
	r.after(4*hour + 20*time.Minute)
	r.write("daniel", kindAction, "svc-scanner disabled. MFA exemption group removed from the VPN policy: every profile now "+
		"requires MFA, service accounts cannot use the VPN at all. 23 active VPN sessions reset.")
	r.move("daniel", "vpn", statusDone)
	r.after(5 * hour)
	r.move("jonas", "sample", statusWorking)
	r.write("jonas", kindNote, "Sample C:\\ProgramData\\HLJkNskOq.exe from FS02, SHA-256 "+sample+". LockBit 3.0 (Black) "+
		"builder output; needs the -pass argument, which the GPO's scheduled task carried. Stops Veeam and SQL services, "+
		"deletes shadow copies, skips system folders, encrypts the first 1 MB of large files.")
	r.after(5*hour + halfHour)
	r.write("jonas", kindAction, "IOC list v1 to the technical lead and the IR provider: encryptor hash, rclone.exe renamed "+
		"svchost32.exe, IPs 203.0.113.45, 203.0.113.46, 192.0.2.77, domain storage.example.net, GPO name 'Update Policy'.")
	r.after(6 * hour)
	r.write("daniel", kindAction, "Blocked 203.0.113.0/24 at the VPN concentrator and storage.example.net / 192.0.2.77 at "+
		"the proxy and both firewall clusters. EDR hash block for the encryptor and the renamed rclone pushed to all endpoints.")
	r.move("daniel", "egress", statusDone)
	r.after(6*hour + halfHour)
	r.write("maya", kindDecision, "We will not contact the threat actor and will not pay. Infrastructure confirmed the "+
		"immutable backups of FS01 and FS02 are intact. Helen Marsh agreed on the bridge.")
	r.move("maya", "negotiate", statusDropped)
	r.after(7 * hour)
	r.write("priya", kindAction, "Memory images of FS01, FS02, DC01 and WS-FIN-114 acquired and hashed; disk images running. "+
		"Chain of custody forms CoC-017 to CoC-020, evidence locker 2.")
	for i, host := range []string{"FS01", "FS02", "DC01", "WS-FIN-114"} {
		r.register("priya", evidence.ExternalInput{Meta: evidence.Meta{Name: "Memory image of " + host, SourceHost: host,
			Method: "WinPmem to a write-blocked USB drive; SHA-256 taken at acquisition"},
			Location: fmt.Sprintf("Evidence locker 2, bag CoC-%03d", 17+i), Size: int64(16+8*(i%2)) << 30})
	}
	r.after(8 * hour)
	r.activity("aisha", r.t(vpnLoginAt+12*time.Minute), attack.Input{Text: "RDP from 198.51.100.23 (VPN pool) to WS-FIN-114 as svc-scanner, " +
		"which is a local administrator there through the 'Scanner Admins' group.",
		Precision: attack.Second, Host: "WS-FIN-114", Account: "svc-scanner", Tactic: "lateral-movement", Technique: "T1021.001"}, "svc-scanner")
	r.activity("aisha", r.t(discoveryAt), attack.Input{Text: "Discovery on WS-FIN-114: AdFind.exe dumping users, groups, computers and trusts to " +
		"C:\\PerfLogs\\ad.txt; SoftPerfect netscan.exe sweeping 198.51.100.0/24 for SMB and RDP.",
		Precision: attack.Minute, Host: "WS-FIN-114", Account: "svc-scanner", Tactic: "discovery", Technique: "T1087.002"}, "AdFind.exe")
	r.after(10 * hour)
	r.activity("priya", r.t(lsassAt), attack.Input{Text: "Credential dumping on WS-FIN-114: rundll32.exe C:\\Windows\\System32\\comsvcs.dll " +
		"MiniDump of LSASS to C:\\PerfLogs\\l.dmp. adm-jkowalski (Domain Admins) had an RDP session on that host the same " +
		"day; its credentials were in the dump.",
		Precision: attack.Minute, Host: "WS-FIN-114", Account: "adm-jkowalski", Tactic: "credential-access", Technique: "T1003.001",
		Evidence: []string{"EV-6"}}, "adm-jkowalski")
	r.activity("priya", r.t(psexecAt), attack.Input{Text: "Lateral movement with PsExec as adm-jkowalski from WS-FIN-114 to FS01, FS02 and DC01: " +
		"PSEXESVC service installed on each (System event 7045), cmd.exe sessions of 3 to 20 minutes.",
		Precision: attack.Minute, Host: "DC01", Account: "adm-jkowalski", Tactic: "lateral-movement", Technique: "T1021.002",
		Evidence: []string{"EV-5"}}, "adm-jkowalski")
	r.after(11 * hour)
	r.milestone("priya", "first_compromise", r.t(vpnLoginAt))
	r.move("priya", "images", statusDone)
	r.after(12 * hour)
	r.exfil = r.activity("aisha", r.t(rcloneAt), attack.Input{Text: "Exfiltration from FS01 with rclone (renamed svchost32.exe, config in " +
		"C:\\PerfLogs\\rc.conf): \\\\FS01\\Finance and \\\\FS01\\Payroll copied to storage.example.net (192.0.2.77) over " +
		"11 hours, about 120 GB per the firewall byte counts.",
		Precision: attack.Hour, Host: "FS01", Account: "adm-jkowalski", Tactic: "exfiltration", Technique: "T1567.002",
		Evidence: []string{"EV-3"}}, "svchost32.exe", "storage.example.net", "192.0.2.77")
	r.update("aisha", incident.Patch{Tags: &[]string{"ransomware", "lockbit", "finance", "file-servers", "exfiltration", "vpn"}})
	r.move("aisha", "exfil", statusBlocked)
	r.write("aisha", kindNote, "Exfiltration scope is blocked on the storage provider: we asked their abuse desk to preserve and "+
		"list the bucket behind the rclone config. No answer yet; the IR provider is escalating through their contacts.")
	r.after(13 * hour)
	r.write("claire", kindComms, "Holding statement approved by legal counsel and the COO. Not published: used only if a "+
		"customer, journalist or the threat actor's leak site raises it first.")
	r.move("claire", "holding", statusDone)
}

// nextShift is the external IR provider commanding while the incident
// commander rests, then the corrections and decisions of the next shift.
func (r *ransomware) nextShift() {
	r.after(15 * hour)
	r.handover("maya", org.RoleIncidentCommander, "sam", "Shift change: Sam Whitfield commands the next shift, Maya back in "+
		"eight hours. Priorities: hold containment, finish the disk images, no changes to DC01 without the technical lead.")
	r.after(16 * hour)
	r.write("sam", kindNote, "Hunt across all endpoints for PSEXESVC, rclone and AnyDesk artefacts: AnyDesk "+
		"installed by adm-jkowalski on WS-FIN-120 and APP03. Neither shows encryption.")
	r.after(17 * hour)
	r.indicator("sam", ioc.Input{Type: "ipv4", Value: "203.0.113.52", Source: "AnyDesk connection trace on WS-FIN-120", Tags: []string{"anydesk", "c2"},
		FirstSeen: ptr(r.t(anydeskAt)), LastSeen: ptr(r.t(encryptFS01))})
	r.activity("sam", r.t(anydeskAt), attack.Input{Text: "Persistence: AnyDesk installed as a service on WS-FIN-120 and APP03 by adm-jkowalski " +
		"over PsExec, unattended-access password set; connections from 203.0.113.52 until the day of encryption.",
		Precision: attack.Hour, Host: "WS-FIN-120", Account: "adm-jkowalski", Tactic: "persistence", Technique: "T1219"}, "203.0.113.52")
	r.after(18 * hour)
	r.write("sam", kindDecision, "WS-FIN-120 and APP03 network-contained; adm-jkowalski disabled (its owner uses a new "+
		"account issued in person). AnyDesk blocked by application control across the estate.")
	r.after(20 * hour)
	r.activity("aisha", r.t(gpoAt), attack.Input{Text: "GPO 'Update Policy' created and linked to the Finance OU on DC01 by adm-jkowalski; it " +
		"copies HLJkNskOq.exe from \\\\DC01\\NETLOGON and runs it with -pass through a scheduled task.",
		Precision: attack.Minute, Host: "DC01", Account: "adm-jkowalski", Tactic: "execution", Technique: "T1484.001", Evidence: []string{"EV-2"}}, sample)
	r.activity("aisha", r.t(encryptFS01), attack.Input{Text: "Encryption starts on FS01 (vssadmin delete shadows /all /quiet, Veeam services " +
		"stopped). The EDR agent on FS01 had been uninstalled over PsExec 20 minutes earlier, so no alert.",
		Precision: attack.Minute, Host: "FS01", Tactic: "impact", Technique: "T1486", Evidence: []string{"EV-3"}}, sample)
	r.activity("aisha", r.t(encryptFS02), attack.Input{Text: "Encryption starts on FS02; the EDR agent there raises 'Ransomware behaviour' " +
		"after 20 minutes of file renames, which is how we found out.",
		Precision: attack.Second, Host: "FS02", Tactic: "impact", Technique: "T1486", Evidence: []string{"EV-1", "EV-4"}}, sample)
	r.after(22 * hour)
	r.correct("aisha", r.exfil, "Correction: about 312 GB left, not 120 GB. The first figure came from the primary firewall "+
		"only; FS02's traffic to 192.0.2.77 left through the second cluster (fw-dc2), which also shows \\\\FS02\\HR copied.")
	r.after(23 * hour)
	r.handover("sam", org.RoleIncidentCommander, "maya", "Shift change: command back to Maya Okafor. The shift summary is in "+
		"the notes above; two more hosts contained, no new attacker activity since containment.")
	r.after(23*hour + halfHour)
	r.write("maya", kindComms, "Sit-rep 2 to Helen Marsh and leadership: contained, no attacker activity since containment, "+
		"about 312 GB of finance, payroll and HR data taken. Counsel is assessing notification duties; recovery plan within four hours.")
	r.after(24 * hour)
	r.move("robert", "notify", statusWorking)
	r.write("robert", kindNote, "Payroll and HR shares hold names, bank details and national insurance numbers of about "+
		"1,900 employees: very likely a notifiable personal-data breach. The 72 hours run from awareness at declaration.")
	r.notificationFacts()
	r.after(26 * hour)
	r.write("jonas", kindNote, "No public decryptor for this build and no key material in the FS02 memory image; recovery "+
		"has to come from backups.")
	r.after(27 * hour)
	r.write("maya", kindDecision, "Recovery plan approved: krbtgt reset in the next change window, then rebuild FS01/FS02 "+
		"from clean images and restore data from the immutable backups. Target: finance shares back within 48 hours.")
	r.update("maya", incident.Patch{Summary: ptr(summary)})
}

// latest is the last half hour before now, told after the phishing
// report so the clock never goes back.
func (r *ransomware) latest() {
	r.at(r.end.Add(-35 * time.Minute))
	r.write("claire", kindComms, "Second staff update: finance shares expected back within 48 hours; payroll will run on "+
		"time from the backup system. Reminder: report anything unusual, do not use personal cloud storage.")
	r.at(r.end.Add(-20 * time.Minute))
	r.write("aisha", kindNote, "Attacker timeline draft v2 shared with counsel: nine days from the first VPN login to "+
		"encryption, one entry point, five hosts touched. Still open: what the storage provider holds.")
	r.at(r.end.Add(-8 * time.Minute))
	r.write("maya", kindComms, "Sit-rep 3 to leadership: containment holding for 30 hours; krbtgt reset overdue, waiting "+
		"for the next change window; notification decision due from counsel tomorrow.")
}
