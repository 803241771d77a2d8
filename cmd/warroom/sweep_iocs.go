package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"os"
	"runtime"
	"strings"
	"sync"

	"github.com/warroom/warroom/client"
	"github.com/warroom/warroom/internal/ioc"
	"github.com/warroom/warroom/internal/sweep"
)

// maxIOCFile bounds an indicator file read into memory: a million
// indicators with long URLs fit several times over.
const maxIOCFile = 256 << 20

// maxIOCProblems is how many bad lines an error lists before "and N more".
const maxIOCProblems = 10

// iocProblems collects the bad entries of an indicator file, each with its
// line, so one run shows what to fix.
type iocProblems struct {
	list []string
	n    int
}

func (p *iocProblems) add(format string, args ...any) {
	p.n++
	if len(p.list) < maxIOCProblems {
		p.list = append(p.list, fmt.Sprintf(format, args...))
	}
}

func (p *iocProblems) err(file string) error {
	if p.n == 0 {
		return nil
	}
	msg := fmt.Sprintf("%s: %d indicators are not valid (fix them, or pass --skip-invalid to sweep for the rest):\n  %s",
		file, p.n, strings.Join(p.list, "\n  "))
	if p.n > len(p.list) {
		msg += fmt.Sprintf("\n  and %d more", p.n-len(p.list))
	}
	return usageError{msg}
}

// readIndicatorFile reads indicators from a plain list (one value per
// line, the type detected; "*.example.com" for a domain and its
// subdomains), a CSV file with type and value columns (a header row
// naming them, or type,value rows with no header), or a STIX 2.1 bundle.
// "-" reads standard input.
func (a *app) readIndicatorFile(name string, subdomains, skipInvalid bool) ([]sweep.Indicator, error) {
	var r io.Reader = a.stdin
	if name != "-" {
		f, err := os.Open(name)
		if err != nil {
			return nil, usagef("--iocs: cannot read %s: %v", name, errors.Unwrap(err))
		}
		defer f.Close()
		r = f
	}
	b, err := io.ReadAll(io.LimitReader(r, maxIOCFile+1))
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", name, err)
	}
	if len(b) > maxIOCFile {
		return nil, usagef("--iocs: %s is larger than %d MiB; split it", name, maxIOCFile>>20)
	}
	var probs iocProblems
	var inds []sweep.Indicator
	trimmed := bytes.TrimSpace(bytes.TrimPrefix(b, []byte("\xef\xbb\xbf")))
	switch {
	case len(trimmed) > 0 && trimmed[0] == '{':
		var notes []string
		inds, notes, err = stixIndicators(trimmed, subdomains, &probs)
		if err != nil {
			return nil, usagef("--iocs: %s: %v", name, err)
		}
		for _, n := range notes {
			fmt.Fprintf(a.stderr, "warroom: %s: skipped %s\n", name, n)
		}
	case looksCSV(trimmed):
		inds, err = csvIndicators(trimmed, subdomains, &probs)
		if err != nil {
			return nil, usagef("--iocs: %s: %v", name, err)
		}
	default:
		inds = listIndicators(trimmed, subdomains, &probs)
	}
	if err := probs.err(name); err != nil {
		if !skipInvalid {
			return nil, err
		}
		fmt.Fprintf(a.stderr, "warroom: skipping %d invalid indicators in %s\n", probs.n, name)
	}
	return inds, nil
}

// indicator checks one value with internal/ioc's rules; the sweep's
// compiler would reject it too, but here the error can name the line.
func indicator(t ioc.Type, v string, subdomains bool, where string, probs *iocProblems) (sweep.Indicator, bool) {
	v = strings.TrimSpace(v)
	if t == ioc.Domain && strings.HasPrefix(v, "*.") {
		v, subdomains = v[2:], true
	}
	if _, err := ioc.Normalize(t, v); err != nil {
		probs.add("%s: %s %s", where, t, err)
		return sweep.Indicator{}, false
	}
	return sweep.Indicator{Type: t, Value: v, Subdomains: subdomains && t == ioc.Domain}, true
}

func listIndicators(b []byte, subdomains bool, probs *iocProblems) []sweep.Indicator {
	// Type detection tries each type's rules in turn (IDN, URL parsing):
	// for a long list it is most of the start-up time, so lines are
	// detected on every core and then gathered in order.
	type entry struct {
		n        int
		line, v  string
		sub      bool
		t        ioc.Type
		ok, fast bool
	}
	var es []entry
	sc := bufio.NewScanner(bytes.NewReader(b))
	sc.Buffer(nil, 1<<20)
	for n := 1; sc.Scan(); n++ {
		if line := strings.TrimSpace(sc.Text()); line != "" && !strings.HasPrefix(line, "#") {
			es = append(es, entry{n: n, line: line})
		}
	}
	detect := func(e *entry) {
		e.v = e.line
		if maybeDefanged(e.line) {
			e.v = ioc.Refang(e.line)
		}
		if strings.HasPrefix(e.v, "*.") {
			e.v, e.sub = e.v[2:], true
		}
		if e.t, e.fast = quickType(e.v); e.fast {
			e.ok = true
		} else {
			e.t, e.ok = ioc.Detect(e.v)
		}
	}
	parts := min(runtime.GOMAXPROCS(0), max(1, len(es)/1024))
	var wg sync.WaitGroup
	for k := range parts {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := k * len(es) / parts; i < (k+1)*len(es)/parts; i++ {
				detect(&es[i])
			}
		}()
	}
	wg.Wait()
	var inds []sweep.Indicator
	for _, e := range es {
		switch {
		case !e.ok:
			probs.add("line %d: cannot tell what kind of indicator %q is; write the file as CSV with type,value", e.n, e.line)
		case e.sub && e.t != ioc.Domain:
			probs.add("line %d: *. is for domains, and %q is a %s", e.n, e.line, e.t)
		case !e.fast:
			// Detect only says a type whose rules the value meets.
			inds = append(inds, sweep.Indicator{Type: e.t, Value: e.v, Subdomains: (subdomains || e.sub) && e.t == ioc.Domain})
		default:
			if in, ok := indicator(e.t, e.v, subdomains || e.sub, fmt.Sprintf("line %d", e.n), probs); ok {
				inds = append(inds, in)
			}
		}
	}
	return inds
}

