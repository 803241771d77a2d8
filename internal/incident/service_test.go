package incident_test

import (
	"context"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/warroom/warroom/internal/db"
	"github.com/warroom/warroom/internal/db/dbtest"
	"github.com/warroom/warroom/internal/errs"
	"github.com/warroom/warroom/internal/incident"
)

func ptr[T any](v T) *T { return &v }

func wantCode(t *testing.T, err error, code errs.Code) {
	t.Helper()
	if got := errs.CodeOf(err); got != code {
		t.Fatalf("got error %v (code %q), want code %q", err, got, code)
	}
}

func TestDeclare(t *testing.T) {
	dbtest.ForEachDialect(t, func(t *testing.T, d *db.DB) {
		w := newWorld(t, d)
		t.Run("OK", func(t *testing.T) {
			detected := w.clock.Now().Add(-2 * time.Hour)
			i := MustDeclare(t, w.incidents, w.responder, incident.DeclareInput{Title: " Encrypted shares ", Tags: []string{"LockBit", "lockbit", "finance"}, DetectedAt: &detected})
			if i.Ref != "IR-2026-0001" || i.Title != "Encrypted shares" || i.Status != incident.Open || i.Phase != "detection_analysis" || i.TLP != "amber" {
				t.Fatalf("unexpected incident %+v", i)
			}
			if diff := cmp.Diff([]string{"finance", "lockbit"}, i.Tags); diff != "" {
				t.Fatalf("tags (-want +got):\n%s", diff)
			}
			if !i.Milestones["detected"].At.Equal(detected) || !i.Milestones["declared"].At.Equal(w.clock.Now()) {
				t.Fatalf("milestones %+v", i.Milestones)
			}
			if len(i.Flags) != 0 {
				t.Fatalf("declarer should be commander; flags %+v", i.Flags)
			}
			r, err := w.incidents.Roster(w.responder, i.Ref)
			if err != nil || len(r.Current) != 1 || r.Current[0].Role != "incident_commander" || r.Current[0].UserEmail != "rita@acme.test" {
				t.Fatalf("roster %+v, %v", r, err)
			}
			j := MustDeclare(t, w.incidents, w.responder, incident.DeclareInput{})
			if j.Ref != "IR-2026-0002" {
				t.Fatalf("second ref %s", j.Ref)
			}
			// References count per organisation.
			k := MustDeclare(t, w.incidents, w.outsider, incident.DeclareInput{})
			if k.Ref != "IR-2026-0001" {
				t.Fatalf("other organisation's first ref %s", k.Ref)
			}
		})
		t.Run("ErrInvalid", func(t *testing.T) {
			future := w.clock.Now().Add(time.Hour)
			_, err := w.incidents.Declare(w.responder, incident.DeclareInput{Title: "", Type: "alien", Severity: "SEV0", Phase: "panic", TLP: "purple", DetectedAt: &future, Tags: []string{"Bad Tag!"}})
			wantCode(t, err, errs.Invalid)
			fields := map[string]bool{}
			for _, f := range errs.FieldsOf(err) {
				fields[f.Field] = true
			}
			for _, f := range []string{"title", "type", "severity", "phase", "tlp", "detected_at", "tags"} {
				if !fields[f] {
					t.Errorf("no error for field %s in %v", f, err)
				}
			}
		})
		t.Run("ErrDuplicateRef", func(t *testing.T) {
			MustDeclare(t, w.incidents, w.responder, incident.DeclareInput{Ref: "IR-2025-0042"})
			_, err := w.incidents.Declare(w.responder, incident.DeclareInput{Title: "x", Type: "other", Severity: "SEV4", Ref: "ir-2025-0042"})
			wantCode(t, err, errs.Conflict)
		})
		t.Run("ErrForbiddenViewer", func(t *testing.T) {
			_, err := w.incidents.Declare(w.viewer, incident.DeclareInput{Title: "x", Type: "other", Severity: "SEV4"})
			wantCode(t, err, errs.Forbidden)
		})
		t.Run("FlagNoCommander", func(t *testing.T) {
			i := MustDeclare(t, w.incidents, w.responder, incident.DeclareInput{Severity: "SEV1"})
			if err := w.incidents.Release(w.responder, i.Ref, incident.ReleaseInput{Role: "incident_commander", User: "rita@acme.test"}); err != nil {
				t.Fatal(err)
			}
			got, err := w.incidents.Get(w.admin, i.Ref)
			if err != nil {
				t.Fatal(err)
			}
			if len(got.Flags) != 1 || got.Flags[0].Code != incident.FlagNoCommander {
				t.Fatalf("flags %+v", got.Flags)
			}
			sev4, _ := w.incidents.Update(w.admin, i.Ref, incident.Patch{Severity: ptr(incident.Severity("SEV4"))}, 0)
			if len(sev4.Flags) != 0 {
				t.Fatalf("SEV4 flagged: %+v", sev4.Flags)
			}
		})
	})
}

