package main

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"sync"
	"text/tabwriter"
	"time"

	"github.com/schollz/progressbar/v3"
	"github.com/spf13/cobra"

	"github.com/warroom/warroom/internal/sweep"
)

// sweepFlags are the options of warroom sweep.
type sweepFlags struct {
	iocs, incident     string
	paths              []string
	subdomains         bool
	defanged           bool
	caseSensitiveNames bool
	noContent, noHash  bool
	maxHashSize        int64
	followLinks        bool
	binary             bool
	workers, lineLimit int
	quiet              bool
	noProgress         bool
	skipInvalid        bool
	upload             bool
	host               string
}

func (a *app) sweepCommand() *cobra.Command {
	var f sweepFlags
	cmd := &cobra.Command{
		Use:   "sweep (--iocs FILE | --incident REF) --path PATH... [-o table|jsonl]",
		Short: "Look for indicators in files and logs on this machine (docs/sweep.md)",
		Long: `Finds indicators in the files under each PATH: in log lines (text, .gz and JSON lines),
in file names and paths, and in content hashes (MD5, SHA-1, SHA-256, SHA-512, only those the
indicators need). Indicators come from a file (--iocs: a plain list, type,value CSV or a STIX 2.1
bundle; - for standard input) or from an incident on the server (--incident, after warroom login).
Matches are whole tokens: evil.com is not found in notevil.com, and www.evil.com only with
--subdomains (or *.evil.com in the list). Addresses match networks (cidr indicators).

Output: a table, or one JSON object per hit with -o jsonl (path, line, offset, kind, type,
indicator, match, text, time). A progress bar shows on a terminal; Ctrl-C stops and reports what
was covered.

  warroom sweep --iocs iocs.txt --path /var/log
  warroom sweep --incident IR-2026-0001 --path /var/log --path /home -o jsonl > hits.jsonl`,
		Args: cobra.ArbitraryArgs,
		// sweep streams one JSON object per hit, so it also takes jsonl.
		PersistentPreRunE: func(cmd *cobra.Command, args []string) error {
			switch a.output {
			case "table", "json", "jsonl":
				return nil
			}
			return usagef("--output must be table or jsonl (json is the same as jsonl), not %q", a.output)
		},
		RunE: func(cmd *cobra.Command, args []string) error {
			f.paths = append(f.paths, args...)
			// A sweep for an incident reports its hits to it unless told
			// not to (--upload=false); one from a file has nowhere to report.
			if !cmd.Flags().Changed("upload") {
				f.upload = f.incident != ""
			}
			return a.sweep(cmd.Context(), f)
		},
	}
	fl := cmd.Flags()
	fl.StringVar(&f.iocs, "iocs", "", "indicator file: plain list, type,value CSV or STIX 2.1 bundle (- for standard input)")
	fl.StringVar(&f.incident, "incident", "", "download the indicators of this incident from the server")
	fl.StringArrayVar(&f.paths, "path", nil, "file or directory to sweep (repeat for several; arguments count too)")
	fl.BoolVar(&f.subdomains, "subdomains", false, "domain indicators also match their subdomains (www.evil.com for evil.com)")
	fl.BoolVar(&f.defanged, "defanged", false, "also find defanged forms in the text (evil[.]com, hxxp://)")
	fl.BoolVar(&f.caseSensitiveNames, "case-sensitive-names", false, "compare file and process names and Windows paths with case (default: without, as Windows does)")
	fl.BoolVar(&f.noContent, "no-content", false, "do not read file contents as text: names, paths and hashes only")
	fl.BoolVar(&f.noHash, "no-hash", false, "do not hash file contents")
	fl.Int64Var(&f.maxHashSize, "max-hash-size", sweep.DefaultMaxHashSize, "hash only files up to this many bytes")
	fl.BoolVar(&f.followLinks, "follow-symlinks", false, "follow symbolic links (loops are detected and reported)")
	fl.BoolVar(&f.binary, "binary", false, "also scan files that look binary (a NUL byte near the start)")
	fl.IntVar(&f.workers, "workers", runtime.GOMAXPROCS(0), "goroutines scanning blocks of text (the default is one per core)")
	fl.IntVar(&f.lineLimit, "line-limit", 512, "longest line text shown with a hit, in bytes")
	fl.BoolVarP(&f.quiet, "quiet", "q", false, "no progress bar and no summary: only hits (and errors) are printed")
	fl.BoolVar(&f.noProgress, "no-progress", false, "no progress bar, even on a terminal")
	fl.BoolVar(&f.skipInvalid, "skip-invalid", false, "sweep for the valid indicators of a file that has invalid ones")
	fl.BoolVar(&f.upload, "upload", false, "report the hits to the incident (first/last seen, one timeline entry); the default with --incident, --upload=false to keep them local")
	fl.StringVar(&f.host, "host", "", "host name to report with --upload (default: this machine's)")
	return cmd
}

