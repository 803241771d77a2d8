package incident_test

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/warroom/warroom/internal/actor"
	"github.com/warroom/warroom/internal/db"
	"github.com/warroom/warroom/internal/db/dbtest"
	"github.com/warroom/warroom/internal/errs"
	"github.com/warroom/warroom/internal/incident"
	"github.com/warroom/warroom/internal/record"
)

func TestAddEntry(t *testing.T) {
	dbtest.ForEachDialect(t, func(t *testing.T, d *db.DB) {
		w := newWorld(t, d)
		i := MustDeclare(t, w.incidents, w.responder, incident.DeclareInput{})
		w.clock.Advance(time.Minute)
		t.Run("OKNote", func(t *testing.T) {
			prev := entriesOf(t, w, w.responder, i.Ref)
			got, err := w.incidents.AddEntry(w.responder, i.Ref, incident.EntryInput{Text: "  Isolated FS01 from the network \n"})
			if err != nil {
				t.Fatal(err)
			}
			want := record.Entry{ID: got.ID, IncidentID: i.ID, OrgID: actor.From(w.admin).OrgID, Seq: 3, OrgSeq: got.OrgSeq, Kind: "note",
				EventTime: w.clock.Now(), RecordedAt: w.clock.Now(), ActorID: userID(w.responder), ActorName: "Rita Responder",
				Text: "Isolated FS01 from the network", Payload: got.Payload, PrevHash: prev[len(prev)-1].Hash, Hash: got.Hash}
			if diff := cmp.Diff(incident.Entry{Entry: want, IncidentRef: i.Ref}, got); diff != "" {
				t.Fatalf("entry (-want +got):\n%s", diff)
			}
			if got.Hash != record.ComputeHash(got.Entry) || string(got.Payload) != "{}" {
				t.Fatalf("hash %s payload %s", got.Hash, got.Payload)
			}
			stored := entriesOf(t, w, w.viewer, i.Ref)
			if diff := cmp.Diff(got, stored[len(stored)-1]); diff != "" {
				t.Fatalf("stored entry differs (-returned +read):\n%s", diff)
			}
		})
		t.Run("OKBackdated", func(t *testing.T) {
			at := time.Date(2026, 11, 26, 0, 59, 58, 123456000, time.FixedZone("CET", 3600))
			got, err := w.incidents.AddEntry(w.responder, i.Ref, incident.EntryInput{Text: "First beacon to C2", Kind: "attacker_activity", EventTime: &at})
			if err != nil {
				t.Fatal(err)
			}
			stored := entriesOf(t, w, w.viewer, i.Ref, "attacker_activity")
			if len(stored) != 1 {
				t.Fatalf("%d attacker_activity entries", len(stored))
			}
			for _, e := range []incident.Entry{got, stored[0]} {
				if !e.EventTime.Equal(at) || e.EventTime.Location() != time.UTC || e.EventTime.Nanosecond() != 123456000 {
					t.Errorf("event time %v, want %v in UTC", e.EventTime, at)
				}
				if !e.RecordedAt.Equal(w.clock.Now()) {
					t.Errorf("recorded at %v, want the clock's %v", e.RecordedAt, w.clock.Now())
				}
			}
		})
		t.Run("OKSubMicrosecondTruncated", func(t *testing.T) {
			at := w.clock.Now().Add(-time.Hour + 987654321*time.Nanosecond)
			got, err := w.incidents.AddEntry(w.responder, i.Ref, incident.EntryInput{Text: "x", EventTime: &at})
			if err != nil || !got.EventTime.Equal(at.Truncate(time.Microsecond)) {
				t.Fatalf("event time %v, %v", got.EventTime, err)
			}
		})
		t.Run("OKNearFuture", func(t *testing.T) {
			at := w.clock.Now().Add(5 * time.Minute)
			if _, err := w.incidents.AddEntry(w.responder, i.Ref, incident.EntryInput{Text: "clock skew", EventTime: &at}); err != nil {
				t.Fatalf("5 minutes ahead is within the allowed skew: %v", err)
			}
		})
		before := len(entriesOf(t, w, w.admin, i.Ref))
		future := w.clock.Now().Add(5*time.Minute + time.Second)
		for _, tc := range []struct {
			name  string
			in    incident.EntryInput
			field string
		}{
			{"ErrInvalidFuture", incident.EntryInput{Text: "x", EventTime: &future}, "event_time"},
			{"ErrInvalidKind", incident.EntryInput{Text: "x", Kind: "gossip"}, "kind"},
			{"ErrInvalidSystemKind", incident.EntryInput{Text: "x", Kind: incident.KindDeclared}, "kind"},
			{"ErrInvalidCorrectionWithoutTarget", incident.EntryInput{Text: "x", Kind: record.KindCorrection}, "kind"},
			{"ErrInvalidEmptyText", incident.EntryInput{Text: " \n\t "}, "text"},
			{"ErrInvalidLongText", incident.EntryInput{Text: strings.Repeat("a", incident.MaxEntryText+1)}, "text"},
		} {
			t.Run(tc.name, func(t *testing.T) {
				_, err := w.incidents.AddEntry(w.responder, i.Ref, tc.in)
				wantInvalid(t, err, tc.field)
			})
		}
		t.Run("ErrForbidden", func(t *testing.T) {
			_, err := w.incidents.AddEntry(w.viewer, i.Ref, incident.EntryInput{Text: "x"})
			wantCode(t, err, errs.Forbidden)
		})
		t.Run("ErrNotFound", func(t *testing.T) {
			_, err := w.incidents.AddEntry(w.outsider, i.Ref, incident.EntryInput{Text: "x"})
			wantCode(t, err, errs.NotFound)
		})
		if after := len(entriesOf(t, w, w.admin, i.Ref)); after != before {
			t.Fatalf("refused entries were written: %d entries, want %d", after, before)
		}
	})
}

