package api_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/warroom/warroom/client"
	"github.com/warroom/warroom/internal/db"
	"github.com/warroom/warroom/internal/db/dbtest"
	"github.com/warroom/warroom/internal/incident"
)

// collect reads events from a stream in the background.
func collect(t *testing.T, c *client.Client, path, lastID string) (<-chan client.Event, context.CancelFunc) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	ch := make(chan client.Event, 1000)
	go func() {
		defer close(ch)
		_ = c.Stream(ctx, path, lastID, func(ev client.Event) error { ch <- ev; return nil })
	}()
	return ch, cancel
}

func next(t *testing.T, ch <-chan client.Event) client.Event {
	t.Helper()
	select {
	case ev, ok := <-ch:
		if !ok {
			t.Fatal("stream ended")
		}
		return ev
	case <-time.After(5 * time.Second):
		t.Fatal("no event within 5 seconds")
	}
	return client.Event{}
}

func TestIncidentEvents(t *testing.T) {
	dbtest.ForEachDialect(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		i := MustDeclare(t, e, "responder", incident.DeclareInput{Title: "DDoS on checkout"})
		c := e.client("viewer")
		path := "/api/v1/incidents/" + i.Ref + "/events"
		ch, cancel := collect(t, c, path, "")
		time.Sleep(200 * time.Millisecond) // let the stream start after the existing entries
		for n := range 3 {
			if _, err := e.inc.AddEntry(e.ctx("responder"), i.Ref, incident.EntryInput{Text: fmt.Sprint("note ", n)}); err != nil {
				t.Fatal(err)
			}
		}
		var seen []int64
		for range 3 {
			ev := next(t, ch)
			if ev.Type != "entry" || ev.Entry.IncidentRef != i.Ref {
				t.Fatalf("event %+v", ev)
			}
			seen = append(seen, ev.Entry.Seq)
		}
		cancel()
		want := []int64{i.LastSeq + 1, i.LastSeq + 2, i.LastSeq + 3}
		if fmt.Sprint(seen) != fmt.Sprint(want) {
			t.Fatalf("seqs %v, want %v", seen, want)
		}
		// Entries written while disconnected arrive on reconnect, after
		// the last one seen, with no gap and no duplicate.
		for n := range 2 {
			if _, err := e.inc.AddEntry(e.ctx("responder"), i.Ref, incident.EntryInput{Text: fmt.Sprint("offline ", n)}); err != nil {
				t.Fatal(err)
			}
		}
		ch, cancel = collect(t, c, path, fmt.Sprint(seen[1]))
		defer cancel()
		var resumed []int64
		for range 3 {
			resumed = append(resumed, next(t, ch).Entry.Seq)
		}
		if fmt.Sprint(resumed) != fmt.Sprint([]int64{want[2], want[2] + 1, want[2] + 2}) {
			t.Fatalf("resumed %v after %d", resumed, seen[1])
		}
		select {
		case ev := <-ch:
			t.Fatalf("unexpected extra event %+v", ev)
		case <-time.After(300 * time.Millisecond):
		}
	})
}

// TestOrgEventsHideRestricted checks the organisation stream never shows
// a restricted incident to someone off its roster, and that a member who
// is taken off the roster of a restricted incident gets "gone".
func TestOrgEventsHideRestricted(t *testing.T) {
	dbtest.ForEachDialect(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		open := MustDeclare(t, e, "admin", incident.DeclareInput{Title: "Open one"})
		secret := MustDeclare(t, e, "admin", incident.DeclareInput{Title: "Secret one", Restricted: true})
		if _, err := e.inc.Assign(e.ctx("admin"), secret.Ref, incident.AssignInput{Role: "scribe", User: "responder@acme.test"}); err != nil {
			t.Fatal(err)
		}
		orgCh, cancelOrg := collect(t, e.client("nonmember"), "/api/v1/events", "0")
		defer cancelOrg()
		incCh, cancelInc := collect(t, e.client("responder"), "/api/v1/incidents/"+secret.Ref+"/events", "")
		defer cancelInc()
		time.Sleep(200 * time.Millisecond)
		if _, err := e.inc.AddEntry(e.ctx("admin"), secret.Ref, incident.EntryInput{Text: "secret note"}); err != nil {
			t.Fatal(err)
		}
		if _, err := e.inc.AddEntry(e.ctx("admin"), open.Ref, incident.EntryInput{Text: "open note"}); err != nil {
			t.Fatal(err)
		}
		if ev := next(t, incCh); ev.Entry.Text != "secret note" {
			t.Fatalf("member got %+v", ev)
		}
		// The nonmember's stream replays from 0: only the open incident.
		for {
			ev := next(t, orgCh)
			if ev.Entry.IncidentRef != open.Ref {
				t.Fatalf("nonmember saw %s: %+v", ev.Entry.IncidentRef, ev)
			}
			if ev.Entry.Text == "open note" {
				break
			}
		}
		if err := e.inc.Release(e.ctx("admin"), secret.Ref, incident.ReleaseInput{Role: "scribe", User: "responder@acme.test"}); err != nil {
			t.Fatal(err)
		}
		for {
			ev := next(t, incCh)
			if ev.Type == "gone" {
				break
			}
			if ev.Entry.Kind != incident.KindRoleReleased {
				t.Fatalf("after release got %+v", ev)
			}
		}
	})
}
