package web_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/emulation"
	cdplog "github.com/chromedp/cdproto/log"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"

	"github.com/warroom/warroom/internal/db"
	"github.com/warroom/warroom/internal/db/dbtest"
	"github.com/warroom/warroom/internal/demo"
	"github.com/warroom/warroom/internal/incident"
	"github.com/warroom/warroom/internal/org"
	"github.com/warroom/warroom/internal/plan"
)

// ChromiumEnv names the variable holding the Chromium binary for browser
// tests (CI sets it to Debian's /usr/bin/chromium).
const ChromiumEnv = "WARROOM_TEST_CHROMIUM"

// chrome starts a headless Chromium for the test, or skips when none is
// configured (and fails in CI, where browser tests may not be skipped).
func chrome(t *testing.T) context.Context {
	t.Helper()
	path := os.Getenv(ChromiumEnv)
	if path == "" {
		if os.Getenv("CI") != "" {
			t.Fatalf("%s must be set in CI: browser tests may not be skipped", ChromiumEnv)
		}
		t.Skipf("%s is not set; skipping browser tests", ChromiumEnv)
	}
	opts := append(chromedp.DefaultExecAllocatorOptions[:], chromedp.ExecPath(path), chromedp.NoSandbox, chromedp.DisableGPU,
		chromedp.Flag("disable-quic", true), chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true), chromedp.Flag("disable-sync", true),
		chromedp.UserDataDir(t.TempDir()), chromedp.WindowSize(1280, 900),
		// Chromium can take longer than chromedp's 20 s to start when CI's
		// two cores are busy with the race-instrumented tests.
		chromedp.WSURLReadTimeout(90*time.Second))
	actx, cancel := chromedp.NewExecAllocator(context.Background(), opts...)
	t.Cleanup(cancel)
	return actx
}

// tab is one browser context (its own cookies) with a console watcher: any
// console error, uncaught exception or CSP violation fails the test.
type tab struct {
	t   *testing.T
	ctx context.Context
	mu  sync.Mutex
	bad []string
}

// newTab starts a browser of its own (its own profile and cookies, like
// another person's machine) and opens a tab in it.
func newTab(t *testing.T) *tab {
	t.Helper()
	ctx, cancel := chromedp.NewContext(chrome(t))
	t.Cleanup(cancel)
	tb := &tab{t: t, ctx: ctx}
	chromedp.ListenTarget(ctx, func(ev any) {
		switch e := ev.(type) {
		case *runtime.EventConsoleAPICalled:
			if e.Type == runtime.APITypeError || e.Type == runtime.APITypeWarning {
				tb.report(fmt.Sprintf("console.%s: %v", e.Type, argsText(e.Args)))
			}
		case *runtime.EventExceptionThrown:
			tb.report("exception: " + e.ExceptionDetails.Error())
		case *cdplog.EventEntryAdded:
			if e.Entry.Level == cdplog.LevelError && !strings.Contains(e.Entry.Text, "status of 403") && !strings.Contains(e.Entry.Text, "status of 404") {
				tb.report(fmt.Sprintf("log %s: %s (%s)", e.Entry.Source, e.Entry.Text, e.Entry.URL))
			}
		}
	})
	if err := chromedp.Run(ctx, cdplog.Enable(), runtime.Enable()); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(tb.check)
	return tb
}

func argsText(args []*runtime.RemoteObject) string {
	var parts []string
	for _, a := range args {
		if a.Value != nil {
			parts = append(parts, string(a.Value))
		} else {
			parts = append(parts, a.Description)
		}
	}
	return strings.Join(parts, " ")
}

func (tb *tab) report(s string) {
	tb.mu.Lock()
	tb.bad = append(tb.bad, s)
	tb.mu.Unlock()
}

func (tb *tab) check() {
	tb.mu.Lock()
	defer tb.mu.Unlock()
	for _, b := range tb.bad {
		tb.t.Errorf("browser console: %s", b)
	}
}

func (tb *tab) run(actions ...chromedp.Action) {
	tb.t.Helper()
	ctx, cancel := context.WithTimeout(tb.ctx, 20*time.Second)
	defer cancel()
	if err := chromedp.Run(ctx, actions...); err != nil {
		tb.t.Fatal(err)
	}
}

