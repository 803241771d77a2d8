package evidence_test

import (
	"bytes"
	"crypto/md5"
	"crypto/sha1"
	"crypto/sha256"
	"encoding/hex"
	"io"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/warroom/warroom/internal/db"
	"github.com/warroom/warroom/internal/db/dbtest"
	"github.com/warroom/warroom/internal/errs"
	"github.com/warroom/warroom/internal/evidence"
)

func TestUpload(t *testing.T) {
	dbtest.ForEachDialect(t, func(t *testing.T, d *db.DB) {
		w := newWorld(t, d)
		content := []byte("MZ\x90\x00 pretend this is invoice.exe from the phishing mail\n")
		m5, s1, s256 := md5.Sum(content), sha1.Sum(content), sha256.Sum256(content)

		t.Run("OKHashesWhileStreaming", func(t *testing.T) {
			collected := w.now.Add(-2 * time.Hour)
			e := w.MustUpload("responder", w.p.Ref, evidence.Meta{Name: "invoice.exe", Description: "attachment", SourceHost: "ws-042",
				SourcePerson: "Jo in finance", CollectedAt: &collected, Method: "exported from the mail gateway quarantine"}, content)
			want := evidence.Evidence{ID: e.ID, IncidentRef: w.p.Ref, Number: 1, Label: "EV-1", Kind: evidence.File, Name: "invoice.exe",
				Description: "attachment", SourceHost: "ws-042", SourcePerson: "Jo in finance", CollectedBy: "responder", CollectedAt: collected,
				Method: "exported from the mail gateway quarantine", Size: int64(len(content)), MD5: hex.EncodeToString(m5[:]),
				SHA1: hex.EncodeToString(s1[:]), SHA256: hex.EncodeToString(s256[:]), Stored: true, Custodian: "responder",
				Status: evidence.Held, CreatedBy: e.CreatedBy, CreatedAt: w.now, UpdatedAt: w.now, Version: 1}
			if diff := cmp.Diff(want, e, cmpopts.IgnoreUnexported(evidence.Evidence{})); diff != "" {
				t.Errorf("uploaded (-want +got):\n%s", diff)
			}
			stored, err := os.ReadFile(w.ev.Blobs.Path(e.SHA256))
			if err != nil || !bytes.Equal(stored, content) {
				t.Fatalf("stored content at %s: %v", w.ev.Blobs.Path(e.SHA256), err)
			}
			if !strings.Contains(w.ev.Blobs.Path(e.SHA256), "/sha256/"+e.SHA256[:2]+"/"+e.SHA256[2:4]+"/"+e.SHA256) {
				t.Errorf("blob path %s is not content-addressed", w.ev.Blobs.Path(e.SHA256))
			}
			got, err := w.ev.Get(w.ctx["viewer"], w.p.Ref, "ev-1")
			if err != nil || got.SHA256 != e.SHA256 || got.Version != 1 {
				t.Errorf("viewer reads metadata: %+v %v", got, err)
			}
		})

		t.Run("OKStoredOnce", func(t *testing.T) {
			before := len(w.blobFiles())
			e := w.MustUpload("admin", w.r.Ref, evidence.Meta{Name: "copy.exe"}, content)
			if e.Label != "EV-1" || e.IncidentRef != w.r.Ref {
				t.Errorf("numbered per incident: %s in %s", e.Label, e.IncidentRef)
			}
			if after := w.blobFiles(); len(after) != before {
				t.Errorf("identical content stored again: %d files, then %d: %v", before, len(after), after)
			}
		})

		t.Run("ErrTooLargeStoresNothing", func(t *testing.T) {
			small := *w.ev
			small.MaxSize = 1000
			files := w.blobFiles()
			i, _ := w.incidents.Get(w.ctx["admin"], w.p.Ref)
			_, err := small.Upload(w.ctx["responder"], w.p.Ref, evidence.Meta{Name: "big.bin"}, bytes.NewReader(make([]byte, 1001)))
			wantCode(t, err, errs.TooLarge)
			if got := w.blobFiles(); len(got) != len(files) {
				t.Errorf("an aborted upload left files: %v", got)
			}
			if after, _ := w.incidents.Get(w.ctx["admin"], w.p.Ref); after.LastSeq != i.LastSeq {
				t.Errorf("an aborted upload wrote to the record")
			}
			if items, _ := w.ev.List(w.ctx["admin"], w.p.Ref); len(items) != 1 {
				t.Errorf("an aborted upload added an item: %d items", len(items))
			}
			if e, err := small.Upload(w.ctx["responder"], w.p.Ref, evidence.Meta{Name: "exact.bin"}, bytes.NewReader(make([]byte, 1000))); err != nil || e.Size != 1000 {
				t.Errorf("exactly the limit: %+v %v", e, err)
			}
		})

		t.Run("ErrInvalid", func(t *testing.T) {
			future := w.now.Add(time.Hour)
			_, err := w.ev.Upload(w.ctx["responder"], w.p.Ref, evidence.Meta{Name: "a\nb", CollectedAt: &future, Method: strings.Repeat("m", 2001)}, refuseRead{t})
			wantFields(t, err, "name", "collected_at", "method")
			_, err = w.ev.Upload(w.ctx["responder"], w.p.Ref, evidence.Meta{}, refuseRead{t})
			wantFields(t, err, "name")
		})

		t.Run("ErrRefusedBeforeReading", func(t *testing.T) {
			for who, code := range map[string]errs.Code{"viewer": errs.Forbidden, "nonmember": errs.NotFound, "bystander": errs.NotFound, "outsider": errs.NotFound} {
				_, err := w.ev.Upload(w.ctx[who], w.r.Ref, evidence.Meta{Name: "x"}, refuseRead{t})
				if errs.CodeOf(err) != code {
					t.Errorf("%s uploading to the restricted incident: %v, want %s", who, err, code)
				}
			}
		})
	})
}

