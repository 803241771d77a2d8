package attack_test

import (
	"context"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/warroom/warroom/internal/actor"
	"github.com/warroom/warroom/internal/attack"
	"github.com/warroom/warroom/internal/db"
	"github.com/warroom/warroom/internal/db/dbtest"
	"github.com/warroom/warroom/internal/errs"
	"github.com/warroom/warroom/internal/evidence"
	"github.com/warroom/warroom/internal/incident"
	"github.com/warroom/warroom/internal/ioc"
	"github.com/warroom/warroom/internal/org"
	"github.com/warroom/warroom/internal/record"
)

// world is Acme (admin, responder, viewer, nonmember — a responder off
// the restricted roster) and Other (outsider, an admin of another
// organisation), with public incidents A and B and a restricted incident R
// whose roster holds the responder and the viewer.
type world struct {
	t         *testing.T
	d         *db.DB
	incidents *incident.Service
	iocs      *ioc.Service
	ev        *evidence.Service
	svc       *attack.Service
	now       time.Time
	ctx       map[string]context.Context
	a, b, r   incident.Incident
}

func newWorld(t *testing.T, d *db.DB) *world {
	t.Helper()
	bg := context.Background()
	w := &world{t: t, d: d, now: time.Date(2026, 11, 26, 9, 0, 0, 0, time.UTC), ctx: map[string]context.Context{}}
	clock := func() time.Time { return w.now }
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	orgs := &org.Service{DB: d, Now: clock, Log: log}
	w.incidents = &incident.Service{DB: d, Now: clock, Log: log}
	w.iocs = &ioc.Service{DB: d, Now: clock, Log: log}
	w.ev = &evidence.Service{DB: d, Now: clock, Log: log, Blobs: &evidence.Blobs{Dir: filepath.Join(t.TempDir(), "blobs")}}
	w.svc = &attack.Service{DB: d, Now: clock, Log: log}
	acme, err := orgs.Bootstrap(bg, org.BootstrapInput{OrgName: "Acme", Email: "admin@acme.test", Name: "Ada", Password: "correct horse battery"})
	if err != nil {
		t.Fatal(err)
	}
	w.ctx["admin"] = actor.With(bg, &actor.Actor{UserID: acme.Admin.ID, OrgID: acme.Org.ID, Email: acme.Admin.Email, Name: "Ada", Role: actor.Admin})
	for name, role := range map[string]actor.Role{"responder": actor.Responder, "viewer": actor.Viewer, "nonmember": actor.Responder} {
		m, _, err := orgs.AddUser(w.ctx["admin"], org.AddUserInput{Email: name + "@acme.test", Name: name, Role: role, Password: "correct horse battery"})
		if err != nil {
			t.Fatal(err)
		}
		w.ctx[name] = actor.With(bg, &actor.Actor{UserID: m.ID, OrgID: acme.Org.ID, Email: m.Email, Name: name, Role: role})
	}
	other, err := orgs.Bootstrap(bg, org.BootstrapInput{OrgName: "Other", Email: "boss@other.test", Password: "correct horse battery"})
	if err != nil {
		t.Fatal(err)
	}
	w.ctx["outsider"] = actor.With(bg, &actor.Actor{UserID: other.Admin.ID, OrgID: other.Org.ID, Email: other.Admin.Email, Role: actor.Admin})
	w.a = w.declare("Ransomware on file servers", false)
	w.b = w.declare("Phishing wave", false)
	w.r = w.declare("Insider case", true)
	for who, role := range map[string]string{"responder": "scribe", "viewer": "investigator"} {
		if _, err := w.incidents.Assign(w.ctx["admin"], w.r.Ref, incident.AssignInput{Role: role, User: who + "@acme.test"}); err != nil {
			t.Fatal(err)
		}
	}
	return w
}