func TestCorrection(t *testing.T) {
	dbtest.ForEachDialect(t, func(t *testing.T, d *db.DB) {
		w := newWorld(t, d)
		i := MustDeclare(t, w.incidents, w.responder, incident.DeclareInput{})
		other := MustDeclare(t, w.incidents, w.responder, incident.DeclareInput{Title: "Phishing wave", Type: "business_email_compromise"})
		orig, err := w.incidents.AddEntry(w.responder, i.Ref, incident.EntryInput{Text: "Attacker IP is 203.0.113.5", Kind: "attacker_activity"})
		if err != nil {
			t.Fatal(err)
		}
		t.Run("OK", func(t *testing.T) {
			w.clock.Advance(time.Minute)
			got, err := w.incidents.AddEntry(w.responder2, i.Ref, incident.EntryInput{Text: "The IP was 203.0.113.6", Corrects: orig.ID})
			if err != nil {
				t.Fatal(err)
			}
			if got.Kind != record.KindCorrection || got.CorrectsID != orig.ID || got.Seq != orig.Seq+1 || got.ActorName != "Rob Responder" {
				t.Fatalf("correction %+v", got)
			}
			es := entriesOf(t, w, w.admin, i.Ref)
			if diff := cmp.Diff(orig, es[orig.Seq-1]); diff != "" {
				t.Fatalf("the corrected entry changed (-before +after):\n%s", diff)
			}
			if diff := cmp.Diff(got, es[len(es)-1]); diff != "" {
				t.Fatalf("stored correction (-returned +read):\n%s", diff)
			}
		})
		t.Run("ErrInvalidOtherIncident", func(t *testing.T) {
			theirs, err := w.incidents.AddEntry(w.responder, other.Ref, incident.EntryInput{Text: "user clicked"})
			if err != nil {
				t.Fatal(err)
			}
			before := len(entriesOf(t, w, w.admin, i.Ref))
			for _, target := range []string{theirs.ID, "0190a7c4-0000-7000-8000-000000000000"} {
				_, err = w.incidents.AddEntry(w.responder, i.Ref, incident.EntryInput{Text: "wrong", Corrects: target})
				wantInvalid(t, err, "corrects")
			}
			if after := len(entriesOf(t, w, w.admin, i.Ref)); after != before {
				t.Fatalf("refused corrections were written: %d entries, want %d", after, before)
			}
		})
	})
}