func TestUpdate(t *testing.T) {
	dbtest.ForEachDialect(t, func(t *testing.T, d *db.DB) {
		w := newWorld(t, d)
		i := MustDeclare(t, w.incidents, w.responder, incident.DeclareInput{})
		t.Run("OK", func(t *testing.T) {
			w.clock.Advance(time.Minute)
			got, err := w.incidents.Update(w.responder, i.Ref, incident.Patch{Severity: ptr(incident.Severity("SEV1")), Phase: ptr(incident.Phase("containment"))}, i.Version)
			if err != nil {
				t.Fatal(err)
			}
			if got.Severity != "SEV1" || got.Phase != "containment" || got.Version != i.Version+1 {
				t.Fatalf("%+v", got)
			}
			tl, err := w.incidents.Timeline(w.responder, i.Ref, incident.TimelineFilter{Kinds: []string{incident.KindUpdated}})
			if err != nil || len(tl.Items) != 1 || tl.Items[0].Text != "severity SEV2 → SEV1; phase Detection & analysis → Containment" {
				t.Fatalf("timeline %+v %v", tl.Items, err)
			}
		})
		t.Run("ErrStaleVersion", func(t *testing.T) {
			_, err := w.incidents.Update(w.responder, i.Ref, incident.Patch{Title: ptr("new")}, i.Version)
			wantCode(t, err, errs.PreconditionFailed)
			got, _ := w.incidents.Get(w.responder, i.Ref)
			if got.Title == "new" {
				t.Fatal("stale write changed the incident")
			}
		})
		t.Run("ErrInvalidChangesNothing", func(t *testing.T) {
			before, _ := w.incidents.Get(w.responder, i.Ref)
			_, err := w.incidents.Update(w.responder, i.Ref, incident.Patch{Title: ptr("fine"), Severity: ptr(incident.Severity("SEV9"))}, 0)
			wantCode(t, err, errs.Invalid)
			after, _ := w.incidents.Get(w.responder, i.Ref)
			if diff := cmp.Diff(before, after, cmp.AllowUnexported(incident.Incident{})); diff != "" {
				t.Fatalf("rejected update changed the incident:\n%s", diff)
			}
		})
		t.Run("CloseAndReopen", func(t *testing.T) {
			closed, err := w.incidents.Update(w.responder, i.Ref, incident.Patch{Status: ptr(incident.Closed)}, 0)
			if err != nil || closed.Status != incident.Closed {
				t.Fatal(err)
			}
			if _, ok := closed.Milestones["closed"]; !ok {
				t.Fatal("closing did not set the closed milestone")
			}
			open, _ := w.incidents.Update(w.responder, i.Ref, incident.Patch{Status: ptr(incident.Open)}, 0)
			if _, ok := open.Milestones["closed"]; ok {
				t.Fatal("reopening kept the closed milestone")
			}
		})
		t.Run("Milestone", func(t *testing.T) {
			at := w.clock.Now().Add(-30 * time.Minute)
			got, err := w.incidents.SetMilestone(w.responder2, i.Ref, "contained", &at)
			if err != nil {
				t.Fatal(err)
			}
			m := got.Milestones["contained"]
			if !m.At.Equal(at) || m.SetByName != "Rob Responder" {
				t.Fatalf("milestone %+v", m)
			}
			_, err = w.incidents.SetMilestone(w.responder2, i.Ref, "declared", &at)
			wantCode(t, err, errs.Invalid)
			// Milestones keep their order: no eradication before containment.
			early := at.Add(-time.Minute)
			_, err = w.incidents.SetMilestone(w.responder2, i.Ref, "eradicated", &early)
			wantCode(t, err, errs.Invalid)
			if f := errs.FieldsOf(err); len(f) != 1 || f[0].Field != "at" || !strings.Contains(f[0].Message, "contained") {
				t.Fatalf("order error %v", err)
			}
			late := w.clock.Now().Add(time.Hour)
			_, err = w.incidents.SetMilestone(w.responder2, i.Ref, "first_compromise", &late)
			wantCode(t, err, errs.Invalid)
			// Moving a milestone records where it was before.
			later := at.Add(10 * time.Minute)
			if _, err := w.incidents.SetMilestone(w.responder2, i.Ref, "contained", &later); err != nil {
				t.Fatal(err)
			}
			tl, _ := w.incidents.Timeline(w.responder2, i.Ref, incident.TimelineFilter{Kinds: []string{incident.KindMilestone}, Desc: true, Limit: 1})
			var p struct{ At, Previous time.Time }
			if err := json.Unmarshal(tl.Items[0].Payload, &p); err != nil || !p.At.Equal(later) || !p.Previous.Equal(at) {
				t.Fatalf("milestone payload %s (%v)", tl.Items[0].Payload, err)
			}
		})
	})
}

