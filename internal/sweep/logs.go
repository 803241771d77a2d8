package sweep

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"context"
	"fmt"
	"io"
	"runtime"
	"slices"
	"sync"
	"time"
	"unicode/utf8"
)

// LogOptions tune a log sweep; the zero value is usable.
type LogOptions struct {
	Workers   int            // goroutines scanning blocks; default GOMAXPROCS
	BlockSize int            // bytes per block; default 4 MiB
	LineLimit int            // Hit.Text is trimmed to this many bytes; default 512
	Location  *time.Location // for timestamps without a zone; default UTC
	// Year is for syslog timestamps, which have none: by default the year
	// of ModTime, or the current year.
	Year int
	// ModTime is when the content was last written (a file's modification
	// time), if known: a syslog time that would fall after it (a December
	// line read in January) is taken to be from the year before.
	ModTime time.Time
	// Binary scans content that looks binary (a NUL byte in its first
	// 8 KiB) too; by default such content is skipped, as grep does.
	Binary bool
}

// maxBlock bounds how far a block grows to hold one very long line; a
// longer line is cut and a match across the cut is missed.
const maxBlock = 64 << 20

func (o *LogOptions) defaults() {
	if o.Workers <= 0 {
		o.Workers = runtime.GOMAXPROCS(0)
	}
	if o.BlockSize <= 0 {
		o.BlockSize = 4 << 20
	}
	if o.LineLimit <= 0 {
		o.LineLimit = 512
	}
	if o.Location == nil {
		o.Location = time.UTC
	}
}

// block is a run of whole lines handed to a worker.
type block struct {
	data   []byte
	json   bool // JSON lines: undo string escapes before matching
	opt    *LogOptions
	offset int64 // of data[0] in the content
	line   int64 // number of the line data[0] is on
	hits   []Hit
	done   chan struct{}
}

// LogScanner scans text content in parallel blocks. One LogScanner may be
// used for many files in turn, not concurrently.
type LogScanner struct {
	m    *Matcher
	opt  LogOptions
	jobs chan *block
	free chan []byte
	wg   sync.WaitGroup
}

// NewLogScanner starts the workers; Close stops them.
func (m *Matcher) NewLogScanner(opt LogOptions) *LogScanner {
	opt.defaults()
	s := &LogScanner{m: m, opt: opt, jobs: make(chan *block), free: make(chan []byte, 2*opt.Workers+2)}
	for range opt.Workers {
		s.wg.Add(1)
		go s.work()
	}
	return s
}

// Close stops the workers.
func (s *LogScanner) Close() {
	close(s.jobs)
	s.wg.Wait()
}

func (s *LogScanner) work() {
	defer s.wg.Done()
	for b := range s.jobs {
		b.hits = s.scanBlock(b, "")
		close(b.done)
	}
}

// Scan reads content from r (decompressing gzip, recognised by its magic
// bytes; reading JSON lines, recognised by path's extension, with string
// escapes undone: see Matcher.ScanJSONLines) and calls emit for each hit in content order, with line numbers
// counted from the start. stats may be nil. It stops at the first read
// error or when ctx is done, having emitted the hits of everything before.
func (s *LogScanner) Scan(ctx context.Context, path string, r io.Reader, stats *Stats, emit func(Hit)) error {
	return s.ScanModified(ctx, path, r, time.Time{}, stats, emit)
}

// ScanModified is Scan for content last written at mod (zero if unknown),
// which dates syslog lines (see LogOptions.ModTime).
func (s *LogScanner) ScanModified(ctx context.Context, path string, r io.Reader, mod time.Time, stats *Stats, emit func(Hit)) error {
	opt := s.opt
	if !mod.IsZero() {
		opt.ModTime = mod
	}
	if opt.Year == 0 {
		opt.Year = time.Now().Year()
		if !opt.ModTime.IsZero() {
			opt.Year = opt.ModTime.In(opt.Location).Year()
		}
	}
	if stats == nil {
		stats = new(Stats)
	}
	br := bufio.NewReaderSize(countReader{r, stats}, 64<<10)
	head, _ := br.Peek(8 << 10)
	var in io.Reader = br
	if len(head) >= 2 && head[0] == 0x1f && head[1] == 0x8b {
		zr, err := gzip.NewReader(br)
		if err != nil {
			return fmt.Errorf("read %s as gzip: %w", path, err)
		}
		defer zr.Close()
		in = zr
	} else if !s.opt.Binary && bytes.IndexByte(head, 0) >= 0 {
		stats.Skipped.Add(1)
		return nil
	}
	return s.pipeline(ctx, path, in, &opt, stats, emit)
}

type countReader struct {
	r     io.Reader
	stats *Stats
}

func (c countReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.stats.Bytes.Add(int64(n))
	return n, err
}

// pipeline reads blocks in order, hands them to the workers and emits
// their hits in the same order; at most 2×workers blocks are in flight,
// which bounds memory.
func (s *LogScanner) pipeline(ctx context.Context, path string, in io.Reader, opt *LogOptions, stats *Stats, emit func(Hit)) error {
	queue := make(chan *block, 2*s.opt.Workers)
	var emitWG sync.WaitGroup
	emitWG.Add(1)
	go func() {
		defer emitWG.Done()
		for b := range queue {
			<-b.done
			for i := range b.hits {
				b.hits[i].Path = path
				emit(b.hits[i])
			}
			stats.Hits.Add(int64(len(b.hits)))
			stats.Scanned.Add(int64(len(b.data)))
			select {
			case s.free <- b.data[:cap(b.data)]:
			default:
			}
		}
	}()
	err := s.read(ctx, in, isJSONLines(path), opt, queue)
	close(queue)
	emitWG.Wait()
	return err
}

