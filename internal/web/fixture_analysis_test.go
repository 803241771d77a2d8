package web_test

import (
	"strings"
	"time"

	"github.com/warroom/warroom/internal/evidence"
	"github.com/warroom/warroom/internal/ioc"
	"github.com/warroom/warroom/internal/obligation"
)

// fillAnalysis gives the open incident indicators (one also recorded on
// the restricted incident, so it correlates only for those who may see
// both) and an evidence locker: an uploaded file with a transfer in its
// custody history, and an item held elsewhere.
func (s *site) fillAnalysis(f *fixture) {
	s.t.Helper()
	admin, rita := s.ctx("admin"), s.ctx("responder")
	open, secret := f.open.Ref, f.restricted.Ref
	no := false
	for _, in := range []ioc.Input{
		{Type: "domain", Value: "c2.lockbit-" + "support.example", Tags: []string{"c2", "lockbit"}, Note: hostile, Source: "EDR " + hostile},
		{Type: "ipv4", Value: "45.137.21.9", Tags: []string{"c2"}},
		{Type: "sha256", Value: strings.Repeat("ab", 32), Note: "encryptor"},
		{Type: "user_account", Value: "svc_backup", IsIOC: &no},
	} {
		if _, _, err := s.iocs.Add(rita, open, in); err != nil {
			s.t.Fatalf("fixture: indicator %s: %v", in.Value, err)
		}
	}
	if _, _, err := s.iocs.Add(admin, secret, ioc.Input{Type: "domain", Value: "c2.lockbit-support.example"}); err != nil {
		s.t.Fatalf("fixture: restricted indicator: %v", err)
	}
	e, err := s.locker.Upload(rita, open, evidence.Meta{Name: "ransom-note " + hostile + ".txt", Description: hostile, SourceHost: "FS01"},
		strings.NewReader("Your files are encrypted.\n"))
	if err != nil {
		s.t.Fatalf("fixture: upload: %v", err)
	}
	if _, err := s.locker.Transfer(rita, open, e.Label, "Rita Responder", "Forensics lab", "analysis "+hostile); err != nil {
		s.t.Fatalf("fixture: transfer: %v", err)
	}
	if _, err := s.locker.Register(rita, open, evidence.ExternalInput{Meta: evidence.Meta{Name: "Disk image of FS02"},
		Location: "Forensic NAS /cases/fs02.E01", SHA256: strings.Repeat("cd", 32)}); err != nil {
		s.t.Fatalf("fixture: register: %v", err)
	}
	// Notification facts on the closed incident, so the war room's
	// "Notifications owed" panel renders with data in the template test
	// (the open incident keeps none, for the panel's empty state).
	rules, err := obligation.Builtin()
	if err != nil {
		s.t.Fatal(err)
	}
	facts, err := obligation.ParseFacts([]byte("organisation:\n  jurisdictions: [US, EU-DE]\n  entity_types: [sec_registrant]\nincident:\n" +
		"  affected:\n    - {jurisdiction: US-TX, count: 300}\n    - {jurisdiction: EU-FR, count: 12000}\n  data_types: [ssn, personal_data]\n" +
		"  events:\n    awareness: " + time.Now().UTC().Add(-30*time.Hour).Format(time.RFC3339) + "\n"))
	if err != nil {
		s.t.Fatalf("fixture: facts: %v", err)
	}
	obs := &obligation.Service{DB: s.db, Now: time.Now, Log: quiet(), Rules: rules}
	if _, err := obs.PutFacts(admin, f.closed.Ref, *facts, 0); err != nil {
		s.t.Fatalf("fixture: put facts: %v", err)
	}
}
