package evidence_test

import (
	"encoding/json"
	"os"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/warroom/warroom/internal/db"
	"github.com/warroom/warroom/internal/db/dbtest"
	"github.com/warroom/warroom/internal/errs"
	"github.com/warroom/warroom/internal/evidence"
	"github.com/warroom/warroom/internal/incident"
)

func TestCustody(t *testing.T) {
	dbtest.ForEachDialect(t, func(t *testing.T, d *db.DB) {
		w := newWorld(t, d)
		e := w.MustUpload("responder", w.r.Ref, evidence.Meta{Name: "disk.E01", CollectedBy: "Sam Field"}, []byte("disk image bytes"))
		rc := w.ctx["responder"]

		t.Run("OKEveryActionInTheChain", func(t *testing.T) {
			at := w.now.Add(-30 * time.Minute)
			steps := []struct {
				in        evidence.CustodyInput
				custodian string
				status    evidence.Status
			}{
				{evidence.CustodyInput{Action: "transfer", From: "sam field", To: "Forensics lab (K. Ng)", Reason: "imaging", At: &at}, "Forensics lab (K. Ng)", evidence.Held},
				{evidence.CustodyInput{Action: "access", Reason: "hash re-check at the lab"}, "Forensics lab (K. Ng)", evidence.Held},
				{evidence.CustodyInput{Action: "export", To: "Met Police cyber unit", Reason: "criminal referral"}, "Forensics lab (K. Ng)", evidence.Held},
				{evidence.CustodyInput{Action: "return", To: "HR (owner of the laptop)"}, "HR (owner of the laptop)", evidence.Returned},
			}
			for _, s := range steps {
				ev, err := w.ev.Custody(rc, w.r.Ref, "EV-1", s.in)
				if err != nil {
					t.Fatalf("%s: %v", s.in.Action, err)
				}
				if ev.SHA256 != e.SHA256 || ev.Hash == "" {
					t.Errorf("%s event lacks the hashes: %+v", s.in.Action, ev)
				}
				got, _ := w.ev.Get(rc, w.r.Ref, "EV-1")
				if got.Custodian != s.custodian || got.Status != s.status {
					t.Errorf("after %s: custodian %q status %s", s.in.Action, got.Custodian, got.Status)
				}
			}
			h, err := w.ev.History(w.ctx["viewer"], w.r.Ref, "EV-1")
			if err != nil {
				t.Fatal(err)
			}
			var actions []string
			for _, ev := range h {
				actions = append(actions, ev.Action)
			}
			if want := []string{"collected", "transferred", "accessed", "exported", "returned"}; !slices.Equal(actions, want) {
				t.Errorf("history %v, want %v", actions, want)
			}
			if h[1].From != "Sam Field" || h[1].To != "Forensics lab (K. Ng)" || !h[1].At.Equal(at) {
				t.Errorf("transfer event: %+v", h[1])
			}
			// Each custody entry is in the incident's hash chain and carries the hashes.
			reports, err := w.incidents.Verify(w.ctx["admin"], w.r.Ref)
			if err != nil || len(reports) != 1 || !reports[0].OK {
				t.Fatalf("chain: %+v %v", reports, err)
			}
			p, err := w.incidents.Timeline(w.ctx["admin"], w.r.Ref, incident.TimelineFilter{Kinds: evidence.Kinds, Limit: 100})
			if err != nil || len(p.Items) != 5 {
				t.Fatalf("custody entries: %d %v", len(p.Items), err)
			}
			for k, en := range p.Items {
				var pl map[string]any
				_ = json.Unmarshal(en.Payload, &pl)
				if pl["sha256"] != e.SHA256 || pl["md5"] != e.MD5 || pl["sha1"] != e.SHA1 || pl["evidence"] != "EV-1" || en.Hash != h[k].Hash {
					t.Errorf("entry %d (%s) payload %s", en.Seq, en.Kind, en.Payload)
				}
			}
		})

		t.Run("ErrNoLongerHeld", func(t *testing.T) {
			_, err := w.ev.Transfer(rc, w.r.Ref, "EV-1", "", "someone", "why")
			wantCode(t, err, errs.Conflict)
			_, err = w.ev.Return(rc, w.r.Ref, "EV-1", "someone", "")
			wantCode(t, err, errs.Conflict)
			// Warroom's copy of a returned file can still be examined and destroyed.
			if _, err := w.ev.Access(rc, w.r.Ref, "EV-1", "court exhibit check"); err != nil {
				t.Errorf("access after return: %v", err)
			}
			if _, err := w.ev.Destroy(rc, w.r.Ref, "EV-1", "secure erase", "K. Ng"); err != nil {
				t.Errorf("destroying the copy of a returned file: %v", err)
			}
			_, err = w.ev.Access(rc, w.r.Ref, "EV-1", "again")
			wantCode(t, err, errs.Conflict)
		})

		t.Run("ErrInvalid", func(t *testing.T) {
			w.MustUpload("responder", w.r.Ref, evidence.Meta{Name: "second.bin"}, []byte("second"))
			for _, tc := range []struct {
				in     evidence.CustodyInput
				fields []string
			}{
				{evidence.CustodyInput{Action: "steal"}, []string{"action"}},
				{evidence.CustodyInput{Action: "transfer"}, []string{"to", "reason"}},
				{evidence.CustodyInput{Action: "transfer", From: "Mallory", To: "x", Reason: "y"}, []string{"from"}},
				{evidence.CustodyInput{Action: "destroy", Method: "shredded"}, []string{"witness"}},
				{evidence.CustodyInput{Action: "access", Reason: "r", Witness: "w", To: "t"}, []string{"witness", "to"}},
				{evidence.CustodyInput{Action: "export", To: "x", Reason: strings.Repeat("r", 2001)}, []string{"reason"}},
				{evidence.CustodyInput{Action: "access", Reason: "r", At: ptr(w.now.Add(time.Hour))}, []string{"at"}},
			} {
				_, err := w.ev.Custody(rc, w.r.Ref, "EV-2", tc.in)
				wantFields(t, err, tc.fields...)
			}
		})

		t.Run("ErrForbiddenOrHidden", func(t *testing.T) {
			_, err := w.ev.Access(w.ctx["viewer"], w.r.Ref, "EV-2", "look")
			wantCode(t, err, errs.Forbidden)
			_, err = w.ev.Access(w.ctx["nonmember"], w.r.Ref, "EV-2", "look")
			wantCode(t, err, errs.NotFound)
		})
	})
}