func (w *world) declare(title string, restricted bool) incident.Incident {
	w.t.Helper()
	i, err := w.incidents.Declare(w.ctx["admin"], incident.DeclareInput{Title: title, Type: "malware", Severity: "SEV2", Restricted: restricted, Plan: "none"})
	if err != nil {
		w.t.Fatal(err)
	}
	return i
}

func (w *world) importFile(name string) attack.ImportReport {
	w.t.Helper()
	f, err := os.Open(filepath.Join("testdata", name))
	if err != nil {
		w.t.Fatal(err)
	}
	defer f.Close()
	rep, err := w.svc.Import(context.Background(), f)
	if err != nil {
		w.t.Fatal(err)
	}
	return rep
}

func (w *world) record(who, ref string, in attack.Input) attack.Recorded {
	w.t.Helper()
	out, err := w.svc.Record(w.ctx[who], ref, in)
	if err != nil {
		w.t.Fatalf("record %q: %v", in.Text, err)
	}
	return out
}

func ptr[T any](v T) *T { return &v }

func fieldOf(err error) string {
	fs := errs.FieldsOf(err)
	if len(fs) == 0 {
		return ""
	}
	return fs[0].Field
}

func TestImportIdempotentAndNewer(t *testing.T) {
	dbtest.ForEachDialect(t, func(t *testing.T, d *db.DB) {
		w := newWorld(t, d)
		rep := w.importFile("enterprise-attack-v15.json")
		if rep.Version != "15.1" || rep.Techniques != 10 || rep.Added != 10 || rep.Updated != 0 || rep.Revoked != 1 || rep.Deprecated != 1 || rep.Skipped != 1 {
			t.Fatalf("first import: %+v", rep)
		}
		again := w.importFile("enterprise-attack-v15.json")
		if again.Added != 0 || again.Updated != 0 || again.Unchanged != 10 {
			t.Fatalf("re-import of the same bundle: %+v", again)
		}
		newer := w.importFile("enterprise-attack-v17.json")
		// Phishing renamed and T1486 deprecated: updated; T1567.002 added.
		if newer.Added != 1 || newer.Updated != 2 || newer.Unchanged != 8 || newer.Deprecated != 2 {
			t.Fatalf("newer bundle: %+v", newer)
		}
		older := w.importFile("enterprise-attack-v15.json")
		if older.Older != 2 || older.Updated != 0 {
			t.Fatalf("an older bundle must not undo a newer one: %+v", older)
		}
		list, err := w.svc.Techniques(w.ctx["viewer"], attack.TechniqueFilter{Query: "phish"})
		if err != nil {
			t.Fatal(err)
		}
		if len(list.Items) != 2 || list.Items[0].Name != "Phishing for Access" || list.Catalogue.Version != "15.1" || list.Catalogue.Techniques != 11 {
			t.Fatalf("after the newer import: %+v", list)
		}
		// Revoked and deprecated techniques are left out unless asked for.
		live, err := w.svc.Techniques(w.ctx["viewer"], attack.TechniqueFilter{})
		if err != nil {
			t.Fatal(err)
		}
		all, err := w.svc.Techniques(w.ctx["viewer"], attack.TechniqueFilter{All: true})
		if err != nil {
			t.Fatal(err)
		}
		if len(live.Items) != 8 || len(all.Items) != 11 {
			t.Errorf("%d live, %d in all; want 8 and 11", len(live.Items), len(all.Items))
		}
		byTactic, err := w.svc.Techniques(w.ctx["viewer"], attack.TechniqueFilter{Tactic: "TA0002"})
		if err != nil {
			t.Fatal(err)
		}
		if len(byTactic.Items) != 2 || byTactic.Items[0].ID != "T1059" || byTactic.Items[1].ID != "T1059.001" {
			t.Errorf("execution techniques: %+v", byTactic.Items)
		}
		if _, err := w.svc.Techniques(w.ctx["viewer"], attack.TechniqueFilter{Tactic: "pivot"}); fieldOf(err) != "tactic" {
			t.Errorf("unknown tactic filter: %v", err)
		}
		if _, err := w.svc.Techniques(context.Background(), attack.TechniqueFilter{}); errs.CodeOf(err) != errs.Unauthorized {
			t.Errorf("anonymous listing: %v", err)
		}
	})
}