func TestTimelinePages(t *testing.T) {
	dbtest.ForEachDialect(t, func(t *testing.T, d *db.DB) {
		w := newWorld(t, d)
		i := MustDeclare(t, w.incidents, w.responder, incident.DeclareInput{})
		var decisions []int64
		for n := 3; n <= 12; n++ { // seq 1 and 2: declared, commander assigned
			kind := "note"
			if n%3 == 0 {
				kind, decisions = "decision", append(decisions, int64(n))
			}
			if _, err := w.incidents.AddEntry(w.responder, i.Ref, incident.EntryInput{Text: fmt.Sprint("entry ", n), Kind: kind}); err != nil {
				t.Fatal(err)
			}
		}
		// pages walks the timeline with the cursor each page returns.
		pages := func(t *testing.T, f incident.TimelineFilter) (seqs []int64, sizes []int) {
			t.Helper()
			for range 20 {
				p, err := w.incidents.Timeline(w.viewer, i.Ref, f)
				if err != nil {
					t.Fatal(err)
				}
				sizes = append(sizes, len(p.Items))
				for _, e := range p.Items {
					seqs = append(seqs, e.Seq)
				}
				if p.NextCursor == "" {
					return seqs, sizes
				}
				c, err := strconv.ParseInt(p.NextCursor, 10, 64)
				if err != nil {
					t.Fatalf("cursor %q: %v", p.NextCursor, err)
				}
				if f.Desc {
					f.Before = c
				} else {
					f.After = c
				}
			}
			t.Fatal("the cursor never ended")
			return nil, nil
		}
		seq := func(from, to int64) []int64 {
			step, out := int64(1), []int64{}
			if from > to {
				step = -1
			}
			for n := from; n != to+step; n += step {
				out = append(out, n)
			}
			return out
		}
		for _, tc := range []struct {
			name      string
			f         incident.TimelineFilter
			wantSeqs  []int64
			wantSizes []int
		}{
			{"OKAscending", incident.TimelineFilter{Limit: 5}, seq(1, 12), []int{5, 5, 2}},
			{"OKExactPages", incident.TimelineFilter{Limit: 4}, seq(1, 12), []int{4, 4, 4}},
			{"OKDesc", incident.TimelineFilter{Limit: 5, Desc: true}, seq(12, 1), []int{5, 5, 2}},
			{"OKAfter", incident.TimelineFilter{After: 9}, seq(10, 12), []int{3}},
			{"OKKinds", incident.TimelineFilter{Kinds: []string{"decision"}, Limit: 2}, decisions, []int{2, 2}},
			{"OKSystemKinds", incident.TimelineFilter{Kinds: []string{incident.KindDeclared, incident.KindRoleAssigned}}, seq(1, 2), []int{2}},
		} {
			t.Run(tc.name, func(t *testing.T) {
				seqs, sizes := pages(t, tc.f)
				if diff := cmp.Diff(tc.wantSeqs, seqs); diff != "" {
					t.Errorf("seqs (-want +got):\n%s", diff)
				}
				if diff := cmp.Diff(tc.wantSizes, sizes); diff != "" {
					t.Errorf("page sizes (-want +got):\n%s", diff)
				}
			})
		}
		t.Run("ErrInvalidLimit", func(t *testing.T) {
			_, err := w.incidents.Timeline(w.viewer, i.Ref, incident.TimelineFilter{Limit: 501})
			wantInvalid(t, err, "limit")
		})
	})
}

