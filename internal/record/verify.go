package record

import (
	"context"
	"fmt"

	"github.com/warroom/warroom/internal/db"
)

// Problem names the first entry of a chain that does not verify.
type Problem struct {
	Seq     int64  `json:"seq"`
	EntryID string `json:"entry_id,omitempty"`
	Reason  string `json:"reason"`
}

// Report is the result of verifying one incident's chain.
type Report struct {
	IncidentID string   `json:"incident_id"`
	Ref        string   `json:"ref"`
	Entries    int64    `json:"entries"`
	OK         bool     `json:"ok"`
	Problem    *Problem `json:"problem,omitempty"`
}

// Verify recomputes the chain of one incident and reports the first entry
// that was altered, removed or moved. It reads in pages so a long chain
// does not have to fit in memory.
func Verify(ctx context.Context, tx *db.Tx, incidentID string) (Report, error) {
	r := Report{IncidentID: incidentID}
	var lastSeq int64
	var head string
	if err := tx.QueryRowContext(ctx, `SELECT ref, last_seq, head_hash FROM incidents WHERE id = $1`, incidentID).
		Scan(&r.Ref, &lastSeq, &head); err != nil {
		return r, fmt.Errorf("load chain head of %s: %w", incidentID, err)
	}
	prev := ""
	var want int64 = 1
	const page = 1000
	for {
		es, err := List(ctx, tx, Filter{IncidentID: incidentID, AfterSeq: want - 1, Limit: page})
		if err != nil {
			return r, err
		}
		for _, e := range es {
			if p := check(e, want, prev); p != nil {
				r.Problem = p
				return r, nil
			}
			prev = e.Hash
			want++
			r.Entries++
		}
		if len(es) < page {
			break
		}
	}
	switch {
	case r.Entries != lastSeq:
		r.Problem = &Problem{Seq: r.Entries + 1, Reason: fmt.Sprintf("the chain head says %d entries but %d were found: entry %d onwards is missing", lastSeq, r.Entries, r.Entries+1)}
	case prev != head:
		r.Problem = &Problem{Seq: r.Entries, Reason: "the last entry's hash does not match the chain head"}
	default:
		r.OK = true
	}
	return r, nil
}

func check(e Entry, want int64, prev string) *Problem {
	if e.Seq != want {
		return &Problem{Seq: want, Reason: fmt.Sprintf("entry %d is missing (next found is %d)", want, e.Seq)}
	}
	if e.PrevHash != prev {
		return &Problem{Seq: e.Seq, EntryID: e.ID, Reason: "its previous-hash does not match the entry before it (removed, inserted or reordered entries)"}
	}
	if ComputeHash(e) != e.Hash {
		return &Problem{Seq: e.Seq, EntryID: e.ID, Reason: "its contents do not match its hash (the entry was altered)"}
	}
	return nil
}
