package web_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/warroom/warroom/internal/attack"
	"github.com/warroom/warroom/internal/db/dbtest"
)

// TestBrowserAnalysis walks an analyst's path in Chromium, with no console
// or CSP errors: paste a report, review what was found, add it, tag two
// indicators at once, then upload a file through the script's progress
// path and land on its chain of custody. It screenshots each page.
func TestBrowserAnalysis(t *testing.T) {
	chrome(t)
	s := newSite(t, dbtest.OpenSQLite(t))
	f := s.MustFill()
	shots := screenshotDir(t)
	base := s.srv.URL + "/incidents/" + f.open.Ref
	rita := newTab(t)
	rita.signIn(s.srv.URL, "rita@acme.test")

	rita.run(chromedp.Navigate(base+"/indicators"), chromedp.WaitVisible("table.iocs", chromedp.ByQuery))
	rita.screenshot(shots, "indicators", false)
	rita.screenshot(shots, "indicators", true)

	// Extraction: paste, review (the private address is listed, unticked), add.
	rita.run(chromedp.Navigate(base+"/indicators/extract"), chromedp.WaitVisible("#x-text", chromedp.ByID),
		chromedp.SendKeys("#x-text", "Beacon to hxxp://update-check[.]xyz/gate.php from 10.1.2.3\nDropper hash 44d88612fea8a8f36de82e1278abb02f", chromedp.ByID),
		chromedp.Submit("#x-text", chromedp.ByID), chromedp.WaitVisible("#review-h", chromedp.ByID))
	rita.screenshot(shots, "extract-review", false)
	var private, md5 bool
	rita.run(chromedp.Evaluate(`document.querySelector('input[value="ipv4:10.1.2.3"]').checked`, &private),
		chromedp.Evaluate(`document.querySelector('input[value="md5:44d88612fea8a8f36de82e1278abb02f"]').checked`, &md5))
	if private || !md5 {
		t.Errorf("ticked by default: private address %v (want false), md5 %v (want true)", private, md5)
	}
	rita.run(chromedp.Click(`fieldset.bulk button[type=submit]`, chromedp.ByQuery), chromedp.WaitVisible(".flash", chromedp.ByQuery))
	if got := rita.text(".flash"); !strings.Contains(got, "added") {
		t.Errorf("flash after adding: %q", got)
	}
	if got := rita.text("table.iocs"); !strings.Contains(got, "http://update-check.xyz/gate.php") || !strings.Contains(got, "44d88612fea8a8f36de82e1278abb02f") ||
		strings.Contains(got, "10.1.2.3") {
		t.Errorf("indicators after extraction:\n%s", got)
	}

	// Bulk: tick two rows, add a tag to both.
	rita.run(chromedp.Click(`table.iocs tbody tr:nth-child(1) input[name=id]`, chromedp.ByQuery),
		chromedp.Click(`table.iocs tbody tr:nth-child(2) input[name=id]`, chromedp.ByQuery),
		chromedp.SetValue(`select[name=action]`, "add_tag", chromedp.ByQuery),
		chromedp.SendKeys(`input[name=tag]`, "triage", chromedp.ByQuery),
		chromedp.Click(`fieldset.bulk button[type=submit]`, chromedp.ByQuery))
	rita.waitText(".flash", "2 indicators changed.", 5*time.Second)

	// Upload through the script (XHR with a progress bar), then the item's page.
	file := filepath.Join(t.TempDir(), "gate.php")
	if err := os.WriteFile(file, []byte("<?php /* webshell sample */ ?>\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	rita.run(chromedp.Navigate(base+"/evidence"), chromedp.WaitVisible("#up-file", chromedp.ByID))
	rita.screenshot(shots, "evidence", false)
	rita.run(chromedp.SendKeys("#upload-host", "WEB-01", chromedp.ByID),
		chromedp.SetUploadFiles("#up-file", []string{file}, chromedp.ByID),
		chromedp.Click(`form[data-upload] button[type=submit]`, chromedp.ByQuery),
		chromedp.WaitVisible("#custody-h", chromedp.ByID))
	if got := rita.text(".page-head h1"); !strings.Contains(got, "EV-3") || !strings.Contains(got, "gate.php") {
		t.Errorf("after the upload: %q", got)
	}
	if got := rita.text("ol.custody"); !strings.Contains(got, "Collected") {
		t.Errorf("custody history: %q", got)
	}
	rita.screenshot(shots, "evidence-item", false)
	rita.screenshot(shots, "evidence-item", true)

	// The attacker story: two structured activities and the fixture's
	// unclassified notes, grouped by tactic in kill-chain order.
	story := &attack.Service{DB: s.db, Now: time.Now, Log: quiet()}
	for _, in := range []attack.Input{
		{Text: "Phishing mail with invoice.exe opened by the payroll clerk", Tactic: "initial-access", Technique: "T1566.001", Host: "WS-0142", Account: "CORP\\jdoe",
			EventTime: timePtr(time.Now().Add(-80 * time.Hour)), Precision: "minute", Evidence: []string{"EV-3"}},
		{Text: "Encryptor run on FS01 and FS02 over SMB", Tactic: "impact", Technique: "T1486", Host: "FS01",
			EventTime: timePtr(time.Now().Add(-50 * time.Hour)), Precision: "hour"},
	} {
		if _, err := story.Record(s.ctx("responder"), f.open.Ref, in); err != nil {
			t.Fatalf("record %q: %v", in.Text, err)
		}
	}
	rita.run(chromedp.Navigate(base+"/attack"), chromedp.WaitVisible("#story-h", chromedp.ByID))
	if got := rita.text("main"); strings.Index(got, "Initial Access") > strings.Index(got, "Impact") || !strings.Contains(got, "T1566.001") {
		t.Errorf("the story is not in kill-chain order or lacks the technique:\n%s", got)
	}
	rita.screenshot(shots, "attack-story", false)
	rita.screenshot(shots, "attack-story", true)
}