func TestRecordValidatesAgainstCatalogue(t *testing.T) {
	dbtest.ForEachDialect(t, func(t *testing.T, d *db.DB) {
		w := newWorld(t, d)
		at := w.now.Add(-30 * time.Hour)
		// Without a catalogue only the format is checked.
		out := w.record("responder", w.a.Ref, attack.Input{Text: "Unknown technique", EventTime: &at, Technique: "T9999"})
		if out.Activity.Technique != "T9999" || out.Activity.TechniqueName != "" {
			t.Fatalf("no catalogue: %+v", out.Activity)
		}
		w.importFile("enterprise-attack-v15.json")
		for _, tc := range []struct {
			name, technique, tactic, want string
		}{
			{"ErrUnknown", "T9999", "", "not in the loaded ATT&CK catalogue (ATT&CK v15.1)"},
			{"ErrRevoked", "T1086", "", "replaced by T1059.001"},
		} {
			_, err := w.svc.Record(w.ctx["responder"], w.a.Ref, attack.Input{Text: "x", EventTime: &at, Technique: tc.technique, Tactic: tc.tactic})
			if fieldOf(err) != "technique" || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("%s: %v", tc.name, err)
			}
		}
		// A tactic the catalogue does not list for the technique is a warning.
		out = w.record("responder", w.a.Ref, attack.Input{Text: "PowerShell for persistence", EventTime: &at, Technique: "t1059.001", Tactic: "persistence"})
		if out.Activity.TechniqueName != "PowerShell" || out.Activity.Tactic != "TA0003" || len(out.Warnings) != 1 ||
			!strings.Contains(out.Warnings[0], "under execution, not persistence") {
			t.Errorf("tactic mismatch: %+v %v", out.Activity, out.Warnings)
		}
		// A deprecated technique is a warning too.
		out = w.record("responder", w.a.Ref, attack.Input{Text: "VBS dropper", EventTime: &at, Technique: "T1064", Tactic: "execution"})
		if len(out.Warnings) != 1 || !strings.Contains(out.Warnings[0], "deprecated") {
			t.Errorf("deprecated: %v", out.Warnings)
		}
		// No tactic: taken from a technique with exactly one, not guessed for several.
		out = w.record("responder", w.a.Ref, attack.Input{Text: "RDP to DC01", EventTime: &at, Technique: "T1021.001"})
		if out.Activity.Tactic != "TA0008" || len(out.Warnings) != 0 {
			t.Errorf("inferred tactic: %+v %v", out.Activity, out.Warnings)
		}
		out = w.record("responder", w.a.Ref, attack.Input{Text: "svc_backup used", EventTime: &at, Technique: "T1078"})
		if out.Activity.Tactic != "" {
			t.Errorf("T1078 has four tactics; none should be picked: %+v", out.Activity)
		}
	})
}