func (a *app) sweep(ctx context.Context, f sweepFlags) error {
	switch {
	case (f.iocs == "") == (f.incident == ""):
		return usagef("give the indicators with exactly one of --iocs FILE or --incident REF")
	case len(f.paths) == 0:
		return usagef("give at least one --path PATH (a file or a directory) to sweep")
	case f.workers < 1 || f.workers > 256:
		return usagef("--workers must be 1 to 256, not %d", f.workers)
	case f.lineLimit < 16 || f.lineLimit > 1<<20:
		return usagef("--line-limit must be 16 to 1048576 bytes, not %d", f.lineLimit)
	case f.upload && f.incident == "":
		return usagef("--upload reports to an incident: use it with --incident REF")
	case len(f.host) > 255:
		return usagef("--host is at most 255 characters")
	}
	if f.upload && f.host == "" {
		if f.host, _ = os.Hostname(); f.host == "" {
			f.host = "an unnamed host"
		}
	}
	for _, p := range f.paths {
		if _, err := os.Stat(p); err != nil {
			return usagef("--path %s: %v", p, errors.Unwrap(err))
		}
	}
	var inds []sweep.Indicator
	var err error
	if f.iocs != "" {
		inds, err = a.readIndicatorFile(f.iocs, f.subdomains, f.skipInvalid)
	} else {
		inds, err = a.serverIndicators(ctx, f.incident, f.subdomains)
	}
	if err != nil {
		return err
	}
	if len(inds) == 0 {
		return usagef("no indicators to look for (the file or incident has none that can be matched)")
	}
	m, err := sweep.Compile(inds, sweep.Options{CaseSensitiveNames: f.caseSensitiveNames, Defanged: f.defanged})
	if err != nil {
		return usageError{err.Error()}
	}

	out := newHitWriter(a.stdout, a.output != "table")
	seen := newSightings(time.Now)
	if f.upload {
		out.onHit = seen.add
	}
	stats := new(sweep.Stats)
	var errMu sync.Mutex
	opt := sweep.FileOptions{
		Content:        !f.noContent,
		Log:            sweep.LogOptions{Workers: f.workers, LineLimit: f.lineLimit, Location: time.Local, Binary: f.binary},
		FollowSymlinks: f.followLinks,
		MaxHashSize:    f.maxHashSize,
		OnError: func(path string, err error) {
			errMu.Lock()
			defer errMu.Unlock()
			out.flush()
			fmt.Fprintf(a.stderr, "warroom: %s: %v\n", path, unwrapPath(err))
		},
	}
	if f.noHash || f.maxHashSize < 0 {
		opt.MaxHashSize = -1
	}
	fsw := m.NewFileSweep(opt, stats, out.write)
	defer fsw.Close()

	bar := a.sweepProgress(ctx, f, stats)
	start := time.Now()
	var walkErr error
	covered := 0
	for _, p := range f.paths {
		if walkErr = fsw.Walk(ctx, p); walkErr != nil && ctx.Err() == nil {
			// The path itself could not be read (it did a moment ago):
			// report it like any other unreadable file and go on.
			stats.Errors.Add(1)
			opt.OnError(p, walkErr)
			walkErr = nil
		}
		if ctx.Err() != nil {
			walkErr = ctx.Err()
			break
		}
		covered++
	}
	bar.stop()
	if err := out.flush(); err != nil {
		return fmt.Errorf("write the hits: %w", err)
	}
	elapsed := time.Since(start)
	if !f.quiet {
		a.sweepSummary(m.Len(), stats, elapsed)
	}
	if walkErr == nil && f.upload {
		if err := a.uploadSightings(ctx, f.incident, f.host, f.paths, seen, stats, start); err != nil {
			return err
		}
		if !f.quiet {
			fmt.Fprintf(a.stderr, "reported %d hits of %d indicators to %s\n", stats.Hits.Load(), len(seen.m), f.incident)
		}
	}
	if walkErr != nil {
		if f.upload {
			fmt.Fprintln(a.stderr, "warroom: the sweep did not finish, so nothing was reported to", f.incident)
		}
		return exitCodeError{exitError, fmt.Sprintf("interrupted: %d of %d paths finished; %d files and %s covered before the stop (the last file only in part); %d hits so far",
			covered, len(f.paths), stats.Files.Load(), sizeOf(stats.Bytes.Load()), stats.Hits.Load())}
	}
	return nil
}

func unwrapPath(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}

func (a *app) sweepSummary(n int, stats *sweep.Stats, elapsed time.Duration) {
	secs := max(elapsed.Seconds(), 1e-3)
	fmt.Fprintf(a.stderr, "swept %d files, %s in %s (%s/s) for %d indicators: %d hits, %d unreadable, %d skipped\n",
		stats.Files.Load(), sizeOf(stats.Bytes.Load()), elapsed.Round(time.Millisecond),
		sizeOf(int64(float64(stats.Bytes.Load())/secs)), n, stats.Hits.Load(), stats.Errors.Load(), stats.Skipped.Load())
}

