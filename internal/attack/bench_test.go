package attack

import (
	"fmt"
	"io"
	"runtime/debug"
	"runtime/metrics"
	"strings"
	"testing"
	"time"
)

// syntheticBundle produces a bundle shaped like enterprise-attack.json
// (about 40 MB: techniques with long descriptions, and many relationship
// objects) without holding it in memory.
func syntheticBundle(techniques, relationships int) io.Reader {
	pr, pw := io.Pipe()
	go func() {
		desc := strings.Repeat("Adversaries may abuse this to reach their goal. ", 40)
		fmt.Fprint(pw, `{"type": "bundle", "id": "bundle--1", "objects": [`)
		fmt.Fprint(pw, `{"type": "x-mitre-collection", "id": "x-mitre-collection--1", "x_mitre_version": "99.0"}`)
		phases := []string{"execution", "persistence", "defense-evasion", "impact"}
		for i := range techniques {
			id := fmt.Sprintf("T%04d", 1000+i/4)
			if i%4 != 0 {
				id += fmt.Sprintf(".%03d", i%4)
			}
			fmt.Fprintf(pw, `,{"type": "attack-pattern", "id": "attack-pattern--%d", "name": "Technique %d", "modified": "2025-04-15T12:00:00.000Z",
				"description": %q, "x_mitre_detection": %q, "x_mitre_domains": ["enterprise-attack"],
				"external_references": [{"source_name": "mitre-attack", "external_id": %q, "url": "https://attack.mitre.org/techniques/x"}],
				"kill_chain_phases": [{"kill_chain_name": "mitre-attack", "phase_name": %q}]}`, i, i, desc, desc, id, phases[i%len(phases)])
		}
		for i := range relationships {
			fmt.Fprintf(pw, `,{"type": "relationship", "id": "relationship--%d", "relationship_type": "uses", "description": %q,
				"source_ref": "intrusion-set--1", "target_ref": "attack-pattern--%d"}`, i, desc[:600], i%techniques)
		}
		fmt.Fprint(pw, `]}`)
		pw.Close()
	}()
	return pr
}

// TestParseLargeBundleBoundedMemory parses a synthetic bundle of the real
// file's size and checks the heap never holds more than a fraction of it:
// objects are decoded one at a time.
func TestParseLargeBundleBoundedMemory(t *testing.T) {
	if testing.Short() {
		t.Skip("parses 40 MB")
	}
	// Collect garbage eagerly, so the heap in use is close to what the
	// parser holds rather than what it has let go of.
	defer debug.SetGCPercent(debug.SetGCPercent(5))
	cr := &countingReader{r: syntheticBundle(1600, 45000), max: MaxBundleBytes}
	var peak uint64
	done, stopped := make(chan struct{}), make(chan struct{})
	go func() {
		defer close(stopped)
		// The live heap as of the last collection: what the parser holds,
		// not garbage a collector slowed by a busy machine has yet to free.
		live := []metrics.Sample{{Name: "/gc/heap/live:bytes"}}
		for {
			select {
			case <-done:
				return
			case <-time.After(5 * time.Millisecond):
				metrics.Read(live)
				peak = max(peak, live[0].Value.Uint64())
			}
		}
	}()
	b, err := parseBundle(cr, MaxBundleBytes)
	close(done)
	<-stopped // peak is the sampler's until it has returned
	if err != nil {
		t.Fatal(err)
	}
	if len(b.techniques) != 1600 || cr.n < 38<<20 {
		t.Fatalf("%d techniques from %d bytes", len(b.techniques), cr.n)
	}
	t.Logf("%d MB parsed, peak live heap %d MB", cr.n>>20, peak>>20)
	// Parsing the document whole would hold all of its 39 MB and more.
	// The race detector's instrumentation keeps more alive (about 19 MB
	// seen), still well under the document's size.
	limit := uint64(16 << 20)
	if raceEnabled {
		limit = 30 << 20
	}
	if peak > limit {
		t.Errorf("peak live heap %d MB while parsing %d MB: the bundle is not streamed", peak>>20, cr.n>>20)
	}
}

func BenchmarkParseBundle(b *testing.B) {
	for b.Loop() {
		cr := &countingReader{r: syntheticBundle(1600, 45000), max: MaxBundleBytes}
		if _, err := parseBundle(cr, MaxBundleBytes); err != nil {
			b.Fatal(err)
		}
		b.SetBytes(cr.n)
	}
}
