package record_test

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/warroom/warroom/internal/actor"
	"github.com/warroom/warroom/internal/db"
	"github.com/warroom/warroom/internal/db/dbtest"
	"github.com/warroom/warroom/internal/incident"
	"github.com/warroom/warroom/internal/org"
	"github.com/warroom/warroom/internal/record"
)

// chain is an incident with ten timeline entries written through the
// services, as in production: seq 1 declares it, seq 2 assigns the
// commander, seq 3 to 10 are notes.
type chain struct {
	d       *db.DB
	inc     incident.Incident
	entries map[int64]record.Entry // by seq
}

func newChain(t *testing.T, d *db.DB) *chain {
	t.Helper()
	ctx := context.Background()
	now := time.Date(2026, 11, 26, 9, 0, 0, 0, time.UTC)
	clock := func() time.Time { return now }
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	orgs := &org.Service{DB: d, Now: clock, Log: log}
	boot, err := orgs.Bootstrap(ctx, org.BootstrapInput{OrgName: "Acme Corp", Email: "admin@acme.test", Name: "Ada Admin", Password: "correct horse battery"})
	if err != nil {
		t.Fatal(err)
	}
	admin := actor.With(ctx, &actor.Actor{UserID: boot.Admin.ID, OrgID: boot.Org.ID, Email: boot.Admin.Email, Name: boot.Admin.Name, Role: actor.Admin})
	svc := &incident.Service{DB: d, Now: clock, Log: log}
	inc, err := svc.Declare(admin, incident.DeclareInput{Title: "Beaconing from HR laptop", Type: "malware", Severity: "SEV3"})
	if err != nil {
		t.Fatal(err)
	}
	for n := 3; n <= 10; n++ {
		now = now.Add(time.Minute + 1234*time.Microsecond)
		at := now.Add(-time.Hour)
		if _, err := svc.AddEntry(admin, inc.Ref, incident.EntryInput{Text: fmt.Sprintf("note %d", n), EventTime: &at}); err != nil {
			t.Fatal(err)
		}
	}
	c := &chain{d: d, inc: inc, entries: map[int64]record.Entry{}}
	err = d.Read(ctx, func(tx *db.Tx) error {
		es, err := record.List(ctx, tx, record.Filter{IncidentID: inc.ID})
		for _, e := range es {
			c.entries[e.Seq] = e
		}
		return err
	})
	if err != nil || len(c.entries) != 10 {
		t.Fatalf("chain has %d entries, want 10 (%v)", len(c.entries), err)
	}
	return c
}

// exec changes the stored record behind the services' back, as someone
// with database access would.
func (c *chain) exec(t *testing.T, q string, args ...any) {
	t.Helper()
	res, err := c.d.SQL().Exec(q, args...)
	if err != nil {
		t.Fatalf("%s: %v", q, err)
	}
	if n, _ := res.RowsAffected(); n != 1 {
		t.Fatalf("%s changed %d rows, want 1", q, n)
	}
}

// set changes one column of the entry with seq.
func (c *chain) set(t *testing.T, seq int64, column string, value any) {
	t.Helper()
	c.exec(t, `UPDATE timeline_entries SET `+column+` = $1 WHERE incident_id = $2 AND seq = $3`, value, c.inc.ID, seq)
}

func (c *chain) verify(t *testing.T) record.Report {
	t.Helper()
	ctx := context.Background()
	var r record.Report
	err := c.d.Read(ctx, func(tx *db.Tx) (err error) { r, err = record.Verify(ctx, tx, c.inc.ID); return err })
	if err != nil {
		t.Fatal(err)
	}
	return r
}

