package main

import (
	"encoding/json"
	"fmt"
	"strings"
	"text/tabwriter"
	"time"
)

func (a *app) printJSON(v any) error {
	enc := json.NewEncoder(a.stdout)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(v)
}

// print writes v as JSON, or calls table for the human format.
func (a *app) print(v any, table func()) error {
	if a.output == "json" {
		return a.printJSON(v)
	}
	table()
	return nil
}

type table struct{ w *tabwriter.Writer }

func (a *app) table(headers ...string) *table {
	t := &table{w: tabwriter.NewWriter(a.stdout, 0, 0, 2, ' ', 0)}
	fmt.Fprintln(t.w, strings.Join(headers, "\t"))
	return t
}

func (t *table) row(cells ...any) {
	s := make([]string, len(cells))
	for i, c := range cells {
		switch v := c.(type) {
		case time.Time:
			s[i] = when(v)
		case *time.Time:
			if v != nil {
				s[i] = when(*v)
			}
		case string:
			s[i] = strings.ReplaceAll(v, "\t", " ")
		default:
			s[i] = fmt.Sprint(v)
		}
		if s[i] == "" {
			s[i] = "-"
		}
	}
	fmt.Fprintln(t.w, strings.Join(s, "\t"))
}

func (t *table) flush() { _ = t.w.Flush() }

// when formats a time for tables: local time, minute precision.
func when(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.Local().Format("2006-01-02 15:04")
}

func truncate(s string, n int) string {
	s = strings.Join(strings.Fields(s), " ")
	if r := []rune(s); len(r) > n {
		return string(r[:n-1]) + "…"
	}
	return s
}
