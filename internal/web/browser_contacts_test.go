package web_test

import (
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/warroom/warroom/internal/db/dbtest"
)

// TestBrowserContacts renders the directory in Chromium (no console or
// CSP errors), presses "Verified today", adds a contact through the form,
// checks a tablet does not scroll sideways, and screenshots it.
func TestBrowserContacts(t *testing.T) {
	chrome(t)
	s := newSite(t, dbtest.OpenSQLite(t))
	s.MustFill()
	shots := screenshotDir(t)
	rita := newTab(t)
	rita.signIn(s.srv.URL, "rita@acme.test")
	rita.run(chromedp.Navigate(s.srv.URL+"/contacts"), chromedp.WaitVisible(".contacts", chromedp.ByQuery))
	rita.screenshot(shots, "contacts", false)
	rita.screenshot(shots, "contacts", true)
	if got := rita.text("#c-cyber-insurer"); !strings.Contains(got, "Stale: never verified") {
		t.Fatalf("the insurer is not flagged stale in words: %q", got)
	}

	rita.run(chromedp.Click(`#c-cyber-insurer button[type=submit]`, chromedp.ByQuery), chromedp.WaitVisible(".flash", chromedp.ByQuery))
	if got := rita.text(".flash"); got != "Marked as verified today." {
		t.Errorf("flash after verifying: %q", got)
	}
	if got := rita.text("#c-cyber-insurer"); strings.Contains(got, "Stale") || !strings.Contains(got, "Verified") {
		t.Errorf("the insurer after verifying: %q", got)
	}

	rita.run(chromedp.SendKeys("#contact-key", "fbi-cyber", chromedp.ByID),
		chromedp.SendKeys("#contact-name", "FBI field office, cyber squad", chromedp.ByID),
		chromedp.SetValue("#contact-kind", "law_enforcement", chromedp.ByID),
		chromedp.SendKeys("#contact-phone", "+1 202 555 0150", chromedp.ByID),
		chromedp.Submit("#contact-key", chromedp.ByID),
		chromedp.WaitVisible("#c-fbi-cyber", chromedp.ByID))
	if got := rita.text("#c-fbi-cyber"); !strings.Contains(got, "+12025550150") || !strings.Contains(got, "Stale: never verified") {
		t.Errorf("the new contact: %q", got)
	}

	rita.run(chromedp.Navigate(s.srv.URL+"/contacts/ciso"), chromedp.WaitVisible("#edit-h", chromedp.ByID))
	rita.screenshot(shots, "contact", false)
	rita.run(chromedp.EmulateViewport(820, 1180), chromedp.Navigate(s.srv.URL+"/contacts"), chromedp.WaitVisible(".contacts", chromedp.ByQuery))
	rita.screenshot(shots, "contacts-tablet", false)
	var overflow bool
	rita.run(chromedp.Evaluate(`document.documentElement.scrollWidth > window.innerWidth + 1`, &overflow))
	if overflow {
		t.Error("the directory scrolls sideways on a tablet")
	}
}