// maybeDefanged is a cheap test for the forms ioc.Refang undoes (brackets,
// hxxp, h**p, fxp), whose regular expression is the slowest step of
// reading a long list otherwise.
func maybeDefanged(s string) bool {
	if strings.ContainsAny(s, "[({*") {
		return true
	}
	for i := 0; i+1 < len(s); i++ {
		if s[i]|0x20 == 'x' && s[i+1]|0x20 == 'p' {
			return true
		}
	}
	return false
}

// quickType recognises the commonest shapes in a feed (hashes, dotted
// quads) without ioc.Detect, which tries each type's rules in turn and is
// what makes reading a million-line list slow. Anything else, or anything
// doubtful, goes to Detect.
func quickType(v string) (ioc.Type, bool) {
	hex, digitsDots, dots := true, true, 0
	for i := 0; i < len(v); i++ {
		c := v[i]
		isDigit := '0' <= c && c <= '9'
		hex = hex && (isDigit || 'a' <= c|0x20 && c|0x20 <= 'f')
		digitsDots = digitsDots && (isDigit || c == '.')
		if c == '.' {
			dots++
		}
	}
	switch {
	case strings.Contains(v, "://"):
		return ioc.URL, true
	case hex && len(v) == 32:
		return ioc.MD5, true
	case hex && len(v) == 40:
		return ioc.SHA1, true
	case hex && len(v) == 64:
		return ioc.SHA256, true
	case hex && len(v) == 128:
		return ioc.SHA512, true
	case digitsDots && dots == 3:
		return ioc.IPv4, true
	}
	return "", false
}

// looksCSV is true when the first line is a header with type and value
// columns, or a known type, a comma and a value.
func looksCSV(b []byte) bool {
	first, _, _ := bytes.Cut(b, []byte("\n"))
	t, _, ok := strings.Cut(strings.ToLower(strings.TrimSpace(string(first))), ",")
	if !ok {
		return false
	}
	t = strings.Trim(t, `" `)
	return t == "type" || t == "value" || sweep.Sweepable(ioc.Type(t))
}

func csvIndicators(b []byte, subdomains bool, probs *iocProblems) ([]sweep.Indicator, error) {
	cr := csv.NewReader(bytes.NewReader(b))
	cr.FieldsPerRecord = -1
	cr.Comment = '#'
	cr.ReuseRecord = true
	ti, vi, si := 0, 1, -1
	var inds []sweep.Indicator
	for row := 1; ; row++ {
		rec, err := cr.Read()
		if err == io.EOF {
			return inds, nil
		}
		if err != nil {
			return nil, err
		}
		if row == 1 && !sweep.Sweepable(ioc.Type(strings.ToLower(strings.TrimSpace(rec[0])))) {
			ti, vi = -1, -1
			for i, h := range rec {
				switch strings.ToLower(strings.TrimSpace(h)) {
				case "type":
					ti = i
				case "value":
					vi = i
				case "subdomains":
					si = i
				}
			}
			if ti < 0 || vi < 0 {
				return nil, errors.New("the CSV header has no type and value columns; name them, or give type,value rows without a header")
			}
			continue
		}
		line, _ := cr.FieldPos(0)
		if len(rec) <= max(ti, vi) {
			probs.add("line %d: %d columns; type is column %d and value column %d", line, len(rec), ti+1, vi+1)
			continue
		}
		t := ioc.Type(strings.ToLower(strings.TrimSpace(rec[ti])))
		if !sweep.Sweepable(t) {
			probs.add("line %d: type %q is not one of the indicator types a sweep can find (docs/sweep.md)", line, rec[ti])
			continue
		}
		sub := subdomains || si >= 0 && si < len(rec) && strings.EqualFold(strings.TrimSpace(rec[si]), "true")
		if in, ok := indicator(t, rec[vi], sub, fmt.Sprintf("line %d", line), probs); ok {
			inds = append(inds, in)
		}
	}
}

// serverIndicators downloads an incident's indicators, a page at a time.
func (a *app) serverIndicators(ctx context.Context, ref string, subdomains bool) ([]sweep.Indicator, error) {
	c, err := a.client()
	if err != nil {
		return nil, err
	}
	var inds []sweep.Indicator
	var probs iocProblems
	f := client.IndicatorFilter{Limit: 500}
	for {
		page, err := c.Indicators(ctx, ref, f)
		if err != nil {
			return nil, fmt.Errorf("download the indicators of %s: %w", ref, err)
		}
		for _, x := range page.Items {
			if !sweep.Sweepable(ioc.Type(x.Type)) {
				continue // free text or a STIX pattern: nothing to match as a token
			}
			if in, ok := indicator(ioc.Type(x.Type), x.Value, subdomains, "indicator "+x.ID, &probs); ok {
				inds = append(inds, in)
			}
		}
		if page.NextCursor == "" || len(page.Items) == 0 {
			break
		}
		f.Cursor = page.NextCursor
	}
	if probs.n > 0 {
		// The server validated them with the same rules; a difference
		// means an older server. Sweep for the rest and say so.
		fmt.Fprintf(a.stderr, "warroom: %d indicators of %s were skipped: %s\n", probs.n, ref, strings.Join(probs.list, "; "))
	}
	return inds, nil
}
