package web_test

import (
	"fmt"
	"time"

	"github.com/warroom/warroom/internal/contact"
	"github.com/warroom/warroom/internal/incident"
	"github.com/warroom/warroom/internal/org"
	"github.com/warroom/warroom/internal/record"
)

// fixture is a busy organisation: what the "full" renders and the page
// tests work on. Everything is made through the services.
type fixture struct {
	// open has a roster with hand-over history, a custom role, tasks in
	// all five statuses (one overdue, two waiting for others), 30+
	// timeline entries of every kind with a correction and backdated
	// attacker activity, and every milestone but closed.
	open incident.Incident
	// closed has every milestone, closed included.
	closed incident.Incident
	// restricted is need-to-know: rita holds a role on it, rob and vic do not.
	restricted incident.Incident
	note       incident.Entry // a note on open that a correction corrects
	tokens     map[string]org.Token
}

// hostile is text that must come out escaped wherever it is shown.
const hostile = `<script>alert("x")</script> & "quotes" 'apostrophes' javascript:alert(1)`

// MustFill builds the fixture on the site's database.
func (s *site) MustFill() fixture {
	s.t.Helper()
	now := time.Now().UTC()
	ago := func(d time.Duration) *time.Time { t := now.Add(-d); return &t }
	admin, rita := s.ctx("admin"), s.ctx("responder")
	check := func(what string, err error) {
		s.t.Helper()
		if err != nil {
			s.t.Fatalf("fixture: %s: %v", what, err)
		}
	}
	f := fixture{tokens: map[string]org.Token{}}

	_, err := s.orgs.AddRole(admin, org.IRRole{Key: "privacy_officer", Name: "Privacy officer", Description: "Owns GDPR questions " + hostile})
	check("add role", err)

	f.open = s.declare("admin", incident.DeclareInput{Title: "LockBit on finance file servers " + hostile, Summary: "FS01 and FS02 encrypted.\n" + hostile,
		Type: "ransomware", Severity: "SEV2", Tags: []string{"lockbit", "finance"}, TLP: "amber_strict",
		DetectedAt: ago(48 * time.Hour), FirstCompromiseAt: ago(96 * time.Hour)})
	ref := f.open.Ref
	for _, as := range []incident.AssignInput{{Role: "technical_lead", User: "rita@acme.test", Note: "on call"},
		{Role: "scribe", User: "rob@acme.test"}, {Role: "investigator", User: "rob@acme.test"},
		{Role: "privacy_officer", User: "vic@acme.test", Note: hostile}, {Role: "communications_lead", User: "rob@acme.test"}} {
		_, err := s.inc.Assign(admin, ref, as)
		check("assign "+as.Role, err)
	}
	_, err = s.inc.Handover(admin, ref, incident.HandoverInput{Role: "incident_commander", To: "rita@acme.test", Note: "shift change"})
	check("hand over", err)
	_, err = s.inc.Handover(rita, ref, incident.HandoverInput{Role: "technical_lead", To: "rob@acme.test"})
	check("hand over technical lead", err)
	check("release", s.inc.Release(admin, ref, incident.ReleaseInput{Role: "communications_lead", User: "rob@acme.test", Note: "back to comms team"}))

	for _, in := range []incident.TaskInput{
		{Title: "Isolate FS01 from the network", Phase: "containment", Owner: "rita@acme.test", Status: "done"},
		{Title: "Image FS02 memory " + hostile, Description: hostile, Phase: "containment", Owner: "rob@acme.test", Status: "in_progress", DueAt: timePtr(now.Add(6 * time.Hour))},
		{Title: "Reset domain admin passwords", Phase: "eradication", Role: "technical_lead", Status: "blocked", DependsOn: []int64{2}},
		{Title: "Notify the regulator", Phase: "detection_analysis", Role: "privacy_officer", Owner: "ada@acme.test", DueAt: ago(2 * time.Hour), DependsOn: []int64{1, 2}},
		{Title: "Pay the ransom", Phase: "recovery", Status: "cancelled"},
	} {
		_, err := s.inc.CreateTask(rita, ref, in)
		check("create task "+in.Title, err)
	}
	title := "Isolate FS01 and FS03 from the network"
	_, err = s.inc.UpdateTask(rita, ref, 1, incident.TaskPatch{Title: &title}, 0)
	check("update task", err)

	f.note, err = s.inc.AddEntry(rita, ref, incident.EntryInput{Text: "Ransom note found on FS02", Kind: "note"})
	check("note", err)
	_, err = s.inc.AddEntry(rita, ref, incident.EntryInput{Text: "Ransom note found on FS01, not FS02", Corrects: f.note.ID})
	check("correction", err)
	for i, k := range []string{"action", "decision", "communication", "decision", "decision", "action", "note"} {
		_, err := s.inc.AddEntry(admin, ref, incident.EntryInput{Text: fmt.Sprintf("%s %d %s", k, i, hostile), Kind: k})
		check("entry "+k, err)
	}
	for i := 0; i < 3; i++ {
		_, err := s.inc.AddEntry(rita, ref, incident.EntryInput{Text: fmt.Sprintf("Attacker logged in to VPN as svc_backup (%d)", i),
			Kind: "attacker_activity", EventTime: ago(time.Duration(90-i) * time.Hour)})
		check("attacker activity", err)
	}
	for _, ms := range []struct {
		kind string
		at   time.Duration
	}{{"contained", 30 * time.Hour}, {"eradicated", 10 * time.Hour}, {"recovered", time.Hour}} {
		_, err := s.inc.SetMilestone(admin, ref, ms.kind, ago(ms.at))
		check("milestone "+ms.kind, err)
	}
	sev, phase := incident.Severity("SEV1"), incident.Phase("eradication")
	_, err = s.inc.Update(admin, ref, incident.Patch{Severity: &sev, Phase: &phase}, 0)
	check("update", err)
	for i := 0; len(s.entries(ref)) < 32; i++ {
		_, err := s.inc.AddEntry(rita, ref, incident.EntryInput{Text: fmt.Sprintf("Progress note %d", i)})
		check("progress note", err)
	}
	f.open = s.incidentOf("admin", ref)
	kinds := map[string]bool{}
	for _, e := range s.entries(ref) {
		kinds[e.Kind] = true
	}
	for _, k := range append([]string{"correction", incident.KindDeclared, incident.KindUpdated, incident.KindMilestone, incident.KindRoleAssigned,
		incident.KindRoleReleased, incident.KindHandover, incident.KindTaskCreated, incident.KindTaskUpdated}, record.UserKinds...) {
		if !kinds[k] {
			s.t.Fatalf("fixture: no %s entry on %s", k, ref)
		}
	}

	f.closed = s.declare("responder", incident.DeclareInput{Title: "Phishing wave against payroll", Type: "account_compromise", Severity: "SEV3",
		DetectedAt: ago(20 * time.Hour), FirstCompromiseAt: ago(30 * time.Hour)})
	for _, ms := range []string{"contained", "eradicated", "recovered"} {
		_, err := s.inc.SetMilestone(rita, f.closed.Ref, ms, ago(2*time.Hour))
		check("closed milestone "+ms, err)
	}
	_, err = s.inc.Close(rita, f.closed.Ref, "Mailboxes cleaned; review on Monday.", 0)
	check("close", err)
	f.closed = s.incidentOf("admin", f.closed.Ref)

	f.restricted = s.declare("admin", incident.DeclareInput{Title: "Payroll data taken by an employee", Type: "insider_threat", Severity: "SEV2", Restricted: true})
	_, err = s.inc.Assign(admin, f.restricted.Ref, incident.AssignInput{Role: "hr", User: "rita@acme.test"})
	check("assign restricted", err)

	for _, tk := range []struct {
		who  string
		in   org.TokenInput
		use  bool
		kill bool
	}{{"admin", org.TokenInput{Name: "SIEM integration " + hostile}, true, false}, {"admin", org.TokenInput{Name: "forever", NoExpiry: true}, false, false},
		{"admin", org.TokenInput{Name: "old laptop"}, false, true}, {"responder", org.TokenInput{Name: "rita cli"}, false, false}} {
		secret, t, err := s.orgs.CreateToken(s.ctx(tk.who), tk.in)
		check("token", err)
		if tk.use {
			_, err := s.orgs.AuthenticateToken(s.ctx(tk.who), secret, "192.0.2.7")
			check("use token", err)
		}
		if tk.kill {
			check("revoke token", s.orgs.RevokeToken(s.ctx(tk.who), t.ID))
		}
		f.tokens[tk.in.Name] = t
	}
	// A session that has ended, beside the ones the tests sign in with.
	s.signIn("responder2")
	check("revoke session", s.orgs.RevokeSession(s.ctx("admin"), s.sessionsOf("responder2")[0].ID))

	// The directory: verified today, verified 100 days ago (stale), never
	// verified and unreachable out of band, and hostile text to escape.
	hundredDaysAgo := &contact.Service{DB: s.db, Now: func() time.Time { return now.Add(-100 * 24 * time.Hour) }, Log: quiet()}
	for _, c := range []struct {
		svc *contact.Service
		in  contact.Input
	}{
		{s.contacts, contact.Input{Key: "ciso", Name: "Vic Viewer", Kind: "internal", Role: "CISO", User: "vic@acme.test", WorkEmail: "vic@acme.test",
			PersonalEmail: "vic.home@mail.example", Signal: "vicv.42", OutOfBandNotes: "Home: +44 1632 960 001", Verified: true}},
		{hundredDaysAgo, contact.Input{Key: "ir-provider", Name: "Incident hotline", Kind: "ir_provider", Organization: "DFIR Partners",
			Phone: "+1 202 555 0142", Signal: "+1 202 555 0143", Verified: true}},
		{s.contacts, contact.Input{Key: "cyber-insurer", Name: "Claims line", Kind: "cyber_insurer", Organization: "Shield Mutual", Phone: "+44 20 7946 0000"}},
		{s.contacts, contact.Input{Key: "old-pr-firm", Name: "Loud PR " + hostile, Kind: "pr_firm", Role: hostile, Organization: hostile,
			WorkEmail: "press@loud.example", OutOfBandNotes: hostile, Notes: hostile}},
	} {
		_, err := c.svc.Create(admin, c.in)
		check("contact "+c.in.Key, err)
	}
	s.fillAnalysis(&f)
	return f
}

func timePtr(t time.Time) *time.Time { return &t }