func TestRecordLinksStayInTheIncident(t *testing.T) {
	dbtest.ForEachDialect(t, func(t *testing.T, d *db.DB) {
		w := newWorld(t, d)
		adm := w.ctx["admin"]
		xa, _, err := w.iocs.Add(adm, w.a.Ref, ioc.Input{Type: "ipv4", Value: "203.0.113.5"})
		if err != nil {
			t.Fatal(err)
		}
		xb, _, err := w.iocs.Add(adm, w.b.Ref, ioc.Input{Type: "domain", Value: "evil.example"})
		if err != nil {
			t.Fatal(err)
		}
		ea, err := w.ev.Upload(adm, w.a.Ref, evidence.Meta{Name: "fs01-memory.raw"}, strings.NewReader("memory"))
		if err != nil {
			t.Fatal(err)
		}
		eb, err := w.ev.Upload(adm, w.b.Ref, evidence.Meta{Name: "mail.eml"}, strings.NewReader("mail"))
		if err != nil {
			t.Fatal(err)
		}
		at := w.now.Add(-time.Hour)
		before := chainLen(t, w, w.a.Ref)
		for _, tc := range []struct {
			name  string
			in    attack.Input
			field string
		}{
			{"ErrIndicatorOfOtherIncident", attack.Input{Indicators: []string{xb.ID}}, "indicators"},
			{"ErrIndicatorMissing", attack.Input{Indicators: []string{"0190f2d4-0000-7000-8000-000000000000"}}, "indicators"},
			{"ErrEvidenceOfOtherIncident", attack.Input{Evidence: []string{eb.ID}}, "evidence"},
			{"ErrEvidenceLabelMissing", attack.Input{Evidence: []string{"EV-9"}}, "evidence"},
			{"ErrCorrectsMissing", attack.Input{Corrects: "0190f2d4-0000-7000-8000-000000000000"}, "corrects"},
		} {
			t.Run(tc.name, func(t *testing.T) {
				in := tc.in
				in.Text, in.EventTime = "C2 beacon", &at
				_, err := w.svc.Record(w.ctx["responder"], w.a.Ref, in)
				if errs.CodeOf(err) != errs.Invalid || fieldOf(err) != tc.field {
					t.Fatalf("got %v, want a field error on %s", err, tc.field)
				}
			})
		}
		if n := chainLen(t, w, w.a.Ref); n != before {
			t.Fatalf("rejected input wrote %d entries", n-before)
		}
		// EV-1 and the item's ID name one item: linked once.
		out := w.record("responder", w.a.Ref, attack.Input{Text: "Beacon from FS01", EventTime: &at, Host: "FS01",
			Indicators: []string{xa.ID}, Evidence: []string{ea.Label, ea.ID, "1"}})
		if len(out.Activity.Indicators) != 1 || out.Activity.Indicators[0].Value != "203.0.113.5" ||
			len(out.Activity.Evidence) != 1 || out.Activity.Evidence[0].Label != "EV-1" {
			t.Fatalf("links: %+v", out.Activity)
		}
		// The payload is in the hash chain: verify recomputes it.
		reps, err := w.incidents.Verify(w.ctx["responder"], w.a.Ref)
		if err != nil || len(reps) != 1 || !reps[0].OK {
			t.Fatalf("verify: %+v %v", reps, err)
		}
		// Only attacker activity can be corrected through this service.
		note, err := w.incidents.AddEntry(w.ctx["responder"], w.a.Ref, incident.EntryInput{Text: "A note"})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := w.svc.Record(w.ctx["responder"], w.a.Ref, attack.Input{Text: "x", EventTime: &at, Corrects: note.ID}); fieldOf(err) != "corrects" {
			t.Errorf("correcting a note: %v", err)
		}
		// An entry of incident A cannot be corrected from incident B.
		if _, err := w.svc.Record(w.ctx["responder"], w.b.Ref, attack.Input{Text: "x", EventTime: &at, Corrects: out.Entry.ID}); fieldOf(err) != "corrects" {
			t.Errorf("correcting across incidents: %v", err)
		}
	})
}

func chainLen(t *testing.T, w *world, ref string) int64 {
	t.Helper()
	i, err := w.incidents.Get(w.ctx["admin"], ref)
	if err != nil {
		t.Fatal(err)
	}
	var n int64
	err = w.d.Read(context.Background(), func(tx *db.Tx) error {
		return tx.QueryRowContext(context.Background(), `SELECT last_seq FROM incidents WHERE id = $1`, i.ID).Scan(&n)
	})
	if err != nil {
		t.Fatal(err)
	}
	return n
}

