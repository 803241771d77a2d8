package demo

import (
	"time"

	"github.com/warroom/warroom/internal/incident"
)

// insider is a restricted insider-threat case: only its roster (the
// incident commander, HR and legal counsel) and admins may see it, so the
// demo shows need-to-know at work. The technical lead and the executive
// sponsor are deliberately not on it. The employee is named by staff
// number only, as a real case file would.
func (s *seeder) insider() {
	st := s.story()
	declared := s.end.Add(-6 * day).Add(-7*time.Hour - 10*time.Minute)
	firstUpload := declared.Add(-2*day - 5*time.Hour)
	detected := declared.Add(-3*time.Hour - 25*time.Minute)

	s.at(declared)
	st.declare("maya", incident.DeclareInput{
		Title:      "Departing employee copying customer pricing data to personal cloud storage",
		Type:       "insider_threat",
		Severity:   "SEV2",
		TLP:        "red",
		Restricted: true,
		Tags:       []string{"insider", "dlp", "hr-case", "customer-data"},
		Summary: "DLP flagged uploads of the customer pricing master and a full CRM export from WS-SLS-207 to a personal " +
			"cloud storage account. The user, employee E-10442 in Sales Operations, resigned last week. Need-to-know: " +
			"incident commander, HR and legal counsel only.",
		DetectedAt: &detected,
	})
	s.at(declared.Add(10 * time.Minute))
	st.assign("maya", "hr", "grace", "employee relations lead for E-10442")
	st.assign("maya", "legal_counsel", "robert", "legal hold, contract, possible claim")
	st.write("maya", kindDecision, "Restricted to IC, HR and legal. The line manager and the security engineering team are not "+
		"told until HR decides; any log pulls go through the incident commander. Do not alert the employee.")
	st.write("maya", kindNote, "DLP policy 'Customer data to unsanctioned cloud' fired three times for E-10442 on WS-SLS-207. "+
		"Destination files.example.net (personal account, not a sanctioned tenant). Proxy logs show 2.3 GB uploaded in total.")

	s.at(declared.Add(40 * time.Minute))
	st.task("maya", "hold", incident.TaskInput{Title: "Legal hold: preserve mailbox, OneDrive and an image of WS-SLS-207",
		Phase: "detection_analysis", Owner: "robert", Role: "legal_counsel"})
	st.task("maya", "scope", incident.TaskInput{Title: "Quantify what left: DLP, proxy and USB audit logs for the last 30 days",
		Phase: "detection_analysis", Owner: "maya"})
	st.task("maya", "interview", incident.TaskInput{Title: "Prepare the HR interview and the garden-leave letter",
		Phase: "containment", Owner: "grace", Role: "hr"}, "hold")
	st.task("maya", "letter", incident.TaskInput{Title: "Letter demanding deletion of company data and a signed certification",
		Phase: "eradication", Owner: "robert"}, "interview", "scope")
	st.move("robert", "hold", statusWorking)

	s.at(declared.Add(3 * time.Hour))
	st.move("maya", "scope", statusWorking)
	st.attacker("maya", firstUpload, "WS-SLS-207, signed in as E-10442: 'Customer pricing master.xlsx' (14 MB) uploaded to "+
		"files.example.net through the browser. First upload to that service from this account.")
	st.attacker("maya", firstUpload.Add(26*time.Hour), "CRM report 'All accounts - full export' run by E-10442 (41,870 rows, "+
		"contacts and contract values); accounts_full.csv (2.1 GB with attachments) uploaded to files.example.net 40 minutes later.")
	st.attacker("maya", declared.Add(-20*time.Hour), "USB mass-storage device (SanDisk, serial ending 4F2A) connected to "+
		"WS-SLS-207; 312 files copied from the Sales Operations share according to the EDR file events.")
	st.milestone("maya", "first_compromise", firstUpload)
	st.write("maya", kindAction, "Conditional access now blocks files.example.net for E-10442; USB write disabled on WS-SLS-207 "+
		"by EDR device-control policy. Both changes look like routine policy to the user.")
	st.update("maya", incident.Patch{Phase: ptr(incident.Phase("containment"))})

	s.at(declared.Add(day + 2*time.Hour))
	st.write("robert", kindAction, "Legal hold in place on the mailbox and OneDrive; WS-SLS-207 imaged by IT under a "+
		"maintenance ticket, image hash recorded in the legal file.")
	st.move("robert", "hold", statusDone)
	st.write("robert", kindNote, "Employment contract clause 14 (confidentiality) and the 12-month non-solicitation clause apply. "+
		"The CRM export is personal data of customer contacts: assess notification once we know whether it was shared onward.")
	s.at(declared.Add(day + 5*time.Hour))
	st.move("grace", "interview", statusWorking)
	st.write("grace", kindComms, "Interview with E-10442 booked with the HR director present. Garden leave takes effect at the "+
		"start of the meeting; IT will disable access while it runs.")
	s.at(declared.Add(4*day - 3*time.Hour))
	st.write("grace", kindDecision, "HR director approved garden leave for the rest of the notice period. The employee will be "+
		"asked to return the USB device and to delete the uploaded files under supervision.")
}
