package web_test

import (
	"html"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/warroom/warroom/internal/db"
	"github.com/warroom/warroom/internal/db/dbtest"
	"github.com/warroom/warroom/internal/incident"
)

func TestWarRoom(t *testing.T) {
	t.Parallel()
	dbtest.ForEachDialect(t, func(t *testing.T, d *db.DB) {
		s := newSite(t, d)
		f := s.MustFill()
		theirs := s.declare("outsider", incident.DeclareInput{Title: "Other's incident", Ref: "OTH-2026-0001"})
		path := "/incidents/" + f.open.Ref

		t.Run("OK", func(t *testing.T) {
			for _, who := range []string{"admin", "responder", "responder2", "viewer"} {
				st, body := s.signIn(who).get(path)
				if st != http.StatusOK {
					t.Fatalf("%s: %d", who, st)
				}
				mustContain(t, body, `<h1 id="incident-title">`+html.EscapeString(f.open.Title)+`</h1>`,
					"Rita Responder", "Isolate FS01 and FS03 from the network", "Ransom note found on FS01, not FS02", "(backdated)",
					`<span class="badge tlp tlp-amber_strict">TLP:AMBER&#43;STRICT</span>`, "Hand-over history (", `<span class="overdue">1 overdue</span>`)
			}
		})

		t.Run("ErrNotFound", func(t *testing.T) {
			for _, c := range []struct{ who, path string }{
				{"viewer", "/incidents/" + f.restricted.Ref},
				{"responder2", "/incidents/" + f.restricted.Ref},
				{"viewer", "/incidents/" + f.restricted.Ref + "/tasks/1"},
				{"admin", "/incidents/" + theirs.Ref},
				{"outsider", path},
				{"admin", "/incidents/IR-1999-0001"},
			} {
				st, body := s.signIn(c.who).get(c.path)
				if st != http.StatusNotFound || errorCode(body) != "404" {
					t.Errorf("%s GET %s: %d, want the 404 page (hidden looks like missing)", c.who, c.path, st)
				}
				mustNotContain(t, body, f.restricted.Title, theirs.Title, "Payroll")
			}
		})

		t.Run("ViewerSeesNoForms", func(t *testing.T) {
			_, body := s.signIn("viewer").get(path)
			if n := strings.Count(body, `name="csrf"`); n != 1 {
				t.Errorf("the viewer's war room has %d CSRF inputs, want 1 (sign out)", n)
			}
			if forms := regexp.MustCompile(`<form method="post" action="([^"]+)"`).FindAllStringSubmatch(body, -1); len(forms) != 1 || forms[0][1] != "/logout" {
				t.Errorf("the viewer's war room has POST forms %q, want only /logout", forms)
			}
			mustContain(t, body, "Notify the regulator", "Attacker logged in to VPN as svc_backup (2)", "Privacy officer", "Vic Viewer", "Contained")
			mustNotContain(t, body, "Correct this", "Close the incident", "New task")
		})

		t.Run("KindFilter", func(t *testing.T) {
			for kind, want := range map[string]int{"decision": 3, "attacker_activity": 3, "correction": 1, "action": 2} {
				_, body := s.signIn("viewer").get(path + "?kind=" + kind)
				kinds := regexp.MustCompile(`<li class="entry kind-([a-z_]+)`).FindAllStringSubmatch(body, -1)
				if len(kinds) != want {
					t.Errorf("?kind=%s shows %d entries, want %d", kind, len(kinds), want)
				}
				for _, k := range kinds {
					if k[1] != kind {
						t.Errorf("?kind=%s shows a %s entry", kind, k[1])
					}
				}
				mustContain(t, body, `<a href="`+path+`?kind=`+kind+`#timeline" aria-current="true">`)
			}
		})

		t.Run("OtherIncidentUntouched", func(t *testing.T) {
			if i := s.incidentOf("outsider", theirs.Ref); i.Version != 1 {
				t.Errorf("the other organisation's incident is at version %d", i.Version)
			}
		})
	})
}