func TestList(t *testing.T) {
	dbtest.ForEachDialect(t, func(t *testing.T, d *db.DB) {
		w := newWorld(t, d)
		for n := range 7 {
			sev := incident.Severities[n%4]
			MustDeclare(t, w.incidents, w.responder, incident.DeclareInput{Severity: sev, Title: "Incident " + string(rune('A'+n))})
		}
		MustDeclare(t, w.incidents, w.responder2, incident.DeclareInput{Title: "Insider", Type: "insider_threat", Restricted: true})
		t.Run("Pagination", func(t *testing.T) {
			var refs []string
			cursor := ""
			for {
				p, err := w.incidents.List(w.responder, incident.Filter{Limit: 3, Cursor: cursor})
				if err != nil {
					t.Fatal(err)
				}
				for _, i := range p.Items {
					refs = append(refs, i.Ref)
				}
				if p.NextCursor == "" {
					break
				}
				cursor = p.NextCursor
			}
			want := []string{"IR-2026-0007", "IR-2026-0006", "IR-2026-0005", "IR-2026-0004", "IR-2026-0003", "IR-2026-0002", "IR-2026-0001"}
			first, _ := w.incidents.List(w.responder, incident.Filter{Limit: 1})
			if _, ok := first.Items[0].Milestones["declared"]; !ok {
				t.Errorf("listed incidents carry no milestones: %+v", first.Items[0].Milestones)
			}
			if diff := cmp.Diff(want, refs); diff != "" {
				t.Fatalf("refs (-want +got):\n%s", diff)
			}
		})
		t.Run("SortSeverityPaged", func(t *testing.T) {
			var sevs []incident.Severity
			cursor := ""
			for {
				p, err := w.incidents.List(w.admin, incident.Filter{Sort: incident.SortSeverity, Limit: 2, Cursor: cursor})
				if err != nil {
					t.Fatal(err)
				}
				for _, i := range p.Items {
					sevs = append(sevs, i.Severity)
				}
				if cursor = p.NextCursor; cursor == "" {
					break
				}
			}
			want := []incident.Severity{"SEV1", "SEV1", "SEV2", "SEV2", "SEV2", "SEV3", "SEV3", "SEV4"}
			if diff := cmp.Diff(want, sevs); diff != "" {
				t.Fatalf("(-want +got):\n%s", diff)
			}
		})
		t.Run("Filters", func(t *testing.T) {
			p, _ := w.incidents.List(w.responder, incident.Filter{Severity: "SEV1"})
			if len(p.Items) != 2 {
				t.Fatalf("SEV1: %d", len(p.Items))
			}
			p, _ = w.incidents.List(w.responder, incident.Filter{Query: "incident c"})
			if len(p.Items) != 1 || p.Items[0].Title != "Incident C" {
				t.Fatalf("query: %+v", p.Items)
			}
			p, _ = w.incidents.List(w.responder2, incident.Filter{Mine: true})
			if len(p.Items) != 1 || p.Items[0].Title != "Insider" {
				t.Fatalf("mine: %+v", p.Items)
			}
			_, err := w.incidents.List(w.responder, incident.Filter{Sort: "random", Limit: 1000, Cursor: "!!"})
			wantCode(t, err, errs.Invalid)
		})
		t.Run("RestrictedHidden", func(t *testing.T) {
			for name, ctx := range map[string]struct {
				ctx  context.Context
				want int
			}{"responder": {w.responder, 7}, "viewer": {w.viewer, 7}, "member": {w.responder2, 8}, "admin": {w.admin, 8}, "outsider": {w.outsider, 0}} {
				p, err := w.incidents.List(ctx.ctx, incident.Filter{Limit: 100})
				if err != nil || len(p.Items) != ctx.want {
					t.Errorf("%s sees %d incidents (%v), want %d", name, len(p.Items), err, ctx.want)
				}
			}
			_, err := w.incidents.Get(w.responder, "IR-2026-0008")
			wantCode(t, err, errs.NotFound)
			_, err = w.incidents.Get(w.outsider, "IR-2026-0001")
			wantCode(t, err, errs.NotFound)
			_, err = w.incidents.AddEntry(w.responder, "IR-2026-0008", incident.EntryInput{Text: "peek"})
			wantCode(t, err, errs.NotFound)
		})
	})
}
