package main

import (
	"io"
	"os"
	"time"

	"github.com/schollz/progressbar/v3"
	"golang.org/x/term"
)

// progress is a byte-counting progress bar on standard error for long
// transfers. It draws only when standard error is a terminal (or
// WARROOM_PROGRESS=1, for tests and for people who pipe stderr to a
// terminal multiplexer), so scripts and JSON output stay clean.
type progress struct {
	bar *progressbar.ProgressBar
}

// newProgress starts a bar for total bytes (-1 when unknown: a spinner
// with the count and rate).
func (a *app) newProgress(total int64, what string) *progress {
	if !a.showProgress() {
		return &progress{}
	}
	bar := progressbar.NewOptions64(total,
		progressbar.OptionSetWriter(a.stderr),
		progressbar.OptionSetDescription(what),
		progressbar.OptionShowBytes(true),
		progressbar.OptionShowCount(),
		progressbar.OptionSetPredictTime(total > 0),
		progressbar.OptionThrottle(100*time.Millisecond),
		progressbar.OptionFullWidth(),
		progressbar.OptionClearOnFinish(),
	)
	return &progress{bar: bar}
}

func (a *app) showProgress() bool {
	if os.Getenv("WARROOM_PROGRESS") == "1" {
		return true
	}
	f, ok := a.stderr.(*os.File)
	return ok && term.IsTerminal(int(f.Fd()))
}

// Write counts p; it never fails, so it can sit in an io.MultiWriter or
// io.TeeReader without changing the transfer's outcome.
func (p *progress) Write(b []byte) (int, error) {
	if p.bar != nil {
		_ = p.bar.Add(len(b))
	}
	return len(b), nil
}

// Reader counts what r yields.
func (p *progress) Reader(r io.Reader) io.Reader {
	if p.bar == nil {
		return r
	}
	return io.TeeReader(r, p)
}

// Done clears the bar.
func (p *progress) Done() {
	if p.bar != nil {
		_ = p.bar.Finish()
	}
}