func (tb *tab) signIn(base, email string) {
	tb.t.Helper()
	tb.signInAs(base, email, password)
}

func (tb *tab) signInAs(base, email, pw string) {
	tb.t.Helper()
	tb.run(chromedp.Navigate(base+"/login"),
		chromedp.WaitVisible("#email", chromedp.ByID),
		chromedp.SendKeys("#email", email, chromedp.ByID),
		chromedp.SendKeys("#password", pw, chromedp.ByID),
		chromedp.Click(`button[type=submit]`, chromedp.ByQuery),
		chromedp.WaitVisible(`.counts`, chromedp.ByQuery))
}

func (tb *tab) text(sel string) string {
	tb.t.Helper()
	var s string
	tb.run(chromedp.Text(sel, &s, chromedp.ByQuery))
	return s
}

// waitText polls until sel's text contains want, without reloading.
func (tb *tab) waitText(sel, want string, within time.Duration) {
	tb.t.Helper()
	deadline := time.Now().Add(within)
	for {
		var s string
		ctx, cancel := context.WithTimeout(tb.ctx, time.Second)
		_ = chromedp.Run(ctx, chromedp.Text(sel, &s, chromedp.ByQuery, chromedp.AtLeast(0)))
		cancel()
		if strings.Contains(s, want) {
			return
		}
		if time.Now().After(deadline) {
			tb.t.Fatalf("%q did not appear in %s within %s; it reads:\n%s", want, sel, within, s)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

func (tb *tab) screenshot(dir, name string, dark bool) {
	tb.t.Helper()
	feature := "light"
	if dark {
		feature = "dark"
	}
	var png []byte
	tb.run(emulation.SetEmulatedMedia().WithFeatures([]*emulation.MediaFeature{{Name: "prefers-color-scheme", Value: feature}}),
		chromedp.Sleep(150*time.Millisecond),
		chromedp.FullScreenshot(&png, 100)) // 100: PNG, not JPEG
	if err := os.WriteFile(filepath.Join(dir, name+"-"+feature+".png"), png, 0o644); err != nil {
		tb.t.Fatal(err)
	}
}

func screenshotDir(t *testing.T) string {
	t.Helper()
	dir := os.Getenv("WARROOM_SCREENSHOTS")
	if dir == "" {
		dir = filepath.Join(os.TempDir(), "warroom-screenshots")
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	t.Logf("screenshots in %s", dir)
	return dir
}

// TestBrowserDemo renders the demo organisation's busiest pages, the way a
// newcomer first sees the product, and screenshots them.
func TestBrowserDemo(t *testing.T) {
	chrome(t)
	d := dbtest.OpenSQLite(t)
	res, err := demo.Seed(context.Background(), d, time.Now(), nil, demo.Options{})
	if err != nil {
		t.Fatal(err)
	}
	orgs := &org.Service{DB: d, Now: time.Now, Log: quiet()}
	plans := &plan.Service{DB: d, Now: time.Now, Log: quiet()}
	if err := d.Write(context.Background(), func(tx *db.Tx) error { return plans.ImportStarters(context.Background(), tx, res.Org, "") }); err != nil {
		t.Fatal(err)
	}
	srv := mount(t, d, orgs, &incident.Service{DB: d, Now: time.Now, Log: quiet()})
	shots := screenshotDir(t)
	maya := newTab(t)
	maya.signInAs(srv.URL, res.Users[0].Email, res.Users[0].Password)
	maya.screenshot(shots, "demo-incidents", false)
	maya.screenshot(shots, "demo-incidents", true)
	var href string
	maya.run(chromedp.Navigate(srv.URL+"/?sort=severity"), chromedp.WaitVisible(".incidents", chromedp.ByQuery),
		chromedp.AttributeValue(`a.ref`, "href", &href, nil, chromedp.ByQuery))
	maya.run(chromedp.Navigate(srv.URL+href), chromedp.WaitVisible("#timeline-list", chromedp.ByID))
	maya.screenshot(shots, "demo-warroom", false)
	maya.screenshot(shots, "demo-warroom", true)
	// A tablet in portrait: one column, nothing cut off or overlapping.
	maya.run(chromedp.EmulateViewport(820, 1180))
	maya.screenshot(shots, "demo-warroom-tablet", false)
	var overflow bool
	maya.run(chromedp.Evaluate(`document.documentElement.scrollWidth > window.innerWidth + 1`, &overflow))
	if overflow {
		t.Error("the war room scrolls sideways on a tablet")
	}
	maya.run(chromedp.EmulateViewport(1280, 900))
	maya.run(chromedp.Navigate(srv.URL+href+"/tasks/1"), chromedp.WaitVisible(".facts", chromedp.ByQuery))
	maya.screenshot(shots, "demo-task", false)
	maya.run(chromedp.Navigate(srv.URL+"/admin"), chromedp.WaitVisible(".catalogue", chromedp.ByQuery))
	maya.screenshot(shots, "demo-admin", false)
	maya.run(chromedp.Navigate(srv.URL+"/plans/ransomware"), chromedp.WaitVisible(".plan-steps", chromedp.ByQuery))
	maya.screenshot(shots, "demo-plan", false)
	maya.run(chromedp.Navigate(srv.URL+"/admin/notifications"), chromedp.WaitVisible("#del-h", chromedp.ByQuery))
	maya.screenshot(shots, "demo-notifications", true)
	// The analysis pages of the ransomware incident, each with content.
	for _, p := range []struct{ path, wait, shot, want string }{
		{"/indicators", "table.iocs", "demo-indicators", "Also seen in"},
		{"/evidence", "table.evidence", "demo-evidence", "Memory image of DC01"},
		{"/attack", "#story-h", "demo-attack", "Exfiltration"},
		{"/obligations", "main", "demo-obligations", "Texas"},
	} {
		maya.run(chromedp.Navigate(srv.URL+href+p.path), chromedp.WaitVisible(p.wait, chromedp.ByQuery))
		if got := maya.text("main"); !strings.Contains(got, p.want) {
			t.Errorf("%s does not show %q", p.path, p.want)
		}
		maya.screenshot(shots, p.shot, false)
	}
}

// TestBrowser drives the real UI in Chromium: sign in, declare, add a task
// and a note, see them appear live in a second browser, need-to-know,
// CSRF, and screenshots of the list and the war room in both themes.
func TestBrowser(t *testing.T) {
	chrome(t) // skip early when there is no browser
	s := newSite(t, dbtest.OpenSQLite(t))
	shots := screenshotDir(t)
	s.declare("admin", incident.DeclareInput{Title: "Credential phishing wave", Type: "account_compromise", Severity: "SEV3"})
	secret := s.declare("admin", incident.DeclareInput{Title: "Payroll data taken by an employee", Type: "insider_threat", Severity: "SEV2", Restricted: true})

	rita := newTab(t)
	rita.signIn(s.srv.URL, "rita@acme.test")
	if got := rita.text(".counts"); !strings.Contains(got, "1") {
		t.Fatalf("counts: %q", got)
	}

	// Declare an incident through the form.
	rita.run(chromedp.Navigate(s.srv.URL+"/incidents/new"),
		chromedp.WaitVisible("#title", chromedp.ByID),
		chromedp.SendKeys("#title", "LockBit on finance file servers", chromedp.ByID),
		chromedp.SetValue("#type", "ransomware", chromedp.ByID),
		chromedp.SetValue("#severity", "SEV1", chromedp.ByID),
		chromedp.SendKeys("#summary", "FS01 and FS02 encrypted at 03:10; ransom note README-LOCKBIT.txt.", chromedp.ByID),
		chromedp.Submit("#title", chromedp.ByID),
		chromedp.WaitVisible("#incident-title", chromedp.ByID))
	if h := rita.text("#incident-title"); h != "LockBit on finance file servers" {
		t.Fatalf("war room title %q", h)
	}
	var loc string
	rita.run(chromedp.Location(&loc))
	ref := loc[strings.LastIndex(loc, "/")+1:]
	if i := strings.IndexAny(ref, "?#"); i >= 0 {
		ref = ref[:i]
	}

	// A second person watches the same war room.
	rob := newTab(t)
	rob.signIn(s.srv.URL, "rob@acme.test")
	rob.run(chromedp.Navigate(s.srv.URL+"/incidents/"+ref), chromedp.WaitVisible("#timeline-list", chromedp.ByID))
	rob.waitText(".live-status", "Live", 5*time.Second)

	// Rita adds a task (keyboard shortcut t) and a note (shortcut n).
	rita.run(chromedp.KeyEvent("t"), chromedp.WaitVisible("#task-title", chromedp.ByID),
		chromedp.SendKeys("#task-title", "Isolate FS01 from the network", chromedp.ByID),
		chromedp.Submit("#task-title", chromedp.ByID), chromedp.WaitVisible("#task-1", chromedp.ByID))
	rita.run(chromedp.KeyEvent("n"), chromedp.SendKeys("#note-text", "Ransom note found on FS02; preserving it as evidence.", chromedp.ByID),
		chromedp.Submit("#note-text", chromedp.ByID), chromedp.WaitVisible(`#entry-4`, chromedp.ByID))

	// Rob sees both without reloading.
	start := time.Now()
	rob.waitText("#timeline-list", "Ransom note found on FS02", 3*time.Second)
	rob.waitText("#task-board", "Isolate FS01 from the network", time.Second)
	t.Logf("live update reached the second browser in %s", time.Since(start).Round(time.Millisecond))
	var reloaded bool
	rob.run(chromedp.Evaluate(`performance.getEntriesByType("navigation").length !== 1`, &reloaded))
	if reloaded {
		t.Error("the second browser reloaded the page")
	}

	rita.screenshot(shots, "warroom", false)
	rita.screenshot(shots, "warroom", true)
	// Dark mode follows the system, and printing drops the controls.
	background := func(scheme string) string {
		var bg string
		rita.run(emulation.SetEmulatedMedia().WithFeatures([]*emulation.MediaFeature{{Name: "prefers-color-scheme", Value: scheme}}),
			chromedp.Evaluate(`getComputedStyle(document.body).backgroundColor`, &bg))
		return bg
	}
	if light, dark := background("light"), background("dark"); light == dark {
		t.Errorf("dark mode does not change the page: %s in both", light)
	}
	var hidden []string
	rita.run(emulation.SetEmulatedMedia().WithMedia("print"),
		chromedp.Evaluate(`[".topbar", "#note-form", ".quick"].filter(s => document.querySelector(s) && getComputedStyle(document.querySelector(s)).display !== "none")`, &hidden),
		emulation.SetEmulatedMedia().WithMedia(""))
	if len(hidden) > 0 {
		t.Errorf("printing the war room still shows %v", hidden)
	}
	rita.run(chromedp.Navigate(s.srv.URL+"/?status=all"), chromedp.WaitVisible(".incidents", chromedp.ByQuery))
	rita.screenshot(shots, "incidents", false)
	rita.screenshot(shots, "incidents", true)

	// Need to know: the viewer is not on the restricted incident.
	vic := newTab(t)
	vic.signIn(s.srv.URL, "vic@acme.test")
	if list := vic.text("main"); strings.Contains(list, secret.Title) || strings.Contains(list, secret.Ref) {
		t.Errorf("the viewer's list shows the restricted incident")
	}
	vic.run(chromedp.Navigate(s.srv.URL+"/incidents/"+secret.Ref), chromedp.WaitVisible(".error-page", chromedp.ByQuery))
	if got := vic.text(".error-code"); got != "404" {
		t.Errorf("viewer opening the restricted incident got %q, want 404", got)
	}

	// A form posted without the CSRF token is refused and changes nothing.
	rita.run(chromedp.Navigate(s.srv.URL+"/incidents/"+ref), chromedp.WaitVisible("#note-form", chromedp.ByID),
		chromedp.Evaluate(`document.querySelector('#note-form input[name=csrf]').remove();
			document.getElementById('note-text').value = 'forged note';
			document.getElementById('note-form').submit(); true`, nil),
		chromedp.WaitVisible(".error-page", chromedp.ByQuery))
	if got := rita.text(".error-code"); got != "403" {
		t.Errorf("CSRF-less post got %q, want 403", got)
	}
	tl, err := s.inc.Timeline(s.ctx("admin"), ref, incident.TimelineFilter{Limit: 100})
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range tl.Items {
		if e.Text == "forged note" {
			t.Error("the CSRF-less post was recorded")
		}
	}
}
