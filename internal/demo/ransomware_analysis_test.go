package demo_test

import (
	"testing"
	"time"

	"github.com/warroom/warroom/internal/attack"
	"github.com/warroom/warroom/internal/db"
	"github.com/warroom/warroom/internal/evidence"
	"github.com/warroom/warroom/internal/ioc"
	"github.com/warroom/warroom/internal/obligation"
)

// testRansomwareAnalysis checks that the demo's centrepiece shows every
// analysis page with something in it: indicators (IOCs and artifacts),
// evidence with custody, an attacker story across the kill chain with
// links, and notification clocks with one submitted, one drafting and the
// SEC's waiting for the materiality determination.
func testRansomwareAnalysis(t *testing.T, d *db.DB, s *seeded) {
	ref := s.byType["ransomware"].Ref
	clock := func() time.Time { return s.now }

	p, err := (&ioc.Service{DB: d, Now: clock}).List(s.admin, ref, ioc.Filter{Limit: 500})
	if err != nil {
		t.Fatal(err)
	}
	iocs, artifacts := 0, 0
	for _, x := range p.Items {
		if x.IsIOC {
			iocs++
		} else {
			artifacts++
		}
	}
	if iocs < 10 || artifacts == 0 {
		t.Errorf("%d indicators of compromise and %d artifacts, want >= 10 and > 0", iocs, artifacts)
	}

	items, err := (&evidence.Service{DB: d, Now: clock}).List(s.admin, ref)
	if err != nil || len(items) != 6 {
		t.Fatalf("%d evidence items, want 6 (%v)", len(items), err)
	}

	story, err := (&attack.Service{DB: d, Now: clock}).Story(s.admin, ref)
	if err != nil {
		t.Fatal(err)
	}
	if story.Activities < 10 || len(story.Groups) < 7 || len(story.Indicators) < 5 || len(story.Evidence) < 4 || len(story.Hosts) < 5 {
		t.Errorf("story: %d activities in %d tactics, %d indicators, %d evidence, %d hosts",
			story.Activities, len(story.Groups), len(story.Indicators), len(story.Evidence), len(story.Hosts))
	}

	rules, err := obligation.Builtin()
	if err != nil {
		t.Fatal(err)
	}
	rep, err := (&obligation.Service{DB: d, Now: clock, Rules: rules}).Obligations(s.admin, ref, false)
	if err != nil {
		t.Fatal(err)
	}
	status := map[string]obligation.IncidentObligation{}
	for _, o := range rep.Obligations {
		status[o.Rule] = o
	}
	for rule, want := range map[string]string{"eu-nis2-art23-csirt": obligation.Submitted, "uk-gdpr-art33-ico": obligation.Drafting,
		"us-tx-521-053-attorney-general": obligation.NotStarted} {
		if got := status[rule].Notification.Status; got != want {
			t.Errorf("%s: %q, want %q", rule, got, want)
		}
	}
	if o := status["us-sec-8k-item-1-05"]; o.Status != obligation.PendingEvent {
		t.Errorf("the SEC 8-K is %q, want pending_event", o.Status)
	}
}