func (s *LogScanner) buffer(n int) []byte {
	select {
	case b := <-s.free:
		if cap(b) >= n {
			return b[:n]
		}
	default:
	}
	return make([]byte, n)
}

func (s *LogScanner) read(ctx context.Context, in io.Reader, json bool, opt *LogOptions, queue chan<- *block) error {
	var carry []byte // the start of a line the last block cut
	var offset, line int64 = 0, 1
	size := s.opt.BlockSize
	for {
		if err := ctx.Err(); err != nil {
			return err
		}
		buf := s.buffer(max(size, len(carry)+size/2))
		n := copy(buf, carry)
		m, err := fill(in, buf[n:])
		n += m
		eof := err == io.EOF
		if err != nil && !eof {
			return err
		}
		data := buf[:n]
		carry = nil
		if !eof {
			cut := bytes.LastIndexByte(data, '\n') + 1
			switch {
			case cut > 0:
				carry = append([]byte(nil), data[cut:]...)
				data = data[:cut]
			case len(data) < maxBlock:
				// One line longer than the block: read more of it.
				size *= 2
				carry = append([]byte(nil), data...)
				continue
			}
		}
		if len(data) > 0 {
			b := &block{data: data, json: json, opt: opt, offset: offset, line: line, done: make(chan struct{})}
			offset += int64(len(data))
			line += int64(bytes.Count(data, []byte{'\n'}))
			select {
			case s.jobs <- b:
			case <-ctx.Done():
				return ctx.Err()
			}
			queue <- b
		}
		if eof {
			return nil
		}
		size = s.opt.BlockSize
	}
}

// fill reads until p is full or the reader fails. Unlike io.ReadFull it
// keeps a truncated gzip stream's io.ErrUnexpectedEOF apart from the
// clean end of the content.
func fill(r io.Reader, p []byte) (int, error) {
	n := 0
	for n < len(p) {
		m, err := r.Read(p[n:])
		n += m
		if err != nil {
			return n, err
		}
	}
	return n, nil
}

// scanBlock finds the hits in one block, in offset order, with their line
// numbers, lines and times.
func (s *LogScanner) scanBlock(b *block, path string) []Hit {
	var ms []Match
	collect := func(m Match) { ms = append(ms, m) }
	if b.json {
		s.m.ScanJSONLines(b.data, collect)
	} else {
		s.m.Scan(b.data, collect)
	}
	if len(ms) == 0 {
		return nil
	}
	slices.SortFunc(ms, func(x, y Match) int {
		if x.Start != y.Start {
			return x.Start - y.Start
		}
		return x.Indicator - y.Indicator
	})
	hits := make([]Hit, 0, len(ms))
	line, pos := b.line, 0
	ls, le := -1, -1
	var tm *time.Time
	for _, m := range ms {
		if m.Start >= le {
			line += int64(bytes.Count(b.data[pos:m.Start], []byte{'\n'}))
			pos = m.Start
			ls = bytes.LastIndexByte(b.data[:m.Start], '\n') + 1
			le = bytes.IndexByte(b.data[m.Start:], '\n')
			if le < 0 {
				le = len(b.data)
			} else {
				le += m.Start
			}
			tm = nil
			if t, ok := eventTime(b.data[ls:le], b.opt); ok {
				tm = &t
			}
		}
		in := s.m.inds[m.Indicator]
		hits = append(hits, Hit{
			Path: path, Line: line, Offset: b.offset + int64(m.Start), Kind: KindContent,
			Type: in.Type, Indicator: in.Value, Match: string(b.data[m.Start:m.End]),
			Text: trimLine(b.data[ls:le], m.Start-ls, m.End-ls, s.opt.LineLimit), Time: tm,
		})
	}
	return hits
}

// eventTime reads a line's time; a year-less syslog time later than a
// day after the content was written is from the year before.
func eventTime(line []byte, opt *LogOptions) (time.Time, bool) {
	t, ok := ParseTime(line, opt.Year, opt.Location)
	if ok && !opt.ModTime.IsZero() && t.After(opt.ModTime.Add(24*time.Hour)) {
		if u, ok := ParseTime(line, opt.Year-1, opt.Location); ok && u.Before(t) {
			return u, true
		}
	}
	return t, ok
}

// trimLine keeps at most limit bytes of a line, centred on the match, on
// UTF-8 boundaries, without the line break.
func trimLine(l []byte, ms, me, limit int) string {
	l = bytes.TrimRight(l, "\r")
	if len(l) <= limit {
		return string(l)
	}
	s := max(0, ms-(limit-(me-ms))/2)
	e := min(len(l), s+limit)
	s = max(0, e-limit)
	for s > 0 && s < len(l) && !utf8.RuneStart(l[s]) {
		s++
	}
	for e < len(l) && e > s && !utf8.RuneStart(l[e]) {
		e--
	}
	return string(l[s:e])
}