func TestDestroy(t *testing.T) {
	dbtest.ForEachDialect(t, func(t *testing.T, d *db.DB) {
		w := newWorld(t, d)
		shared := []byte("the same dropper, found twice")
		a := w.MustUpload("responder", w.p.Ref, evidence.Meta{Name: "dropper.exe"}, shared)
		w.MustUpload("responder", w.r.Ref, evidence.Meta{Name: "dropper-copy.exe"}, shared)
		lone := w.MustUpload("responder", w.p.Ref, evidence.Meta{Name: "notes.txt"}, []byte("only here"))

		if _, err := w.ev.Destroy(w.ctx["responder"], w.p.Ref, "EV-1", "secure erase (NIST 800-88 purge)", "K. Ng"); err != nil {
			t.Fatal(err)
		}
		if _, err := os.Stat(w.ev.Blobs.Path(a.SHA256)); err != nil {
			t.Errorf("content still held by another item was removed: %v", err)
		}
		if _, err := w.ev.Destroy(w.ctx["responder"], w.p.Ref, lone.Label, "secure erase", "K. Ng"); err != nil {
			t.Fatal(err)
		}
		if _, err := os.Stat(w.ev.Blobs.Path(lone.SHA256)); !os.IsNotExist(err) {
			t.Errorf("content of a destroyed item is still stored: %v", err)
		}
		got, _ := w.ev.Get(w.ctx["viewer"], w.p.Ref, lone.Label)
		if got.Status != evidence.Destroyed || got.Stored {
			t.Errorf("destroyed item: %+v", got)
		}
		_, _, err := w.ev.Open(w.ctx["responder"], w.p.Ref, lone.Label, "")
		wantCode(t, err, errs.Conflict)
		h, _ := w.ev.History(w.ctx["viewer"], w.p.Ref, lone.Label)
		if last := h[len(h)-1]; last.Action != "destroyed" || last.Method != "secure erase" || last.Witness != "K. Ng" || last.SHA256 != lone.SHA256 {
			t.Errorf("destroy event: %+v", last)
		}
		if r, err := w.ev.Verify(t.Context()); err != nil || !r.OK || len(r.Items) != 1 || len(r.Unreferenced) != 0 {
			t.Errorf("verify after destroying: %+v %v", r, err)
		}
	})
}

func ptr[T any](v T) *T { return &v }
