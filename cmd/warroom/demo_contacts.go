package main

import (
	"context"
	"fmt"

	"github.com/warroom/warroom/internal/actor"
	"github.com/warroom/warroom/internal/contact"
	"github.com/warroom/warroom/internal/db"
	"github.com/warroom/warroom/internal/demo"
	"github.com/warroom/warroom/internal/org"
)

// demoContacts fills the demo organisation's stakeholder directory: the
// outside parties a ransomware response calls, with out-of-band channels,
// one of them stale so the flag shows. Numbers are from the ranges set
// aside for drama and documentation (+44 20 7946 0xxx, +1 202-555-01xx).
var demoContacts = []contact.Input{
	{Key: "outside-counsel", Name: "Eleanor Voss", Kind: "outside_counsel", Role: "Partner, data protection and cyber", Organization: "Voss & Achterberg LLP",
		WorkEmail: "e.voss@voss-achterberg.example.com", Phone: "+442079460123", PersonalEmail: "eleanor.voss@example.net", Signal: "+442079460124", Verified: true},
	{Key: "cyber-insurer", Name: "Claims hotline", Kind: "cyber_insurer", Role: "24/7 cyber claims desk", Organization: "Meridian Specialty Insurance",
		WorkEmail: "cyberclaims@meridian.example.com", Phone: "+12025550142", OutOfBandNotes: "Policy MSI-CY-2026-8841; call before engaging any vendor", Verified: true},
	{Key: "ir-retainer", Name: "Sam Whitfield", Kind: "ir_provider", Role: "Principal consultant", Organization: "Harbor Incident Response",
		WorkEmail: "sam.whitfield@example.net", Phone: "+12025550188", Signal: "+12025550189", Verified: true},
	{Key: "fbi-field-office", Name: "Cyber squad duty agent", Kind: "law_enforcement", Role: "FBI field office, cyber squad", Organization: "FBI",
		Phone: "+12025550111", OutOfBandNotes: "Report at ic3.gov as well; ask for the duty agent on the cyber squad"},
	{Key: "ico", Name: "Personal data breach line", Kind: "regulator", Role: "UK data protection regulator", Organization: "Information Commissioner's Office",
		Phone: "+442079460199", Notes: "72 hours from awareness under UK GDPR Art. 33", Verified: true},
	{Key: "pr-firm", Name: "Nadia Ferrante", Kind: "pr_firm", Role: "Crisis communications lead", Organization: "Ferrante Strategic Communications",
		WorkEmail: "nadia@ferrante.example.com", Phone: "+442079460155", Verified: true},
}

// seedDemoContacts adds the demo contacts as the demo's first admin.
func seedDemoContacts(ctx context.Context, l *local, res demo.Result) error {
	var admin org.Member
	err := l.db.Read(ctx, func(tx *db.Tx) (err error) {
		admin, err = org.FindMember(ctx, tx, res.Org.ID, res.Users[0].Email, "email")
		return err
	})
	if err != nil {
		return err
	}
	as := actor.With(ctx, &actor.Actor{UserID: admin.ID, OrgID: res.Org.ID, Email: admin.Email, Name: admin.Name, Role: actor.Admin})
	for _, c := range demoContacts {
		if _, err := l.contacts.Create(as, c); err != nil {
			return fmt.Errorf("demo contact %s: %w", c.Key, err)
		}
	}
	return nil
}
