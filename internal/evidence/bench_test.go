package evidence_test

import (
	"testing"

	"github.com/warroom/warroom/internal/db/dbtest"
	"github.com/warroom/warroom/internal/evidence"
	"github.com/warroom/warroom/internal/evidence/evidencetest"
)

// BenchmarkUpload2GiB streams 2 GiB through Service.Upload (hashing and
// writing to the blob store) from a generated stream and reports the peak
// heap in use while it runs: it must stay flat, not grow with the file.
//
//	go test ./internal/evidence -run '^$' -bench Upload2GiB -benchtime 1x
func BenchmarkUpload2GiB(b *testing.B) {
	const size = 2 << 30
	w := newWorld(b, dbtest.OpenSQLite(b))
	w.ev.MaxSize = size
	b.SetBytes(size)
	var peak uint64
	for n := 0; b.Loop(); n++ {
		p := evidencetest.PeakHeap(func() {
			// Each round's stream differs so nothing is deduplicated.
			if _, err := w.ev.Upload(w.ctx["responder"], w.p.Ref, evidence.Meta{Name: "memory.raw"}, evidencetest.NewReader(uint64(n), size)); err != nil {
				b.Fatal(err)
			}
		})
		peak = max(peak, p)
	}
	b.ReportMetric(float64(peak)/(1<<20), "peak-heap-MiB")
}

// TestUploadStreamsWithBoundedMemory is the benchmark's claim at a size
// CI can afford: 256 MiB through Upload with the heap staying far below it.
func TestUploadStreamsWithBoundedMemory(t *testing.T) {
	const size, bound = 256 << 20, 32 << 20
	w := newWorld(t, dbtest.OpenSQLite(t))
	var e evidence.Evidence
	peak := evidencetest.PeakHeap(func() {
		var err error
		if e, err = w.ev.Upload(w.ctx["responder"], w.p.Ref, evidence.Meta{Name: "big.raw"}, evidencetest.NewReader(1, size)); err != nil {
			t.Fatal(err)
		}
	})
	if e.Size != size {
		t.Fatalf("stored %d bytes, want %d", e.Size, size)
	}
	sums, err := evidence.HashReader(t.Context(), evidencetest.NewReader(1, size))
	if err != nil || sums.SHA256 != e.SHA256 || sums.MD5 != e.MD5 || sums.SHA1 != e.SHA1 {
		t.Errorf("hashes differ from the stream's: %+v %v", sums, err)
	}
	t.Logf("peak heap in use while streaming %d MiB: %.1f MiB", size>>20, float64(peak)/(1<<20))
	if peak > bound {
		t.Errorf("peak heap %d MiB while streaming %d MiB; want under %d MiB", peak>>20, size>>20, bound>>20)
	}
}
