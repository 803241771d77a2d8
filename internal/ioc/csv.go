package ioc

import (
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/warroom/warroom/internal/errs"
)

// CSV in and out. The header row names the columns, in any order; only
// type and value are required. Tags are separated by semicolons. Export
// writes every column, so what it writes imports again unchanged.

// CSVColumns are the columns CSV import reads and export writes.
var CSVColumns = []string{"type", "value", "is_ioc", "tlp", "confidence", "source", "tags", "note", "first_seen", "last_seen"}

// formulaStart are the first characters that make a spreadsheet read a
// cell as a formula (CSV injection): export prefixes such a cell with a
// quote, and import removes that quote again.
const formulaStart = "=+-@\t\r"

// ParseCSV reads indicators from CSV with a header row. Sightings are
// taken as written (validation refuses future ones); now is unused and
// kept so every parser has the same signature.
func ParseCSV(doc []byte, _ time.Time) (Batch, error) {
	var b Batch
	doc = bytes.TrimPrefix(doc, []byte("\ufeff")) // spreadsheets write a byte-order mark
	r := csv.NewReader(bytes.NewReader(doc))
	r.FieldsPerRecord = -1
	header, err := r.Read()
	if err != nil {
		return b, errs.Invalidf("the CSV has no header row: %s", csvProblem(err))
	}
	col := map[string]int{}
	for k, h := range header {
		name := strings.ToLower(strings.TrimSpace(h))
		_, dup := col[name]
		switch {
		case !slices.Contains(CSVColumns, name):
			return b, errs.Invalidf("line 1: column %q is not one Warroom reads; the columns are %s (type and value are required)", h, strings.Join(CSVColumns, ", "))
		case dup:
			return b, errs.Invalidf("line 1: column %q appears twice", h)
		}
		col[name] = k + 1 // 0 means absent
	}
	if col["type"] == 0 || col["value"] == 0 {
		return b, errs.Invalidf("line 1: the header must name the columns type and value (and may name %s)", strings.Join(CSVColumns[2:], ", "))
	}
	for {
		rec, err := r.Read()
		if errors.Is(err, io.EOF) {
			return b, nil
		}
		if err != nil {
			return b, errs.Invalidf("%s", csvProblem(err))
		}
		line, _ := r.FieldPos(0)
		item := fmt.Sprintf("line %d", line)
		if len(rec) == 1 && strings.TrimSpace(rec[0]) == "" {
			continue // a blank line
		}
		if len(rec) > len(header) {
			b.reject(item, "has %d cells but the header names %d columns", len(rec), len(header))
			continue
		}
		cell := func(name string) string {
			k := col[name]
			if k == 0 || k > len(rec) {
				return ""
			}
			v := strings.TrimSpace(rec[k-1])
			if len(v) > 1 && v[0] == '\'' && strings.IndexByte(formulaStart, v[1]) >= 0 {
				v = v[1:]
			}
			return v
		}
		in, problem := csvInput(cell)
		if problem != "" {
			b.reject(item, "%s", problem)
			continue
		}
		if len(in.Value) > 0 && len(in.Value) <= 200 {
			item += ": " + string(in.Type) + " " + in.Value
		}
		b.add(item, in)
	}
}

// csvInput reads one row; problem says what is wrong with it.
func csvInput(cell func(string) string) (Input, string) {
	in := Input{Type: Type(strings.ToLower(cell("type"))), Value: cell("value"), TLP: cell("tlp"), Source: cell("source"), Note: cell("note")}
	if in.Source == "" {
		in.Source = "CSV import"
	}
	if t := tlpFromName(in.TLP); t != "" {
		in.TLP = t
	}
	switch v := strings.ToLower(cell("is_ioc")); v {
	case "":
	case "true", "yes", "1", "ioc":
		in.IsIOC = ptrBool(true)
	case "false", "no", "0", "artifact":
		in.IsIOC = ptrBool(false)
	default:
		return in, fmt.Sprintf("is_ioc %q is not allowed; use true or false (yes/no, 1/0, ioc/artifact)", v)
	}
	if v := cell("confidence"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil {
			return in, fmt.Sprintf("confidence %q is not a whole number 0-100", v)
		}
		in.Confidence = &n
	}
	for _, t := range strings.Split(cell("tags"), ";") {
		if t = strings.TrimSpace(t); t != "" {
			in.Tags = append(in.Tags, t)
		}
	}
	for _, f := range []struct {
		name string
		dst  **time.Time
	}{{"first_seen", &in.FirstSeen}, {"last_seen", &in.LastSeen}} {
		v := cell(f.name)
		if v == "" {
			continue
		}
		t, err := parseCSVTime(v)
		if err != nil {
			return in, fmt.Sprintf("%s %q is not an RFC 3339 time like 2026-11-26T09:00:00Z or a date like 2026-11-26", f.name, v)
		}
		*f.dst = &t
	}
	return in, ""
}

func parseCSVTime(v string) (time.Time, error) {
	if t, err := time.Parse(time.RFC3339Nano, v); err == nil {
		return t, nil
	}
	return time.Parse(time.DateOnly, v)
}

// csvProblem says what the CSV reader did not understand, with its line.
func csvProblem(err error) string {
	var pe *csv.ParseError
	if errors.As(err, &pe) {
		return fmt.Sprintf("line %d, column %d: %s", pe.StartLine, pe.Column, pe.Err.Error())
	}
	if errors.Is(err, io.EOF) {
		return "the document is empty"
	}
	return err.Error()
}

// csvCell guards a cell against being read as a formula by a spreadsheet.
func csvCell(s string) string {
	if s != "" && strings.IndexByte(formulaStart, s[0]) >= 0 {
		return "'" + s
	}
	return s
}

// BuildCSV writes the indicators with every CSV column.
func BuildCSV(items []Indicator) ([]byte, error) {
	var b bytes.Buffer
	w := csv.NewWriter(&b)
	if err := w.Write(CSVColumns); err != nil {
		return nil, err
	}
	for _, x := range items {
		rec := []string{string(x.Type), csvCell(x.Value), strconv.FormatBool(x.IsIOC), x.TLP, strconv.Itoa(x.Confidence), csvCell(x.Source),
			csvCell(strings.Join(x.Tags, ";")), csvCell(x.Note), x.FirstSeen.UTC().Format(time.RFC3339Nano), x.LastSeen.UTC().Format(time.RFC3339Nano)}
		if err := w.Write(rec); err != nil {
			return nil, err
		}
	}
	w.Flush()
	return b.Bytes(), w.Error()
}