func TestNeedToKnow(t *testing.T) {
	dbtest.ForEachDialect(t, func(t *testing.T, d *db.DB) {
		w := newWorld(t, d)
		at := w.now.Add(-time.Hour)
		in := attack.Input{Text: "Copied HR share to USB", EventTime: &at, Tactic: "exfiltration"}
		w.record("responder", w.r.Ref, in)
		for who, want := range map[string]errs.Code{"nonmember": errs.NotFound, "outsider": errs.NotFound, "viewer": errs.Forbidden} {
			if _, err := w.svc.Record(w.ctx[who], w.r.Ref, in); errs.CodeOf(err) != want {
				t.Errorf("record as %s: %v, want %s", who, err, want)
			}
		}
		for who, want := range map[string]errs.Code{"nonmember": errs.NotFound, "outsider": errs.NotFound, "viewer": "", "admin": ""} {
			st, err := w.svc.Story(w.ctx[who], w.r.Ref)
			if errs.CodeOf(err) != want {
				t.Errorf("story as %s: %v, want %q", who, err, want)
			}
			if want == "" && st.Activities != 1 {
				t.Errorf("story as %s: %d activities", who, st.Activities)
			}
			if _, err := w.svc.Choices(w.ctx[who], w.r.Ref); errs.CodeOf(err) != want {
				t.Errorf("choices as %s: %v, want %q", who, err, want)
			}
		}
		if _, err := w.svc.Story(context.Background(), w.a.Ref); errs.CodeOf(err) != errs.Unauthorized {
			t.Errorf("anonymous story: %v", err)
		}
	})
}