func TestWarRoomIncidentForms(t *testing.T) {
	t.Parallel()
	s := newSite(t, dbtest.OpenSQLite(t))
	f := s.MustFill()
	ref, path := f.open.Ref, "/incidents/"+f.open.Ref
	rita := s.signIn("responder")
	version := func() string { return itoa(s.incidentOf("admin", ref).Version) }
	last := func() incident.Entry { es := s.entries(ref); return es[len(es)-1] }

	t.Run("QuickUpdate", func(t *testing.T) {
		v := s.incidentOf("admin", ref).Version
		r := rita.send(path, url.Values{"form": {"quick"}, "version": {itoa(v)}, "severity": {"SEV3"}, "phase": {"containment"}, "status": {"open"}})
		if r.status != http.StatusSeeOther || r.location != path+"?done=updated#top" {
			t.Fatalf("quick update: %d -> %q (%s)", r.status, r.location, errorMessage(r.body))
		}
		i := s.incidentOf("admin", ref)
		if i.Severity != "SEV3" || i.Phase != "containment" || i.Status != "open" || i.Version != v+1 {
			t.Errorf("after the quick update: %s %s %s v%d", i.Severity, i.Phase, i.Status, i.Version)
		}
		if e := last(); e.Kind != incident.KindUpdated || !strings.Contains(e.Text, "severity SEV1 → SEV3") || !strings.Contains(e.Text, "phase Eradication → Containment") {
			t.Errorf("timeline: %s %q", e.Kind, e.Text)
		}
	})

	t.Run("ErrStaleVersion", func(t *testing.T) {
		before := s.state()
		r := rita.send(path, url.Values{"form": {"quick"}, "version": {"1"}, "severity": {"SEV4"}, "phase": {"recovery"}, "status": {"closed"}})
		if r.status != http.StatusPreconditionFailed {
			t.Fatalf("stale quick update: %d, want 412", r.status)
		}
		checkPage(t, "warroom", r)
		m := regexp.MustCompile(`(?s)<form method="post" action="` + path + `" class="quick".*?</form>`).FindString(r.body)
		mustContain(t, m, `<p class="form-error" role="alert">incident `+ref+` is at version`, "someone else changed it")
		if d := cmp.Diff(before, s.state()); d != "" {
			t.Errorf("a stale update changed the state:\n%s", d)
		}
	})

	t.Run("Summary", func(t *testing.T) {
		r := rita.send(path, url.Values{"form": {"summary"}, "version": {version()}, "title": {"LockBit 3.0 on finance"}, "summary": {"Two servers.\nNo exfiltration seen."},
			"tags": {"lockbit, finance, gdpr"}, "tlp": {"red"}, "restricted_set": {"1"}, "restricted": {"1"}})
		if r.status != http.StatusSeeOther {
			t.Fatalf("summary edit: %d (%s)", r.status, errorMessage(r.body))
		}
		i := s.incidentOf("admin", ref)
		got := []any{i.Title, i.Summary, i.Tags, i.TLP, i.Restricted}
		want := []any{"LockBit 3.0 on finance", "Two servers.\nNo exfiltration seen.", []string{"finance", "gdpr", "lockbit"}, incident.TLP("red"), true}
		if d := cmp.Diff(want, got); d != "" {
			t.Errorf("after the summary edit (-want +got):\n%s", d)
		}
		// Unticking the box (the browser then sends no "restricted") lifts it.
		r = rita.send(path, url.Values{"form": {"summary"}, "version": {version()}, "title": {i.Title}, "summary": {i.Summary}, "tags": {"lockbit"}, "tlp": {"red"}, "restricted_set": {"1"}})
		if i := s.incidentOf("admin", ref); r.status != http.StatusSeeOther || i.Restricted {
			t.Errorf("unticking restricted: %d, restricted=%v", r.status, i.Restricted)
		}
	})

	t.Run("ErrSummaryInvalid", func(t *testing.T) {
		r := rita.send(path, url.Values{"form": {"summary"}, "version": {version()}, "title": {" "}, "summary": {"kept summary"}, "tags": {"kept"}, "tlp": {"red"}, "restricted_set": {"1"}})
		if r.status != http.StatusBadRequest {
			t.Fatalf("empty title: %d, want 400", r.status)
		}
		mustContain(t, r.body, `<details class="edit" open>`, `<span class="field-error">must be 1 to 200 characters</span>`, `>kept summary</textarea>`, `id="edit-tags" name="tags" value="kept"`)
	})

	t.Run("AddNote", func(t *testing.T) {
		r := rita.send(path+"/notes", url.Values{"text": {"  Plain note  "}, "kind": {"note"}})
		if r.status != http.StatusSeeOther || r.location != path+"?done=note#timeline" {
			t.Fatalf("note: %d -> %q (%s)", r.status, r.location, errorMessage(r.body))
		}
		if e := last(); e.Kind != "note" || e.Text != "Plain note" || e.ActorName != "Rita Responder" || e.RecordedAt.Sub(e.EventTime).Abs() > time.Second {
			t.Errorf("last entry: %+v", e)
		}
	})

	t.Run("AddNoteBackdated", func(t *testing.T) {
		day := time.Now().UTC().AddDate(0, 0, -3).Format("2006-01-02")
		r := rita.send(path+"/notes", url.Values{"text": {"Cobalt Strike beacon started on FS01"}, "kind": {"attacker_activity"},
			"event_time": {day + "T03:10"}, "event_time_tz": {"120"}})
		if r.status != http.StatusSeeOther {
			t.Fatalf("backdated note: %d (%s)", r.status, errorMessage(r.body))
		}
		want, _ := time.Parse("2006-01-02T15:04", day+"T01:10")
		e := last()
		if e.Kind != "attacker_activity" || !e.EventTime.Equal(want) {
			t.Errorf("last entry: %s at %s, want attacker_activity at %s", e.Kind, e.EventTime, want)
		}
		_, body := rita.get(path)
		entry := regexp.MustCompile(`(?s)<li class="entry kind-attacker_activity[^"]*" id="entry-` + itoa(e.Seq) + `">.*?</li>`).FindString(body)
		mustContain(t, entry, "(backdated)", `datetime="`+want.Format(time.RFC3339)+`"`)
	})

	t.Run("AddCorrection", func(t *testing.T) {
		target := s.entries(ref)[5]
		r := rita.send(path+"/notes", url.Values{"text": {"That was FS03"}, "corrects": {target.ID}})
		if r.status != http.StatusSeeOther {
			t.Fatalf("correction: %d (%s)", r.status, errorMessage(r.body))
		}
		e := last()
		if e.Kind != "correction" || e.CorrectsID != target.ID {
			t.Errorf("last entry: %s correcting %q, want a correction of %s", e.Kind, e.CorrectsID, target.ID)
		}
		_, body := rita.get(path)
		mustContain(t, body, `<p class="corrects">Corrects <a href="#entry-`+itoa(target.Seq)+`">#`+itoa(target.Seq)+`</a>`,
			`Corrected by <a href="#entry-`+itoa(e.Seq)+`">#`+itoa(e.Seq)+`</a>`)
		if got := s.entries(ref)[5]; got.Text != target.Text || got.Hash != target.Hash {
			t.Errorf("the corrected entry changed")
		}
	})

	t.Run("ErrNote", func(t *testing.T) {
		for _, c := range []struct {
			name  string
			form  url.Values
			field string
		}{
			{"BadTime", url.Values{"text": {"kept text"}, "event_time": {"last tuesday"}}, "is not a date and time like 2026-11-26 14:05"},
			{"Future", url.Values{"text": {"kept text"}, "event_time": {localInput(time.Now().Add(24 * time.Hour))}}, "is in the future"},
			{"Empty", url.Values{"text": {"   "}}, "must be 1 to 20000 bytes"},
			{"SystemKind", url.Values{"text": {"kept text"}, "kind": {"incident_declared"}}, `"incident_declared" is not allowed`},
		} {
			t.Run(c.name, func(t *testing.T) {
				before := s.state()
				r := rita.send(path+"/notes", c.form)
				if r.status != http.StatusBadRequest {
					t.Fatalf("status %d, want 400", r.status)
				}
				form := regexp.MustCompile(`(?s)<form method="post" action="` + path + `/notes" class="note-form stack" id="note-form">.*?</form>`).FindString(r.body)
				mustContain(t, form, ">"+c.form.Get("text")+"</textarea>")
				if errs := fieldErrors(form); len(errs) != 1 || !strings.Contains(errs[0], c.field) {
					t.Errorf("field errors in the note form %q, want one with %q", errs, c.field)
				}
				if d := cmp.Diff(before, s.state()); d != "" {
					t.Errorf("a rejected note changed the state:\n%s", d)
				}
			})
		}
	})

	t.Run("CloseWithNote", func(t *testing.T) {
		r := rita.send(path+"/close", url.Values{"version": {version()}, "note": {"Eradicated; post-incident review on Monday."}})
		if r.status != http.StatusSeeOther || r.location != path+"?done=closed#top" {
			t.Fatalf("close: %d -> %q (%s)", r.status, r.location, errorMessage(r.body))
		}
		i := s.incidentOf("admin", ref)
		if i.Status != incident.Closed || i.Milestones["closed"].At.IsZero() {
			t.Errorf("after closing: status %s, closed milestone %v", i.Status, i.Milestones["closed"])
		}
		es := s.entries(ref)
		note, change := es[len(es)-2], es[len(es)-1]
		if note.Kind != "note" || note.Text != "Eradicated; post-incident review on Monday." || change.Kind != incident.KindUpdated || !strings.Contains(change.Text, "status Open → Closed") {
			t.Errorf("the last two entries: %s %q, %s %q; want the note, then the status change", note.Kind, note.Text, change.Kind, change.Text)
		}
		_, body := rita.get(path)
		mustNotContain(t, body, "Close the incident")
		mustContain(t, body, "Was open for")
	})

	t.Run("ErrCloseStale", func(t *testing.T) {
		stale := s.incidentOf("admin", f.restricted.Ref).Version
		summary := "someone else's change"
		if _, err := s.inc.Update(s.ctx("admin"), f.restricted.Ref, incident.Patch{Summary: &summary}, 0); err != nil {
			t.Fatal(err)
		}
		r := rita.send("/incidents/"+f.restricted.Ref+"/close", url.Values{"version": {itoa(stale)}, "note": {"not written"}})
		if r.status != http.StatusPreconditionFailed {
			t.Fatalf("stale close: %d, want 412", r.status)
		}
		if i := s.incidentOf("admin", f.restricted.Ref); i.Status != incident.Open {
			t.Errorf("the stale close closed it")
		}
		for _, e := range s.entries(f.restricted.Ref) {
			if e.Text == "not written" {
				t.Errorf("the stale close wrote its note")
			}
		}
	})
}
