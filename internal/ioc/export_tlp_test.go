package ioc_test

import (
	"slices"
	"strings"
	"testing"

	"github.com/warroom/warroom/internal/db"
	"github.com/warroom/warroom/internal/db/dbtest"
	"github.com/warroom/warroom/internal/errs"
	"github.com/warroom/warroom/internal/ioc"
)

// TestExportMaxTLP: an export for sharing leaves out what is marked more
// restrictively than asked, and a bad marking is refused by name.
func TestExportMaxTLP(t *testing.T) {
	dbtest.ForEachDialect(t, func(t *testing.T, d *db.DB) {
		w := newWorld(t, d)
		for _, x := range []struct{ value, tlp string }{{"clear.example", "clear"}, {"green.example", "green"}, {"amber.example", "amber"},
			{"strict.example", "amber_strict"}, {"red.example", "red"}} {
			w.MustAdd("responder", w.a.Ref, ioc.Input{Type: "domain", Value: x.value, TLP: x.tlp})
		}
		for maxTLP, want := range map[string]string{"": "amber.example\nclear.example\ngreen.example\nred.example\nstrict.example",
			"green": "clear.example\ngreen.example", "amber": "amber.example\nclear.example\ngreen.example", "red": "amber.example\nclear.example\ngreen.example\nred.example\nstrict.example"} {
			out, err := w.iocs.Export(w.ctx["viewer"], w.a.Ref, ioc.ExportRequest{Format: ioc.FormatList, Type: "domain", MaxTLP: maxTLP})
			if err != nil {
				t.Fatal(err)
			}
			lines := strings.Fields(string(out.Body))
			if got := strings.Join(slices.Sorted(slices.Values(lines)), "\n"); got != want || out.Count != len(lines) {
				t.Errorf("max_tlp %q: %q (count %d)", maxTLP, got, out.Count)
			}
		}
		_, err := w.iocs.Export(w.ctx["viewer"], w.a.Ref, ioc.ExportRequest{Format: ioc.FormatCSV, MaxTLP: "white"})
		if errs.CodeOf(err) != errs.Invalid || len(errs.FieldsOf(err)) != 1 || errs.FieldsOf(err)[0].Field != "max_tlp" {
			t.Errorf("max_tlp white: %v", err)
		}
	})
}
