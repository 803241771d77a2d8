package incident_test

import (
	"context"
	"encoding/json"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/warroom/warroom/internal/db"
	"github.com/warroom/warroom/internal/db/dbtest"
	"github.com/warroom/warroom/internal/errs"
	"github.com/warroom/warroom/internal/incident"
)

// holders returns "role=email" for every assignment, in roster order.
func holders(as []incident.Assignment) []string {
	out := []string{}
	for _, a := range as {
		out = append(out, a.Role+"="+a.UserEmail)
	}
	return out
}

func mustRoster(t *testing.T, w *world, ref string) incident.Roster {
	t.Helper()
	r, err := w.incidents.Roster(w.admin, ref)
	if err != nil {
		t.Fatalf("roster of %s: %v", ref, err)
	}
	return r
}

func TestAssign(t *testing.T) {
	dbtest.ForEachDialect(t, func(t *testing.T, d *db.DB) {
		w := newWorld(t, d)
		i := MustDeclare(t, w.incidents, w.responder, incident.DeclareInput{})
		t.Run("OK", func(t *testing.T) {
			w.clock.Advance(time.Minute)
			got, err := w.incidents.Assign(w.responder, i.Ref, incident.AssignInput{Role: "investigator", User: "ROB@acme.test", Note: "on call"})
			if err != nil {
				t.Fatal(err)
			}
			want := incident.Assignment{ID: got.ID, Role: "investigator", RoleName: "Investigator", UserID: userID(w.responder2), UserName: "Rob Responder",
				UserEmail: "rob@acme.test", AssignedBy: userID(w.responder), AssignedAt: w.clock.Now(), Note: "on call"}
			if diff := cmp.Diff(want, got); diff != "" || got.ID == "" {
				t.Fatalf("assignment (-want +got):\n%s", diff)
			}
			r, err := w.incidents.Roster(w.viewer, i.Ref)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff([]incident.Assignment{want}, r.Current[1:]); diff != "" {
				t.Fatalf("roster (-want +got):\n%s", diff)
			}
			es := entriesOf(t, w, w.viewer, i.Ref, incident.KindRoleAssigned)
			if len(es) != 2 || es[1].Text != "Rob Responder assigned as Investigator" {
				t.Fatalf("role_assigned entries %+v", es)
			}
		})
		t.Run("OKSecondPersonSameRole", func(t *testing.T) {
			if _, err := w.incidents.Assign(w.responder2, i.Ref, incident.AssignInput{Role: "investigator", User: "rita@acme.test"}); err != nil {
				t.Fatal(err)
			}
			want := []string{"incident_commander=rita@acme.test", "investigator=rob@acme.test", "investigator=rita@acme.test"}
			if diff := cmp.Diff(want, holders(mustRoster(t, w, i.Ref).Current)); diff != "" {
				t.Fatalf("(-want +got):\n%s", diff)
			}
		})
		t.Run("ErrConflict", func(t *testing.T) {
			_, err := w.incidents.Assign(w.responder, i.Ref, incident.AssignInput{Role: "investigator", User: userID(w.responder2)})
			wantCode(t, err, errs.Conflict)
			if n := len(mustRoster(t, w, i.Ref).Current); n != 3 {
				t.Fatalf("%d current assignments after a conflict, want 3", n)
			}
		})
		t.Run("ErrInvalidRole", func(t *testing.T) {
			_, err := w.incidents.Assign(w.responder, i.Ref, incident.AssignInput{Role: "wizard", User: "rob@acme.test"})
			wantInvalid(t, err, "role")
		})
		t.Run("ErrInvalidUser", func(t *testing.T) {
			for _, user := range []string{"nobody@acme.test", "boss@other.test", ""} {
				_, err := w.incidents.Assign(w.responder, i.Ref, incident.AssignInput{Role: "scribe", User: user})
				wantInvalid(t, err, "user")
			}
		})
		t.Run("ErrForbidden", func(t *testing.T) {
			_, err := w.incidents.Assign(w.viewer, i.Ref, incident.AssignInput{Role: "scribe", User: "vic@acme.test"})
			wantCode(t, err, errs.Forbidden)
		})
		t.Run("ErrNotFound", func(t *testing.T) {
			hidden := MustDeclare(t, w.incidents, w.responder2, incident.DeclareInput{Restricted: true})
			_, err := w.incidents.Assign(w.responder, hidden.Ref, incident.AssignInput{Role: "scribe", User: "rita@acme.test"})
			wantCode(t, err, errs.NotFound)
			_, err = w.incidents.Assign(w.outsider, i.Ref, incident.AssignInput{Role: "scribe", User: "boss@other.test"})
			wantCode(t, err, errs.NotFound)
			if diff := cmp.Diff([]string{"incident_commander=rob@acme.test"}, holders(mustRoster(t, w, hidden.Ref).Current)); diff != "" {
				t.Fatalf("(-want +got):\n%s", diff)
			}
		})
	})
}