func sizeOf(n int64) string {
	switch {
	case n >= 1<<30:
		return fmt.Sprintf("%.2f GiB", float64(n)/(1<<30))
	case n >= 1<<20:
		return fmt.Sprintf("%.1f MiB", float64(n)/(1<<20))
	case n >= 1<<10:
		return fmt.Sprintf("%.1f KiB", float64(n)/(1<<10))
	}
	return fmt.Sprintf("%d B", n)
}

// hitWriter prints hits as they come, one JSON object per line or one
// table row per line; both are safe for the sweep's goroutines.
type hitWriter struct {
	mu    sync.Mutex
	w     *bufio.Writer
	tw    *tabwriter.Writer
	enc   *json.Encoder
	rows  int
	err   error
	onHit func(sweep.Hit) // also told of each hit, when set
}

func newHitWriter(w io.Writer, jsonl bool) *hitWriter {
	h := &hitWriter{w: bufio.NewWriterSize(w, 64<<10)}
	if jsonl {
		h.enc = json.NewEncoder(h.w)
		h.enc.SetEscapeHTML(false)
	} else {
		h.tw = tabwriter.NewWriter(h.w, 0, 0, 2, ' ', 0)
		fmt.Fprintln(h.tw, "PATH:LINE\tKIND\tTYPE\tINDICATOR\tMATCH\tTIME")
	}
	return h
}

func (h *hitWriter) write(x sweep.Hit) {
	if h.onHit != nil {
		h.onHit(x)
	}
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.enc != nil {
		if err := h.enc.Encode(x); err != nil && h.err == nil {
			h.err = err
		}
		return
	}
	where := x.Path
	if x.Line > 0 {
		where = fmt.Sprintf("%s:%d", x.Path, x.Line)
	}
	tm := "-"
	if x.Time != nil {
		tm = x.Time.Format(time.RFC3339)
	}
	fmt.Fprintf(h.tw, "%s\t%s\t%s\t%s\t%s\t%s\n", where, x.Kind, x.Type, truncate(x.Indicator, 80), truncate(x.Match, 80), tm)
	// Flush the table now and then so hits show while a long sweep runs;
	// columns line up within each group.
	if h.rows++; h.rows%50 == 0 {
		h.tw.Flush()
	}
}

func (h *hitWriter) flush() error {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.tw != nil {
		h.tw.Flush()
	}
	if err := h.w.Flush(); err != nil && h.err == nil {
		h.err = err
	}
	return h.err
}

// sweepBar draws progress on a terminal from the sweep's counters.
type sweepBar struct {
	done  chan struct{}
	wg    sync.WaitGroup
	bar   *progressbar.ProgressBar
	stats *sweep.Stats
}

func (b *sweepBar) stop() {
	if b == nil || b.bar == nil {
		return
	}
	close(b.done)
	b.wg.Wait()
	b.bar.Describe(fmt.Sprintf("%d files, %d hits", b.stats.Files.Load(), b.stats.Hits.Load()))
	_ = b.bar.Set64(b.stats.Bytes.Load())
	_ = b.bar.Finish()
	_ = b.bar.Clear()
}

// sweepProgress starts a progress bar when standard error is a terminal.
// The total is known once a quick walk has added up the file sizes (run
// alongside, so the sweep does not wait for it); until then the bar shows
// no ETA.
func (a *app) sweepProgress(ctx context.Context, f sweepFlags, stats *sweep.Stats) *sweepBar {
	if f.quiet || f.noProgress || !a.showProgress() {
		return &sweepBar{}
	}
	b := &sweepBar{done: make(chan struct{}), stats: stats}
	b.bar = progressbar.NewOptions64(-1, progressbar.OptionSetWriter(a.stderr), progressbar.OptionShowBytes(true),
		progressbar.OptionSetPredictTime(true), progressbar.OptionThrottle(200*time.Millisecond),
		progressbar.OptionSetDescription("sweeping"), progressbar.OptionClearOnFinish(), progressbar.OptionSetWidth(30))
	total := make(chan int64, 1)
	go func() { total <- totalSize(ctx, f.paths, f.followLinks) }()
	b.wg.Add(1)
	go func() {
		defer b.wg.Done()
		t := time.NewTicker(200 * time.Millisecond)
		defer t.Stop()
		for {
			select {
			case <-b.done:
				return
			case n := <-total:
				if n > 0 {
					b.bar.ChangeMax64(n)
				}
			case <-t.C:
				b.bar.Describe(fmt.Sprintf("%d files, %d hits", stats.Files.Load(), stats.Hits.Load()))
				_ = b.bar.Set64(stats.Bytes.Load())
			}
		}
	}()
	return b
}

// totalSize adds up the sizes of the regular files under paths.
func totalSize(ctx context.Context, paths []string, follow bool) int64 {
	var n int64
	for _, root := range paths {
		_ = filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
			if ctx.Err() != nil {
				return ctx.Err()
			}
			if err != nil || !d.Type().IsRegular() {
				return nil
			}
			if fi, err := d.Info(); err == nil {
				n += fi.Size()
			}
			return nil
		})
	}
	return n
}
