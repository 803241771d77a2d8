package demo

import (
	"time"

	"github.com/warroom/warroom/internal/incident"
)

// bec is a business-email compromise worked three weeks ago and closed a
// week later: an incident that went the whole way, so the demo shows what
// a finished record looks like (every milestone, every task done).
func (s *seeder) bec() {
	st := s.story()
	declared := s.end.Add(-21 * day).Add(-5*time.Hour - 20*time.Minute)
	compromised := declared.Add(-6*day - 3*time.Hour)
	lookalike := declared.Add(-3*day - 2*time.Hour)
	paid := declared.Add(-2*day + 90*time.Minute)
	detected := declared.Add(-95 * time.Minute)

	s.at(declared)
	st.declare("maya", incident.DeclareInput{
		Title:    "Supplier payment diverted via compromised accounts-payable mailbox",
		Type:     "business_email_compromise",
		Severity: "SEV2",
		TLP:      "amber",
		Tags:     []string{"bec", "finance", "m365", "payment-fraud"},
		Summary: "An attacker with access to the mailbox of an accounts-payable clerk hid a supplier's mail and, from a " +
			"look-alike domain, sent new bank details for invoice INV-20931. EUR 48,200 was paid to the attacker's account.",
		DetectedAt: &detected,
	})
	s.at(declared.Add(5 * time.Minute))
	st.write("maya", kindNote, "Harlow Freight's credit controller called AP: invoice INV-20931 (EUR 48,200) shows unpaid. "+
		"Our ERP says it was paid two days ago to IBAN ending 7731, changed on request of an email from "+
		"accounts@harlowfreight.example.net. The real supplier domain is harlow-freight.example.net.")
	s.at(declared.Add(10 * time.Minute))
	st.assign("maya", "log_analyst", "aisha", "mailbox and sign-in logs")
	st.assign("maya", "legal_counsel", "robert", "police report, insurer, notification assessment")
	s.at(declared.Add(15 * time.Minute))
	st.task("maya", "reset", incident.TaskInput{Title: "Reset password, revoke sessions and re-register MFA for t.ellery@example.com",
		Phase: "containment", Owner: "aisha", Role: "log_analyst"})
	st.task("maya", "rules", incident.TaskInput{Title: "Remove malicious inbox rules; search every mailbox for the rule and the look-alike domain",
		Phase: "containment", Owner: "aisha"})
	st.task("maya", "recall", incident.TaskInput{Title: "Request recall of the EUR 48,200 payment through the bank's fraud team",
		Phase: "containment", Owner: "maya"})
	st.task("maya", "report", incident.TaskInput{Title: "Report to police and insurer; assess notification duties",
		Phase: "eradication", Owner: "robert", Role: "legal_counsel"})
	st.task("maya", "lessons", incident.TaskInput{Title: "Lessons learned: call-back verification for bank-detail changes",
		Phase: "post_incident", Owner: "maya"}, "recall", "report")

	s.at(declared.Add(30 * time.Minute))
	st.move("aisha", "reset", statusWorking)
	st.attacker("aisha", compromised, "Sign-in to t.ellery@example.com from 203.0.113.77 (VPS hosting range) two minutes after "+
		"the user clicked 'Q3 remittance - shared document' in a phishing mail. Adversary-in-the-middle proxy: the stolen "+
		"session cookie satisfied MFA; no MFA prompt was logged.")
	st.attacker("aisha", compromised.Add(18*time.Minute), "Inbox rule '..' created on t.ellery@example.com from 203.0.113.77: "+
		"mail from harlow-freight.example.net is moved to 'RSS Subscriptions' and marked as read.")
	st.attacker("aisha", lookalike, "Mail from accounts@harlowfreight.example.net (registered 4 days earlier) replying in the "+
		"genuine INV-20931 thread: 'our bank has changed, please update before the next payment run'. Attached letter on a "+
		"copied Harlow Freight letterhead.")
	st.attacker("aisha", paid, "Payment run: EUR 48,200 for INV-20931 sent to the attacker's IBAN ending 7731.")
	st.milestone("aisha", "first_compromise", compromised)

	s.at(declared.Add(45 * time.Minute))
	st.move("aisha", "reset", statusDone)
	st.write("aisha", kindAction, "Password reset, all sessions and refresh tokens revoked, MFA re-registered in person; "+
		"inbox rule removed. No sign-ins from 203.0.113.77 after the revocation.")
	st.update("maya", incident.Patch{Phase: ptr(incident.Phase("containment"))})
	st.milestone("maya", "contained", declared.Add(45*time.Minute))
	s.at(declared.Add(70 * time.Minute))
	st.move("maya", "recall", statusWorking)
	st.write("maya", kindComms, "Called the bank's fraud team and requested a recall of the payment (their reference FR-5521907). "+
		"Told Harlow Freight what happened and that we will pay the genuine account once the recall is settled.")
	s.at(declared.Add(2*time.Hour + 40*time.Minute))
	st.move("aisha", "rules", statusDone)
	st.write("aisha", kindAction, "Searched all 1,140 mailboxes: no other mailbox has the rule; three more messages from "+
		"harlowfreight.example.net reached AP, none acted on. Domain blocked at the mail gateway.")
	s.at(declared.Add(4 * time.Hour))
	st.write("robert", kindDecision, "Reported to the police (ref. CR-0417-88) and to the cyber insurer. The mailbox held "+
		"business contact details only: not a notifiable personal-data breach. Decision recorded with the reasoning in the legal file.")
	st.move("robert", "report", statusDone)

	s.at(declared.Add(day + 3*time.Hour))
	st.update("maya", incident.Patch{Phase: ptr(incident.Phase("eradication"))})
	st.milestone("maya", "eradicated", declared.Add(day+2*time.Hour))
	s.at(declared.Add(2*day + 6*time.Hour))
	st.write("maya", kindComms, "Bank confirms EUR 41,950 recovered; EUR 6,250 had already been withdrawn. Loss claimed under the cyber policy.")
	st.move("maya", "recall", statusDone)
	st.update("maya", incident.Patch{Phase: ptr(incident.Phase("recovery"))})
	st.milestone("maya", "recovered", declared.Add(2*day+6*time.Hour))

	s.at(declared.Add(6*day + 4*time.Hour))
	st.update("maya", incident.Patch{Phase: ptr(incident.Phase("post_incident"))})
	st.write("maya", kindDecision, "From today a change of a supplier's bank details needs a call-back to the number on file "+
		"and a second approver in the ERP. Phishing-resistant MFA (FIDO2) for finance roles this quarter.")
	st.move("maya", "lessons", statusDone)
	s.at(declared.Add(7 * day))
	st.close("maya", "Closed after the lessons-learned review. Net loss EUR 6,250, claimed under the cyber policy.")
}