func TestRelease(t *testing.T) {
	dbtest.ForEachDialect(t, func(t *testing.T, d *db.DB) {
		w := newWorld(t, d)
		i := MustDeclare(t, w.incidents, w.responder, incident.DeclareInput{})
		as, err := w.incidents.Assign(w.responder, i.Ref, incident.AssignInput{Role: "scribe", User: "rob@acme.test", Note: "notes"})
		if err != nil {
			t.Fatal(err)
		}
		t.Run("OKHistoryKept", func(t *testing.T) {
			w.clock.Advance(10 * time.Minute)
			if err := w.incidents.Release(w.responder, i.Ref, incident.ReleaseInput{Role: "scribe", User: "rob@acme.test", Note: "shift over"}); err != nil {
				t.Fatal(err)
			}
			r := mustRoster(t, w, i.Ref)
			if diff := cmp.Diff([]string{"incident_commander=rita@acme.test"}, holders(r.Current)); diff != "" {
				t.Fatalf("current (-want +got):\n%s", diff)
			}
			want := as
			want.RoleName, want.ReleasedBy, want.ReleasedAt = "Scribe", userID(w.responder), ptr(w.clock.Now())
			if diff := cmp.Diff([]incident.Assignment{want}, r.History); diff != "" {
				t.Fatalf("history (-want +got):\n%s", diff)
			}
			es := entriesOf(t, w, w.admin, i.Ref, incident.KindRoleReleased)
			if len(es) != 1 || es[0].Text != "Rob Responder released from Scribe" || !es[0].RecordedAt.Equal(w.clock.Now()) {
				t.Fatalf("role_released entries %+v", es)
			}
			var payload map[string]string
			if err := json.Unmarshal(es[0].Payload, &payload); err != nil || payload["note"] != "shift over" || payload["user_email"] != "rob@acme.test" {
				t.Fatalf("payload %s, %v", es[0].Payload, err)
			}
		})
		t.Run("ErrInvalidNotHolding", func(t *testing.T) {
			err := w.incidents.Release(w.responder, i.Ref, incident.ReleaseInput{Role: "scribe", User: "rob@acme.test"})
			wantInvalid(t, err, "user")
		})
		t.Run("ErrForbidden", func(t *testing.T) {
			err := w.incidents.Release(w.viewer, i.Ref, incident.ReleaseInput{Role: "incident_commander", User: "rita@acme.test"})
			wantCode(t, err, errs.Forbidden)
			if n := len(mustRoster(t, w, i.Ref).Current); n != 1 {
				t.Fatalf("%d current assignments, want 1", n)
			}
		})
	})
}

