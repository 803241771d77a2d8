package demo

import (
	"time"

	"github.com/warroom/warroom/internal/evidence"
	"github.com/warroom/warroom/internal/ioc"
	"github.com/warroom/warroom/internal/obligation"
)

// ransomNote is the text of the demo's ransom note (made up, in the style
// of the real ones).
const ransomNote = "~~~ LockBit 3.0 ~~~\r\n\r\n>>>> Your data is stolen and encrypted.\r\n\r\n" +
	"If you don't pay the ransom, the data will be published on our TOR darknet sites.\r\n" +
	"Your decryption ID: 7F3A0C2B9E41D655\r\n\r\n(Demo file: Warroom's demo organisation, not a real note.)\r\n"

// indicators is what the log analyst and the malware analyst have in
// hand by the end of the first morning, and the first evidence: the
// ransom note from FS02 and the encryptor sample in the malware lab.
func (r *ransomware) indicators() {
	no := false
	for _, in := range []ioc.Input{
		{Type: "ipv4", Value: "203.0.113.45", Source: "VPN concentrator logs", Tags: []string{"vpn", "credential-stuffing"},
			FirstSeen: ptr(r.t(stuffingAt)), LastSeen: ptr(r.t(stuffingAt + 50*time.Minute))},
		{Type: "ipv4", Value: "203.0.113.46", Source: "VPN concentrator logs", Tags: []string{"vpn", "credential-stuffing", "initial-access"},
			FirstSeen: ptr(r.t(stuffingAt)), LastSeen: ptr(r.t(vpnLoginAt)), Confidence: ptr(95)},
		{Type: "user_account", Value: "svc-scanner", Source: "VPN concentrator logs", Tags: []string{"compromised-account"},
			Note: "Legacy scanner service account in the MFA exemption group; disabled.", FirstSeen: ptr(r.t(vpnLoginAt))},
		{Type: "ipv4", Value: "198.51.100.23", Source: "VPN address pool", IsIOC: &no, Note: "Address the VPN gave the intruder's session.",
			FirstSeen: ptr(r.t(vpnLoginAt))},
	} {
		r.indicator("aisha", in)
	}
	for _, in := range []ioc.Input{
		{Type: "sha256", Value: sample, Source: "FS02 sample", Tags: []string{"lockbit", "encryptor"}, Confidence: ptr(100),
			Note: "LockBit 3.0 (Black) builder output; needs -pass.", FirstSeen: ptr(r.t(gpoAt))},
		{Type: "filepath", Value: `C:\ProgramData\HLJkNskOq.exe`, Source: "FS02 sample", Tags: []string{"lockbit"}},
		{Type: "filename", Value: "svchost32.exe", Source: "EDR telemetry", Tags: []string{"rclone", "exfiltration"}, Note: "rclone renamed."},
		{Type: "process_name", Value: "AdFind.exe", Source: "EDR telemetry", Tags: []string{"discovery"}, Confidence: ptr(70)},
		{Type: "user_account", Value: "adm-jkowalski", Source: "FS01 security log", Tags: []string{"compromised-account", "domain-admin"}},
		{Type: "domain", Value: "storage.example.net", Source: "rclone config on FS01", Tags: []string{"exfiltration"}},
		{Type: "ipv4", Value: "192.0.2.77", Source: "firewall logs", Tags: []string{"exfiltration"}},
	} {
		r.indicator("jonas", in)
	}
	r.upload("jonas", evidence.Meta{Name: "HLJkNskOq.README.txt", Description: "Ransom note found in every folder of \\\\FS02\\Finance",
		SourceHost: "FS02", Method: "Copied from the share over the EDR live-response session", MediaType: "text/plain"}, ransomNote)
	r.register("jonas", evidence.ExternalInput{Meta: evidence.Meta{Name: "Encryptor sample HLJkNskOq.exe", SourceHost: "FS02",
		Description: "Kept in the malware lab's quarantine store as a password-protected archive (password: infected)",
		Method:      "EDR file retrieval"}, Location: "Malware lab quarantine store, case 2026-114", Size: 161280, SHA256: sample})
}

// notificationFacts is general counsel recording who is affected and
// what was taken, which starts the notification clocks.
func (r *ransomware) notificationFacts() {
	r.facts("robert", `organisation:
  jurisdictions: [GB, US, US-NY, EU-DE]
  sectors: [transport]
  entity_types: [sec_registrant, nis2_important]
incident:
  affected:
    - {jurisdiction: GB, count: 1240}
    - {jurisdiction: US-NY, count: 410}
    - {jurisdiction: US-TX, count: 262}
    - {jurisdiction: EU-DE, count: 180}
  data_types: [name, ssn, government_id, financial_account, personal_data]
  data_encrypted: false
  events:
    awareness: `+r.t(0).Format(time.RFC3339)+`
    discovery: `+r.detected.Format(time.RFC3339)+`
    breach_determination: `+r.t(24*time.Hour).Format(time.RFC3339)+`
`)
	r.notice("robert", "eu-nis2-art23-csirt", obligation.StatusInput{Status: obligation.Submitted, SubmittedAt: ptr(r.t(20 * time.Hour)),
		Reference: "BSI-MIP-2026-04471"})
	r.notice("robert", "uk-gdpr-art33-ico", obligation.StatusInput{Status: obligation.Drafting})
}
