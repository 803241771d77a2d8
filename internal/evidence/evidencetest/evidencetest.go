// Package evidencetest holds what tests of large uploads share: a
// deterministic stream of any size that needs no file on disk, and a
// sampler of the peak heap while something runs.
package evidencetest

import (
	"io"
	"math/rand/v2"
	"runtime"
	"sync"
	"time"
)

// PeakHeap runs fn and returns the largest heap in use (HeapInuse, bytes)
// seen while it ran, sampled every few milliseconds, after a GC beforehand
// so earlier garbage does not count.
func PeakHeap(fn func()) uint64 {
	runtime.GC()
	var peak uint64
	var mu sync.Mutex
	sample := func() {
		var m runtime.MemStats
		runtime.ReadMemStats(&m)
		mu.Lock()
		peak = max(peak, m.HeapInuse)
		mu.Unlock()
	}
	stop, done := make(chan struct{}), make(chan struct{})
	go func() {
		defer close(done)
		t := time.NewTicker(5 * time.Millisecond)
		defer t.Stop()
		for {
			select {
			case <-stop:
				return
			case <-t.C:
				sample()
			}
		}
	}()
	fn()
	close(stop)
	<-done
	sample()
	return peak
}

// Reader yields size bytes of a seeded pseudo-random 1 MiB block, with a
// block counter mixed into each repetition so the stream does not repeat
// with a short period. The same seed and size give the same bytes.
type Reader struct {
	left  int64
	block []byte
	off   int
	round uint64
}

// NewReader returns a deterministic stream of size bytes for seed.
func NewReader(seed uint64, size int64) *Reader {
	r := rand.New(rand.NewPCG(seed, 0x5741_5252_4f4f_4d00))
	block := make([]byte, 1<<20)
	for i := range block {
		block[i] = byte(r.Uint32())
	}
	return &Reader{left: size, block: block}
}

func (p *Reader) Read(buf []byte) (int, error) {
	if p.left <= 0 {
		return 0, io.EOF
	}
	if p.off == len(p.block) {
		p.off, p.round = 0, p.round+1
		for i := range 8 {
			p.block[i] = byte(p.round >> (8 * i))
		}
	}
	n := copy(buf, p.block[p.off:])
	n = int(min(int64(n), p.left))
	p.off += n
	p.left -= int64(n)
	return n, nil
}