func TestHandover(t *testing.T) {
	dbtest.ForEachDialect(t, func(t *testing.T, d *db.DB) {
		w := newWorld(t, d)
		i := MustDeclare(t, w.incidents, w.responder, incident.DeclareInput{})
		t.Run("OKImplicitFrom", func(t *testing.T) {
			w.clock.Advance(time.Hour)
			got, err := w.incidents.Handover(w.responder, i.Ref, incident.HandoverInput{Role: "incident_commander", To: "rob@acme.test", Note: "end of shift"})
			if err != nil {
				t.Fatal(err)
			}
			if got.UserEmail != "rob@acme.test" || got.RoleName != "Incident commander" || got.AssignedBy != userID(w.responder) || !got.AssignedAt.Equal(w.clock.Now()) || got.Note != "end of shift" {
				t.Fatalf("assignment %+v", got)
			}
			r := mustRoster(t, w, i.Ref)
			if diff := cmp.Diff([]string{"incident_commander=rob@acme.test"}, holders(r.Current)); diff != "" {
				t.Fatalf("current (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff([]string{"incident_commander=rita@acme.test"}, holders(r.History)); diff != "" {
				t.Fatalf("history (-want +got):\n%s", diff)
			}
			if rel := r.History[0].ReleasedAt; rel == nil || !rel.Equal(w.clock.Now()) || r.History[0].ReleasedBy != userID(w.responder) {
				t.Fatalf("released %v by %q", rel, r.History[0].ReleasedBy)
			}
			if len(r.Flags) != 0 {
				t.Fatalf("the role was never empty, yet flags %+v", r.Flags)
			}
			es := entriesOf(t, w, w.admin, i.Ref, incident.KindHandover)
			if len(es) != 1 || es[0].Text != "Rita Responder handed Incident commander over to Rob Responder" {
				t.Fatalf("hand-over entries %+v", es)
			}
			var payload map[string]string
			_ = json.Unmarshal(es[0].Payload, &payload)
			if payload["from_email"] != "rita@acme.test" || payload["to_email"] != "rob@acme.test" || payload["note"] != "end of shift" {
				t.Fatalf("payload %s", es[0].Payload)
			}
		})
		for _, u := range []string{"rita@acme.test", "admin@acme.test"} {
			if _, err := w.incidents.Assign(w.responder, i.Ref, incident.AssignInput{Role: "investigator", User: u}); err != nil {
				t.Fatal(err)
			}
		}
		t.Run("ErrInvalidAmbiguous", func(t *testing.T) {
			_, err := w.incidents.Handover(w.responder, i.Ref, incident.HandoverInput{Role: "investigator", To: "rob@acme.test"})
			wantInvalid(t, err, "from")
			want := []string{"incident_commander=rob@acme.test", "investigator=rita@acme.test", "investigator=admin@acme.test"}
			if diff := cmp.Diff(want, holders(mustRoster(t, w, i.Ref).Current)); diff != "" {
				t.Fatalf("a refused hand-over changed the roster (-want +got):\n%s", diff)
			}
		})
		t.Run("OKExplicitFrom", func(t *testing.T) {
			if _, err := w.incidents.Handover(w.responder, i.Ref, incident.HandoverInput{Role: "investigator", From: "admin@acme.test", To: "rob@acme.test"}); err != nil {
				t.Fatal(err)
			}
			want := []string{"incident_commander=rob@acme.test", "investigator=rita@acme.test", "investigator=rob@acme.test"}
			if diff := cmp.Diff(want, holders(mustRoster(t, w, i.Ref).Current)); diff != "" {
				t.Fatalf("(-want +got):\n%s", diff)
			}
		})
		t.Run("ErrInvalidToIsFrom", func(t *testing.T) {
			_, err := w.incidents.Handover(w.responder, i.Ref, incident.HandoverInput{Role: "incident_commander", To: "rob@acme.test"})
			wantInvalid(t, err, "to")
			_, err = w.incidents.Handover(w.responder, i.Ref, incident.HandoverInput{Role: "investigator", From: "rita@acme.test", To: userID(w.responder)})
			wantInvalid(t, err, "to")
		})
		t.Run("ErrInvalidNobodyHolds", func(t *testing.T) {
			_, err := w.incidents.Handover(w.responder, i.Ref, incident.HandoverInput{Role: "scribe", To: "rob@acme.test"})
			wantInvalid(t, err, "role")
		})
		t.Run("ErrInvalidUnknownTo", func(t *testing.T) {
			_, err := w.incidents.Handover(w.responder, i.Ref, incident.HandoverInput{Role: "incident_commander", To: "boss@other.test"})
			wantInvalid(t, err, "to")
		})
		t.Run("ErrForbidden", func(t *testing.T) {
			_, err := w.incidents.Handover(w.viewer, i.Ref, incident.HandoverInput{Role: "incident_commander", To: "vic@acme.test"})
			wantCode(t, err, errs.Forbidden)
		})
		t.Run("ErrInvalidFromNotHolding", func(t *testing.T) {
			_, err := w.incidents.Handover(w.responder, i.Ref, incident.HandoverInput{Role: "investigator", From: "vic@acme.test", To: "admin@acme.test"})
			wantInvalid(t, err, "from")
		})
		t.Run("ErrConflictToAlreadyHolds", func(t *testing.T) {
			_, err := w.incidents.Handover(w.responder, i.Ref, incident.HandoverInput{Role: "investigator", From: "rita@acme.test", To: "rob@acme.test"})
			wantCode(t, err, errs.Conflict)
			want := []string{"incident_commander=rob@acme.test", "investigator=rita@acme.test", "investigator=rob@acme.test"}
			if diff := cmp.Diff(want, holders(mustRoster(t, w, i.Ref).Current)); diff != "" {
				t.Fatalf("(-want +got):\n%s", diff)
			}
		})
	})
}

// TestRosterGrantsVisibility: on a restricted incident, holding a role is
// what lets a non-admin see it, and releasing the role takes that away.
func TestRosterGrantsVisibility(t *testing.T) {
	dbtest.ForEachDialect(t, func(t *testing.T, d *db.DB) {
		w := newWorld(t, d)
		i := MustDeclare(t, w.incidents, w.admin, incident.DeclareInput{Title: "Payroll insider", Type: "insider_threat", Restricted: true})
		visible := func(t *testing.T) error {
			t.Helper()
			_, err := w.incidents.Get(w.responder, i.Ref)
			if _, rerr := w.incidents.Roster(w.responder, i.Ref); errs.CodeOf(rerr) != errs.CodeOf(err) {
				t.Fatalf("Get says %v but Roster says %v", err, rerr)
			}
			return err
		}
		t.Run("ErrNotFoundBeforeAssigned", func(t *testing.T) {
			wantCode(t, visible(t), errs.NotFound)
		})
		t.Run("OKWhileAssigned", func(t *testing.T) {
			if _, err := w.incidents.Assign(w.admin, i.Ref, incident.AssignInput{Role: "investigator", User: "rita@acme.test"}); err != nil {
				t.Fatal(err)
			}
			if err := visible(t); err != nil {
				t.Fatal(err)
			}
			if _, err := w.incidents.AddEntry(w.responder, i.Ref, incident.EntryInput{Text: "pulled badge logs"}); err != nil {
				t.Fatal(err)
			}
			p, err := w.incidents.List(w.responder, incident.Filter{Mine: true})
			if err != nil || len(p.Items) != 1 || p.Items[0].Ref != i.Ref {
				t.Fatalf("mine: %+v, %v", p.Items, err)
			}
		})
		t.Run("ErrNotFoundAfterRelease", func(t *testing.T) {
			if err := w.incidents.Release(w.admin, i.Ref, incident.ReleaseInput{Role: "investigator", User: "rita@acme.test"}); err != nil {
				t.Fatal(err)
			}
			wantCode(t, visible(t), errs.NotFound)
			_, err := w.incidents.AddEntry(w.responder, i.Ref, incident.EntryInput{Text: "one more"})
			wantCode(t, err, errs.NotFound)
			p, err := w.incidents.List(w.responder, incident.Filter{Limit: 100})
			if err != nil || len(p.Items) != 0 {
				t.Fatalf("list after release: %+v, %v", p.Items, err)
			}
		})
		t.Run("ErrForbiddenViewerOnRoster", func(t *testing.T) {
			if _, err := w.incidents.Assign(w.admin, i.Ref, incident.AssignInput{Role: "scribe", User: "vic@acme.test"}); err != nil {
				t.Fatal(err)
			}
			if _, err := w.incidents.Get(w.viewer, i.Ref); err != nil {
				t.Fatalf("viewer on the roster cannot see the incident: %v", err)
			}
			_, err := w.incidents.AddEntry(w.viewer, i.Ref, incident.EntryInput{Text: "hello"})
			wantCode(t, err, errs.Forbidden)
		})
	})
}

// TestAssignConcurrent: two people assigning the same person to the same
// role at the same moment must not both succeed.
func TestAssignConcurrent(t *testing.T) {
	dbtest.ForEachDialect(t, func(t *testing.T, d *db.DB) {
		w := newWorld(t, d)
		i := MustDeclare(t, w.incidents, w.responder, incident.DeclareInput{})
		for round := range 10 {
			var wg sync.WaitGroup
			for _, ctx := range []context.Context{w.responder, w.admin} {
				wg.Go(func() {
					_, _ = w.incidents.Assign(ctx, i.Ref, incident.AssignInput{Role: "scribe", User: "rob@acme.test"})
				})
			}
			wg.Wait()
			if got := holders(mustRoster(t, w, i.Ref).Current); len(got) != 2 {
				t.Fatalf("round %d: roster %v, want the commander and one scribe", round, got)
			}
			if err := w.incidents.Release(w.admin, i.Ref, incident.ReleaseInput{Role: "scribe", User: "rob@acme.test"}); err != nil {
				t.Fatal(err)
			}
		}
	})
}
