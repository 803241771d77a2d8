package demo

import (
	"time"

	"github.com/warroom/warroom/internal/incident"
	"github.com/warroom/warroom/internal/ioc"
)

// phishing is a report that came in an hour ago, still being analysed: a
// small SEV3 beside the big one, the way a real SOC's day looks. It
// imitates the VPN portal the ransomware intruder came through, so it is
// watched closely, but nothing links the two yet.
func (s *seeder) phishing() {
	st := s.story()
	declared := s.end.Add(-time.Hour)
	detected := declared.Add(-15 * time.Minute)
	delivered := declared.Add(-2*time.Hour - 5*time.Minute)

	s.at(declared)
	st.declare("aisha", incident.DeclareInput{
		Title:    "Credential phishing imitating the VPN portal",
		Type:     "account_compromise",
		Severity: "SEV3",
		TLP:      "green",
		Tags:     []string{"phishing", "credentials", "vpn"},
		Summary: "'VPN password expiry' mails link to a copy of the VPN portal at vpn-example.example.net. 212 recipients; " +
			"at least one person entered a password.",
		DetectedAt: &detected,
	})
	s.at(declared.Add(5 * time.Minute))
	st.write("aisha", kindNote, "Three users reported 'Your VPN password expires today' from it-support@example-vpn.example.net. "+
		"The link goes to vpn-example.example.net/login, a pixel copy of our portal, hosted at 203.0.113.90.")
	st.attacker("aisha", delivered, "Campaign delivered: 212 messages to staff from it-support@example-vpn.example.net "+
		"(sent through 203.0.113.90), passing SPF for the look-alike domain.")
	s.at(declared.Add(12 * time.Minute))
	st.task("aisha", "purge", incident.TaskInput{Title: "Purge the phishing mails and block the domain and URL",
		Phase: "containment", Owner: "aisha"})
	st.task("aisha", "who", incident.TaskInput{Title: "Find who submitted credentials (proxy logs for vpn-example.example.net)",
		Phase: "detection_analysis", Owner: "aisha", DueAt: ptr(declared.Add(2 * time.Hour))})
	st.task("aisha", "reset", incident.TaskInput{Title: "Reset passwords and revoke sessions of everyone who submitted credentials",
		Phase: "containment", Owner: "daniel"}, "who")
	s.at(declared.Add(20 * time.Minute))
	st.write("aisha", kindAction, "212 messages purged from mailboxes; sender domain and vpn-example.example.net blocked at the "+
		"mail gateway and the proxy.")
	st.move("aisha", "purge", statusDone)
	st.move("aisha", "who", statusWorking)
	s.at(declared.Add(25 * time.Minute))
	st.write("aisha", kindNote, "Proxy: two users POSTed to /login on the fake portal. VPN now needs MFA for everyone "+
		"(since the ransomware containment), so a password alone will not get in; resetting both anyway.")
	no := false
	for _, in := range []ioc.Input{
		{Type: "domain", Value: "vpn-example.example.net", Source: "user reports", Tags: []string{"phishing"}},
		{Type: "email", Value: "it-support@example-vpn.example.net", Source: "user reports", Tags: []string{"phishing"}},
		{Type: "ipv4", Value: "203.0.113.90", Source: "mail headers", Tags: []string{"phishing"}},
		// The VPN tried the harvested passwords from an address the
		// ransomware case already knows: the correlation shows on both.
		{Type: "ipv4", Value: "203.0.113.46", Source: "VPN logs", IsIOC: &no, Note: "Two failed VPN logins with the harvested passwords (MFA refused them)."},
	} {
		st.indicator("aisha", in)
	}
}