func TestVerifyAfterChanges(t *testing.T) {
	dbtest.ForEachDialect(t, func(t *testing.T, d *db.DB) {
		w := newWorld(t, d)
		i := MustDeclare(t, w.incidents, w.responder, incident.DeclareInput{})
		hidden := MustDeclare(t, w.incidents, w.admin, incident.DeclareInput{Restricted: true})
		step := func(err error) {
			t.Helper()
			if err != nil {
				t.Fatal(err)
			}
			w.clock.Advance(7*time.Second + 123456*time.Nanosecond)
		}
		at := w.clock.Now().Add(-3 * time.Hour)
		_, err := w.incidents.Update(w.responder, i.Ref, incident.Patch{Severity: ptr(incident.Severity("SEV1")), Tags: &[]string{"lockbit"}}, 0)
		step(err)
		_, err = w.incidents.SetMilestone(w.responder, i.Ref, "first_compromise", &at)
		step(err)
		_, err = w.incidents.Assign(w.responder, i.Ref, incident.AssignInput{Role: "scribe", User: "rob@acme.test"})
		step(err)
		_, err = w.incidents.Handover(w.responder, i.Ref, incident.HandoverInput{Role: "incident_commander", To: "admin@acme.test", Note: "escalated"})
		step(err)
		step(w.incidents.Release(w.admin, i.Ref, incident.ReleaseInput{Role: "scribe", User: "rob@acme.test"}))
		_, err = w.incidents.CreateTask(w.responder, i.Ref, incident.TaskInput{Title: "Contain", DueAt: &at})
		step(err)
		_, err = w.incidents.UpdateTask(w.responder, i.Ref, 1, incident.TaskPatch{Status: ptr(incident.TaskStatus("done"))}, 0)
		step(err)
		note, err := w.incidents.AddEntry(w.responder, i.Ref, incident.EntryInput{Text: "ünïcode \"quotes\" <tags> & emoji 🔥", EventTime: &at})
		step(err)
		_, err = w.incidents.AddEntry(w.responder, i.Ref, incident.EntryInput{Text: "fixed", Corrects: note.ID})
		step(err)
		_, err = w.incidents.Update(w.responder, i.Ref, incident.Patch{Status: ptr(incident.Closed)}, 0)
		step(err)
		_, err = w.incidents.AddEntry(w.admin, hidden.Ref, incident.EntryInput{Text: "secret"})
		step(err)
		t.Run("OK", func(t *testing.T) {
			reports, err := w.incidents.Verify(w.viewer, i.Ref)
			if err != nil {
				t.Fatal(err)
			}
			n := int64(len(entriesOf(t, w, w.admin, i.Ref)))
			want := []record.Report{{IncidentID: i.ID, Ref: i.Ref, Entries: n, OK: true}}
			if diff := cmp.Diff(want, reports); diff != "" || n < 12 {
				t.Fatalf("reports for %d entries (-want +got):\n%s", n, diff)
			}
		})
		t.Run("OKAllVisible", func(t *testing.T) {
			for _, tc := range []struct {
				name string
				ctx  context.Context
				want []string
			}{{"admin", w.admin, []string{i.Ref, hidden.Ref}}, {"responder", w.responder, []string{i.Ref}}} {
				reports, err := w.incidents.Verify(tc.ctx, "")
				if err != nil {
					t.Fatal(err)
				}
				var refs []string
				for _, r := range reports {
					if !r.OK || r.Problem != nil {
						t.Errorf("%s: %+v", r.Ref, r)
					}
					refs = append(refs, r.Ref)
				}
				if diff := cmp.Diff(tc.want, refs); diff != "" {
					t.Errorf("%s verified (-want +got):\n%s", tc.name, diff)
				}
			}
			all, err := w.incidents.VerifyAll(t.Context())
			if err != nil || len(all) != 2 {
				t.Fatalf("verify all: %d reports, %v", len(all), err)
			}
		})
		t.Run("ErrNotFound", func(t *testing.T) {
			_, err := w.incidents.Verify(w.responder, hidden.Ref)
			wantCode(t, err, errs.NotFound)
			_, err = w.incidents.Verify(w.outsider, i.Ref)
			wantCode(t, err, errs.NotFound)
		})
	})
}