func TestRegister(t *testing.T) {
	dbtest.ForEachDialect(t, func(t *testing.T, d *db.DB) {
		w := newWorld(t, d)
		t.Run("OK", func(t *testing.T) {
			e, err := w.ev.Register(w.ctx["responder"], w.p.Ref, evidence.ExternalInput{
				Meta:     evidence.Meta{Name: "HR laptop (Dell Latitude, s/n 4F7K2)", SourcePerson: "J. Doe", CollectedBy: "Sam Field", Method: "seized, bagged, tag 0042"},
				Location: "evidence safe B, London", SHA256: strings.ToUpper(strings.Repeat("ab", 32)), Size: 512 << 30})
			if err != nil {
				t.Fatal(err)
			}
			if e.Kind != evidence.External || e.Stored || e.SHA256 != strings.Repeat("ab", 32) || e.Custodian != "Sam Field" || e.Location != "evidence safe B, London" {
				t.Errorf("registered: %+v", e)
			}
			_, _, err = w.ev.Open(w.ctx["responder"], w.p.Ref, e.Label, "")
			wantCode(t, err, errs.Invalid)
		})
		t.Run("ErrInvalidHashes", func(t *testing.T) {
			_, err := w.ev.Register(w.ctx["responder"], w.p.Ref, evidence.ExternalInput{Meta: evidence.Meta{Name: "image.E01"},
				MD5: "abc", SHA1: strings.Repeat("z", 40), SHA256: strings.Repeat("a", 63), Size: -1})
			wantFields(t, err, "md5", "sha1", "sha256", "location", "size")
		})
		t.Run("ErrForbiddenViewer", func(t *testing.T) {
			_, err := w.ev.Register(w.ctx["viewer"], w.p.Ref, evidence.ExternalInput{Meta: evidence.Meta{Name: "x"}, Location: "y"})
			wantCode(t, err, errs.Forbidden)
		})
	})
}

func TestDownload(t *testing.T) {
	dbtest.ForEachDialect(t, func(t *testing.T, d *db.DB) {
		w := newWorld(t, d)
		content := []byte("memory image of the HR laptop (pretend)")
		e := w.MustUpload("responder", w.r.Ref, evidence.Meta{Name: "mem.raw"}, content)

		t.Run("OKAuditedAndInTheRecord", func(t *testing.T) {
			got, f, err := w.ev.Open(w.ctx["responder"], w.r.Ref, "EV-1", "triage in Volatility")
			if err != nil {
				t.Fatal(err)
			}
			b, _ := io.ReadAll(f)
			f.Close()
			if !bytes.Equal(b, content) || got.SHA256 != e.SHA256 {
				t.Errorf("downloaded %q", b)
			}
			if n := w.audits("evidence.download"); n != 1 {
				t.Errorf("%d evidence.download audit rows, want 1", n)
			}
			h, err := w.ev.History(w.ctx["responder"], w.r.Ref, "EV-1")
			if err != nil || len(h) != 2 || h[1].Action != "accessed" || h[1].Via != "download" || h[1].Reason != "triage in Volatility" || h[1].SHA256 != e.SHA256 {
				t.Errorf("history after download: %+v %v", h, err)
			}
		})

		t.Run("ErrNotForViewersOrOutsiders", func(t *testing.T) {
			// On the roster: the viewer sees the item but may not download it.
			if _, err := w.ev.Get(w.ctx["viewer"], w.r.Ref, "EV-1"); err != nil {
				t.Errorf("viewer on the roster reads metadata: %v", err)
			}
			_, f, err := w.ev.Open(w.ctx["viewer"], w.r.Ref, "EV-1", "")
			wantCode(t, err, errs.Forbidden)
			if f != nil {
				t.Error("a refused download returned a file")
			}
			// Off the roster, the incident and its evidence do not exist.
			for _, who := range []string{"bystander", "nonmember", "outsider"} {
				_, _, err := w.ev.Open(w.ctx[who], w.r.Ref, "EV-1", "")
				wantCode(t, err, errs.NotFound)
				_, err = w.ev.Get(w.ctx[who], w.r.Ref, "EV-1")
				wantCode(t, err, errs.NotFound)
				_, err = w.ev.List(w.ctx[who], w.r.Ref)
				wantCode(t, err, errs.NotFound)
				_, err = w.ev.History(w.ctx[who], w.r.Ref, "EV-1")
				wantCode(t, err, errs.NotFound)
			}
			if n := w.audits("evidence.download"); n != 1 {
				t.Errorf("refused downloads were audited as downloads: %d rows", n)
			}
		})

		t.Run("ErrMissingContent", func(t *testing.T) {
			_, _, err := w.ev.Open(w.ctx["admin"], w.r.Ref, "EV-9", "")
			wantCode(t, err, errs.NotFound)
			_, _, err = w.ev.Open(w.ctx["admin"], w.r.Ref, "nine", "")
			wantCode(t, err, errs.NotFound)
		})
	})
}