func TestStoryOrderGroupsAndCorrections(t *testing.T) {
	dbtest.ForEachDialect(t, func(t *testing.T, d *db.DB) {
		w := newWorld(t, d)
		w.importFile("enterprise-attack-v15.json")
		day := func(d, h int) *time.Time { return ptr(time.Date(2026, 11, d, h, 17, 42, 0, time.UTC)) }
		// Recorded out of order, as analysts find things.
		enc := w.record("responder", w.a.Ref, attack.Input{Text: "Files encrypted on FS01", EventTime: day(22, 3), Host: "FS01", Technique: "T1486", Precision: attack.Hour})
		w.record("responder", w.a.Ref, attack.Input{Text: "Macro document opened", EventTime: day(18, 9), Host: "WS17", Account: "ACME\\jdoe",
			Technique: "T1566.001", Precision: attack.Minute})
		ps := w.record("responder", w.a.Ref, attack.Input{Text: "PowerShell download cradle", EventTime: day(18, 10), Host: "WS17", Account: "ACME\\jdoe",
			Technique: "T1059.001"})
		w.record("responder", w.a.Ref, attack.Input{Text: "RDP to FS01", EventTime: day(20, 1), Host: "FS01", Account: "ACME\\svc_backup",
			Technique: "T1021.001", Precision: attack.Day})
		w.record("responder", w.a.Ref, attack.Input{Text: "Second stage on WS17", EventTime: day(18, 11), Host: "WS17", Tactic: "execution"})
		// A plain attacker-activity note from the war room: unclassified.
		if _, err := w.incidents.AddEntry(w.ctx["responder"], w.a.Ref, incident.EntryInput{Text: "Odd logins seen", Kind: "attacker_activity", EventTime: day(19, 0)}); err != nil {
			t.Fatal(err)
		}
		// The encryption time was wrong: corrected with full fields…
		fixed := w.record("responder", w.a.Ref, attack.Input{Text: "Files encrypted on FS01 and FS02", EventTime: day(21, 23), Host: "FS02",
			Technique: "T1486", Precision: attack.Minute, Corrects: enc.Entry.ID})
		// …and a plain timeline correction notes something on the PowerShell entry.
		if _, err := w.incidents.AddEntry(w.ctx["responder"], w.a.Ref, incident.EntryInput{Text: "The cradle fetched from 203.0.113.5", Corrects: ps.Entry.ID}); err != nil {
			t.Fatal(err)
		}
		// A story of another incident is not mixed in.
		w.record("responder", w.b.Ref, attack.Input{Text: "Other incident", EventTime: day(1, 0), Tactic: "impact"})

		st, err := w.svc.Story(w.ctx["viewer"], w.a.Ref)
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, g := range st.Groups {
			var texts []string
			for _, it := range g.Items {
				texts = append(texts, it.Text)
			}
			got = append(got, g.Tactic.ShortName+": "+strings.Join(texts, " | "))
		}
		want := []string{
			"initial-access: Macro document opened",
			"execution: PowerShell download cradle | Second stage on WS17",
			"lateral-movement: RDP to FS01",
			"impact: Files encrypted on FS01 and FS02",
			": Odd logins seen",
		}
		if strings.Join(got, "\n") != strings.Join(want, "\n") {
			t.Fatalf("groups:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
		}
		if st.Activities != 6 || st.First.Text != "2026-11-18 09:17Z" || st.Last.Text != "2026-11-21 23:17Z" {
			t.Errorf("activities %d, first %+v, last %+v", st.Activities, st.First, st.Last)
		}
		impact := st.Groups[3].Items[0]
		if impact.EntryID != fixed.Entry.ID || len(impact.Supersedes) != 1 || impact.Supersedes[0].Text != "Files encrypted on FS01" ||
			impact.Supersedes[0].When.Text != "2026-11-22 03hZ" {
			t.Errorf("correction: %+v", impact)
		}
		psItem := st.Groups[1].Items[0]
		if len(psItem.Notes) != 1 || !strings.Contains(psItem.Notes[0].Text, "203.0.113.5") {
			t.Errorf("note on the PowerShell entry: %+v", psItem.Notes)
		}
		if lm := st.Groups[2].Items[0]; lm.When.Text != "2026-11-20" || !lm.When.At.Equal(time.Date(2026, 11, 20, 0, 0, 0, 0, time.UTC)) {
			t.Errorf("day precision: %+v", lm.When)
		}
		var hosts []string
		for _, h := range st.Hosts {
			hosts = append(hosts, h.Name)
		}
		if strings.Join(hosts, ",") != "WS17,FS01,FS02" || st.Hosts[0].Count != 3 {
			t.Errorf("hosts reached: %+v", st.Hosts)
		}
		if len(st.Accounts) != 2 || st.Accounts[0].Name != `ACME\jdoe` || len(st.Techniques) != 4 || st.Techniques[0].Label != "Spearphishing Attachment" {
			t.Errorf("accounts %+v, techniques %+v", st.Accounts, st.Techniques)
		}
		// The record keeps both versions of the corrected entry.
		page, err := w.incidents.Timeline(w.ctx["viewer"], w.a.Ref, incident.TimelineFilter{Kinds: []string{attack.KindActivity}, Limit: 100})
		if err != nil {
			t.Fatal(err)
		}
		if len(page.Items) != 7 {
			t.Errorf("%d attacker-activity entries in the record, want 7", len(page.Items))
		}
		for _, e := range page.Items {
			if e.ID == fixed.Entry.ID && (e.CorrectsID != enc.Entry.ID || !strings.Contains(string(e.Payload), `"precision":"minute"`)) {
				t.Errorf("stored correction: %+v", e.Entry)
			}
		}
		// A newer catalogue deprecates T1486: the story says so on the
		// activity recorded before, without changing the record.
		w.importFile("enterprise-attack-v17.json")
		st, err = w.svc.Story(w.ctx["viewer"], w.a.Ref)
		if err != nil {
			t.Fatal(err)
		}
		if ws := st.Groups[3].Items[0].Warnings; len(ws) != 1 || !strings.Contains(ws[0], "T1486 (Data Encrypted for Impact) is deprecated") {
			t.Errorf("impact warnings: %q", ws)
		}
		if ws := st.Groups[0].Items[0].Warnings; len(ws) != 0 {
			t.Errorf("initial-access warnings: %q", ws)
		}
		_ = record.KindCorrection
	})
}