func TestVerifyDetectsTampering(t *testing.T) {
	for _, tc := range []struct {
		name    string
		tamper  func(t *testing.T, c *chain)
		entries int64  // entries that verified before the problem
		seq     int64  // where the problem is reported; 0: none
		entryID int64  // seq (before tampering) of the entry named; 0: none
		reason  string // part of the reason
		bug     string // set when Verify misses this tampering today
	}{
		{name: "OKUntampered", tamper: func(t *testing.T, c *chain) {}, entries: 10},
		{"ChangedTextByte", func(t *testing.T, c *chain) {
			b := []byte(c.entries[5].Text)
			b[0] ^= 0x01
			c.set(t, 5, "text", string(b))
		}, 4, 5, 5, "altered", ""},
		{"ChangedPayload", func(t *testing.T, c *chain) {
			c.set(t, 1, "payload", strings.Replace(string(c.entries[1].Payload), "SEV3", "SEV4", 1))
		}, 0, 1, 1, "altered", ""},
		{"ChangedActorName", func(t *testing.T, c *chain) { c.set(t, 7, "actor_name", "Mallory") }, 6, 7, 7, "altered", ""},
		{"ChangedActorID", func(t *testing.T, c *chain) { c.set(t, 7, "actor_id", c.entries[7].ActorID+"x") }, 6, 7, 7, "altered", ""},
		{"ChangedEventTimeByMicrosecond", func(t *testing.T, c *chain) {
			c.set(t, 8, "event_time", c.entries[8].EventTime.Add(time.Microsecond))
		}, 7, 8, 8, "altered", ""},
		{"ChangedRecordedAt", func(t *testing.T, c *chain) {
			c.set(t, 8, "recorded_at", c.entries[8].RecordedAt.Add(-time.Hour))
		}, 7, 8, 8, "altered", ""},
		{"ChangedKind", func(t *testing.T, c *chain) { c.set(t, 9, "kind", "decision") }, 8, 9, 9, "altered", ""},
		{"AddedCorrectsID", func(t *testing.T, c *chain) { c.set(t, 9, "corrects_id", c.entries[3].ID) }, 8, 9, 9, "altered", ""},
		{"ChangedPrevHash", func(t *testing.T, c *chain) { c.set(t, 6, "prev_hash", c.entries[4].Hash) }, 5, 6, 6, "previous-hash", ""},
		{"DeletedMiddle", func(t *testing.T, c *chain) {
			c.exec(t, `DELETE FROM timeline_entries WHERE incident_id = $1 AND seq = 4`, c.inc.ID)
		}, 3, 4, 0, "missing", ""},
		{"SwappedEntries", func(t *testing.T, c *chain) {
			// Through a free number: (incident_id, seq) is unique.
			c.set(t, 3, "seq", -1)
			c.set(t, 6, "seq", 3)
			c.set(t, -1, "seq", 6)
		}, 2, 3, 6, "previous-hash", ""},
		{"DeletedLast", func(t *testing.T, c *chain) {
			c.exec(t, `DELETE FROM timeline_entries WHERE incident_id = $1 AND seq = 10`, c.inc.ID)
		}, 9, 10, 0, "missing", ""},
		{"DeletedLastAndRewoundCount", func(t *testing.T, c *chain) {
			c.exec(t, `DELETE FROM timeline_entries WHERE incident_id = $1 AND seq = 10`, c.inc.ID)
			c.exec(t, `UPDATE incidents SET last_seq = 9 WHERE id = $1`, c.inc.ID)
		}, 9, 9, 0, "chain head", ""},
		{"ChangedHead", func(t *testing.T, c *chain) {
			c.exec(t, `UPDATE incidents SET head_hash = $1 WHERE id = $2`, c.entries[9].Hash, c.inc.ID)
		}, 10, 10, 0, "chain head", ""},
		{"SwappedIDs", func(t *testing.T, c *chain) {
			// A correction's corrects_id would now point at the other entry.
			c.set(t, 5, "id", "tmp")
			c.set(t, 6, "id", c.entries[5].ID)
			c.set(t, 5, "id", c.entries[6].ID)
		}, 4, 5, 6, "altered", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if tc.bug != "" {
				t.Skip(tc.bug)
			}
			dbtest.ForEachDialect(t, func(t *testing.T, d *db.DB) {
				c := newChain(t, d)
				if r := c.verify(t); !r.OK || r.Entries != 10 {
					t.Fatalf("fresh chain does not verify: %+v", r)
				}
				tc.tamper(t, c)
				want := record.Report{IncidentID: c.inc.ID, Ref: c.inc.Ref, Entries: tc.entries, OK: tc.seq == 0}
				if tc.seq != 0 {
					want.Problem = &record.Problem{Seq: tc.seq}
					if tc.entryID != 0 {
						want.Problem.EntryID = c.entries[tc.entryID].ID
					}
				}
				got := c.verify(t)
				if diff := cmp.Diff(want, got, cmpopts.IgnoreFields(record.Problem{}, "Reason")); diff != "" {
					t.Fatalf("report (-want +got):\n%s", diff)
				}
				if got.Problem != nil && !strings.Contains(got.Problem.Reason, tc.reason) {
					t.Fatalf("reason %q does not mention %q", got.Problem.Reason, tc.reason)
				}
			})
		})
	}
}
