package incident_test

import (
	"context"
	"fmt"
	"os"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/warroom/warroom/internal/actor"
	"github.com/warroom/warroom/internal/db"
	"github.com/warroom/warroom/internal/db/dbtest"
	"github.com/warroom/warroom/internal/incident"
	"github.com/warroom/warroom/internal/record"
)

// Benchmarks for the figures in docs/benchmarks.md; bench/run.sh runs them.
// PostgreSQL runs when WARROOM_TEST_POSTGRES_URL is set.

func benchEngines(b *testing.B) map[string]func(b *testing.B) *db.DB {
	out := map[string]func(b *testing.B) *db.DB{"sqlite": func(b *testing.B) *db.DB { return dbtest.OpenSQLite(b) }}
	if os.Getenv(dbtest.PostgresEnv) != "" {
		out["postgres"] = func(b *testing.B) *db.DB { return dbtest.OpenPostgres(b) }
	}
	return out
}

// BenchmarkTimelineAppend measures adding a note through the service: one
// transaction that locks the incident, extends the hash chain and commits
// durably.
func BenchmarkTimelineAppend(b *testing.B) {
	for name, open := range benchEngines(b) {
		b.Run(name+"/single", func(b *testing.B) {
			w := benchWorld(b, open(b))
			i := MustDeclare(b, w.incidents, w.responder, incident.DeclareInput{})
			b.ResetTimer()
			for n := 0; b.Loop(); n++ {
				if _, err := w.incidents.AddEntry(w.responder, i.Ref, incident.EntryInput{Text: "Observed beaconing from 10.0.4.17 to 203.0.113.9:443 every 60s"}); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "entries/s")
		})
		b.Run(name+"/concurrent", func(b *testing.B) {
			w := benchWorld(b, open(b))
			var refs []string
			for range 8 {
				refs = append(refs, MustDeclare(b, w.incidents, w.responder, incident.DeclareInput{}).Ref)
			}
			var next atomic.Int64
			b.SetParallelism(4) // 4 writers per CPU
			b.ResetTimer()
			b.RunParallel(func(pb *testing.PB) {
				ref := refs[next.Add(1)%int64(len(refs))]
				for pb.Next() {
					if _, err := w.incidents.AddEntry(w.responder, ref, incident.EntryInput{Text: "Observed beaconing from 10.0.4.17 to 203.0.113.9:443 every 60s"}); err != nil {
						b.Fatal(err)
					}
				}
			})
			b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "entries/s")
		})
	}
}

// BenchmarkBareInsert is the floor: one INSERT per transaction of a row the
// size of a timeline entry, with the same durability settings, no chain
// and no service. docs/benchmarks.md reports TimelineAppend against it.
func BenchmarkBareInsert(b *testing.B) {
	for name, open := range benchEngines(b) {
		b.Run(name, func(b *testing.B) {
			d := open(b)
			ctx := context.Background()
			if _, err := d.SQL().Exec(`CREATE TABLE bare (id TEXT PRIMARY KEY, n BIGINT NOT NULL, body TEXT NOT NULL)`); err != nil {
				b.Fatal(err)
			}
			body := strings.Repeat("x", 600)
			b.ResetTimer()
			for n := 0; b.Loop(); n++ {
				err := d.Write(ctx, func(tx *db.Tx) error {
					_, err := tx.ExecContext(ctx, `INSERT INTO bare (id, n, body) VALUES ($1, $2, $3)`, db.NewID(), n, body)
					return err
				})
				if err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "rows/s")
		})
	}
}

// BenchmarkListIncidents measures reads on a large organisation: 100,000
// incidents with 10 timeline entries each (1,000,000 entries) unless
// -short or WARROOM_BENCH_INCIDENTS says otherwise.
func BenchmarkListIncidents(b *testing.B) {
	count := 100_000
	if testing.Short() {
		count = 1000
	}
	if v, err := strconv.Atoi(os.Getenv("WARROOM_BENCH_INCIDENTS")); err == nil && v > 0 {
		count = v
	}
	const perIncident = 10
	for name, open := range benchEngines(b) {
		d := open(b)
		w := benchWorld(b, d)
		start := time.Now()
		seed(b, d, actor.From(w.responder), count, perIncident)
		b.Logf("%s: seeded %d incidents and %d entries in %s", name, count, count*perIncident, time.Since(start).Round(time.Second))
		middle := fmt.Sprintf("IR-2025-%06d", count/2)
		b.Run(name+"/first-page", func(b *testing.B) {
			for b.Loop() {
				p, err := w.incidents.List(w.responder, incident.Filter{})
				if err != nil || len(p.Items) != 50 {
					b.Fatal(len(p.Items), err)
				}
			}
		})
		b.Run(name+"/filter-severity-open", func(b *testing.B) {
			for b.Loop() {
				if _, err := w.incidents.List(w.responder, incident.Filter{Severity: "SEV1", Status: incident.Open}); err != nil {
					b.Fatal(err)
				}
			}
		})
		b.Run(name+"/sort-severity-page-3", func(b *testing.B) {
			for b.Loop() {
				cursor := ""
				for range 3 {
					p, err := w.incidents.List(w.responder, incident.Filter{Sort: incident.SortSeverity, Cursor: cursor})
					if err != nil {
						b.Fatal(err)
					}
					cursor = p.NextCursor
				}
			}
		})
		b.Run(name+"/search-title", func(b *testing.B) {
			for b.Loop() {
				if _, err := w.incidents.List(w.responder, incident.Filter{Query: "beacon 4242"}); err != nil {
					b.Fatal(err)
				}
			}
		})
		b.Run(name+"/get-incident", func(b *testing.B) {
			for b.Loop() {
				if _, err := w.incidents.Get(w.responder, middle); err != nil {
					b.Fatal(err)
				}
			}
		})
		b.Run(name+"/timeline-page", func(b *testing.B) {
			for b.Loop() {
				if _, err := w.incidents.Timeline(w.responder, middle, incident.TimelineFilter{Desc: true}); err != nil {
					b.Fatal(err)
				}
			}
		})
		b.Run(name+"/verify-incident", func(b *testing.B) {
			for b.Loop() {
				rs, err := w.incidents.Verify(w.responder, middle)
				if err != nil || !rs[0].OK {
					b.Fatal(rs, err)
				}
			}
		})
	}
}

