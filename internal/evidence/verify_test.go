package evidence_test

import (
	"os"
	"strings"
	"testing"

	"github.com/warroom/warroom/internal/db"
	"github.com/warroom/warroom/internal/db/dbtest"
	"github.com/warroom/warroom/internal/evidence"
)

// TestVerifyDetectsTampering changes one stored file and deletes another
// behind the service's back, as someone with access to the disk would.
func TestVerifyDetectsTampering(t *testing.T) {
	dbtest.ForEachDialect(t, func(t *testing.T, d *db.DB) {
		w := newWorld(t, d)
		ctx := t.Context()
		tampered := w.MustUpload("responder", w.p.Ref, evidence.Meta{Name: "beacon.dll"}, []byte("original beacon bytes"))
		deleted := w.MustUpload("responder", w.r.Ref, evidence.Meta{Name: "pcap.pcapng"}, []byte("packets"))
		intact := w.MustUpload("responder", w.p.Ref, evidence.Meta{Name: "intact.txt"}, []byte("fine"))
		if _, err := w.ev.Register(w.ctx["responder"], w.p.Ref, evidence.ExternalInput{Meta: evidence.Meta{Name: "laptop"}, Location: "safe"}); err != nil {
			t.Fatal(err)
		}

		r, err := w.ev.Verify(ctx)
		if err != nil || !r.OK || len(r.Items) != 3 || r.Blobs != 3 {
			t.Fatalf("untouched store: %+v %v", r, err)
		}

		path := w.ev.Blobs.Path(tampered.SHA256)
		if err := os.Chmod(path, 0o600); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte("original beacon byteS"), 0o600); err != nil {
			t.Fatal(err)
		}
		if err := os.Remove(w.ev.Blobs.Path(deleted.SHA256)); err != nil {
			t.Fatal(err)
		}
		r, err = w.ev.Verify(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if r.OK || r.Changed != 1 || r.Missing != 1 {
			t.Fatalf("tampered store: %+v", r)
		}
		results := map[string]evidence.Check{}
		for _, c := range r.Items {
			results[c.ID] = c
		}
		if c := results[tampered.ID]; c.Result != evidence.ResultChanged || c.IncidentRef != w.p.Ref || c.Evidence != "EV-1" || !strings.Contains(c.Detail, "now hashes to") {
			t.Errorf("tampered: %+v", c)
		}
		if c := results[deleted.ID]; c.Result != evidence.ResultMissing || c.IncidentRef != w.r.Ref {
			t.Errorf("deleted: %+v", c)
		}
		if c := results[intact.ID]; c.Result != evidence.ResultOK {
			t.Errorf("intact: %+v", c)
		}
		// A download of the tampered file still works (the client checks
		// the SHA-256), but a new upload of the original never rewrites it.
		w.MustUpload("responder", w.p.Ref, evidence.Meta{Name: "again.dll"}, []byte("original beacon bytes"))
		if r, _ := w.ev.Verify(ctx); r.Changed != 2 {
			t.Errorf("re-uploading the original hid the tampering: %+v", r)
		}
	})
}

// TestPutCrashLeavesNoPartialBlob checks that an upload that fails midway
// leaves nothing under a final name and no temporary file.
func TestPutCrashLeavesNoPartialBlob(t *testing.T) {
	b := &evidence.Blobs{Dir: t.TempDir()}
	_, err := b.Put(t.Context(), &failingReader{n: 3 << 20}, 1<<30)
	if err == nil {
		t.Fatal("a failing stream was stored")
	}
	var files []string
	_ = walk(b.Dir, &files)
	if len(files) != 0 {
		t.Errorf("left behind: %v", files)
	}
}

type failingReader struct{ n int }

func (f *failingReader) Read(p []byte) (int, error) {
	if f.n <= 0 {
		return 0, os.ErrDeadlineExceeded
	}
	n := min(len(p), f.n)
	f.n -= n
	return n, nil
}

func walk(dir string, out *[]string) error {
	ents, err := os.ReadDir(dir)
	if err != nil {
		return err
	}
	for _, e := range ents {
		p := dir + "/" + e.Name()
		if e.IsDir() {
			_ = walk(p, out)
		} else {
			*out = append(*out, p)
		}
	}
	return nil
}