func benchWorld(b *testing.B, d *db.DB) *world {
	b.Helper()
	w := newWorld(b, d)
	w.clock = nil
	w.incidents.Now, w.orgs.Now = time.Now, time.Now
	return w
}

// seed bulk-loads incidents with valid hash chains straight into the
// tables, many rows per statement: going through the service would take
// hours for a million durable transactions.
func seed(b *testing.B, d *db.DB, a *actor.Actor, count, perIncident int) {
	b.Helper()
	ctx := context.Background()
	sevs := []string{"SEV1", "SEV2", "SEV3", "SEV4"}
	base := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	var orgSeq int64
	const batch = 200 // incidents per transaction
	for first := 1; first <= count; first += batch {
		var incRows, entryRows [][]any
		for n := first; n < first+batch && n <= count; n++ {
			id := db.NewID()
			at := base.Add(time.Duration(n) * time.Minute)
			prev := ""
			for s := 1; s <= perIncident; s++ {
				orgSeq++
				e := record.Entry{ID: db.NewID(), IncidentID: id, Seq: int64(s), Kind: "note", EventTime: at, RecordedAt: at,
					ActorID: a.UserID, ActorName: a.Name, Text: fmt.Sprintf("Entry %d of incident %d", s, n), Payload: []byte("{}"), PrevHash: prev}
				e.Hash = record.ComputeHash(e)
				prev = e.Hash
				entryRows = append(entryRows, []any{e.ID, a.OrgID, id, e.Seq, orgSeq, e.Kind, at, at, e.ActorID, e.ActorName, e.Text, "{}", nil, e.PrevHash, e.Hash})
			}
			status := "closed"
			if n%10 == 0 {
				status = "open"
			}
			incRows = append(incRows, []any{id, a.OrgID, fmt.Sprintf("IR-2025-%06d", n), fmt.Sprintf("Suspicious beacon %d on host-%d", n, n%977),
				"", "malware", sevs[n%4], "containment", status, "amber", false, "[]", a.UserID, at, at, 1, perIncident, prev})
		}
		err := d.Write(ctx, func(tx *db.Tx) error {
			if err := insertMany(ctx, tx, `INSERT INTO incidents (id, org_id, ref, title, summary, type, severity, phase, status, tlp, restricted,
				tags, created_by, created_at, updated_at, version, last_seq, head_hash) VALUES `, incRows); err != nil {
				return err
			}
			return insertMany(ctx, tx, `INSERT INTO timeline_entries (id, org_id, incident_id, seq, org_seq, kind, event_time, recorded_at,
				actor_id, actor_name, text, payload, corrects_id, prev_hash, hash) VALUES `, entryRows)
		})
		if err != nil {
			b.Fatal(err)
		}
	}
	if _, err := d.SQL().Exec(`UPDATE organizations SET timeline_seq = timeline_seq + $1 WHERE id = $2`, orgSeq, a.OrgID); err != nil {
		b.Fatal(err)
	}
	if _, err := d.SQL().Exec(`ANALYZE`); err != nil {
		b.Fatal(err)
	}
}

func insertMany(ctx context.Context, tx *db.Tx, prefix string, rows [][]any) error {
	const perStatement = 500
	for start := 0; start < len(rows); start += perStatement {
		chunk := rows[start:min(start+perStatement, len(rows))]
		var q strings.Builder
		q.WriteString(prefix)
		var args []any
		for i, r := range chunk {
			if i > 0 {
				q.WriteString(", ")
			}
			q.WriteString("(")
			for j, v := range r {
				if j > 0 {
					q.WriteString(", ")
				}
				args = append(args, v)
				fmt.Fprintf(&q, "$%d", len(args))
			}
			q.WriteString(")")
		}
		if _, err := tx.ExecContext(ctx, q.String(), args...); err != nil {
			return err
		}
	}
	return nil
}
