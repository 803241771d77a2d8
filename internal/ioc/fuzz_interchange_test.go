package ioc

import (
	"slices"
	"strings"
	"testing"
)

// checkBatch holds for every parser: no item without a place in the
// document, no rejection without a reason, and (knownTypes) no type
// Warroom does not know. CSV passes the type column through for the
// service's validation to reject with the others.
func checkBatch(t *testing.T, b Batch, knownTypes bool) {
	t.Helper()
	for _, it := range b.Items {
		if knownTypes && !slices.Contains(Types, it.Input.Type) || it.Item == "" {
			t.Fatalf("item %q of type %q", it.Item, it.Input.Type)
		}
		if it.Input.Type == StixPattern {
			if _, err := Normalize(StixPattern, it.Input.Value); err != nil && !strings.Contains(err.Error(), "bytes long") {
				t.Fatalf("a kept pattern does not parse: %q: %v", it.Input.Value, err)
			}
		}
	}
	for _, r := range b.Rejected {
		if r.Item == "" || r.Reason == "" {
			t.Fatalf("rejection without item or reason: %+v", r)
		}
	}
}

// FuzzSTIX checks that STIX import never panics and that what it returns
// is consistent (checkBatch). Seeds are in testdata/fuzz/FuzzSTIX.
func FuzzSTIX(f *testing.F) {
	f.Add([]byte(`{"type":"bundle","id":"bundle--1","objects":[{"type":"indicator","id":"indicator--1","pattern":"[url:value = 'http://a.example/']","pattern_type":"stix","valid_from":"2026-01-01T00:00:00Z"}]}`))
	f.Fuzz(func(t *testing.T, doc []byte) {
		if len(doc) > 1<<16 {
			return
		}
		b, err := ParseSTIX(doc, stixNow)
		if err == nil {
			checkBatch(t, b, true)
		}
	})
}

// FuzzMISP checks that MISP import never panics and is consistent.
// Seeds are in testdata/fuzz/FuzzMISP.
func FuzzMISP(f *testing.F) {
	f.Add([]byte(`{"Event":{"info":"x","Tag":[{"name":"tlp:green"}],"Attribute":[{"type":"filename|md5","value":"a.exe|44d88612fea8a8f36de82e1278abb02f","to_ids":"1"}]}}`))
	f.Fuzz(func(t *testing.T, doc []byte) {
		if len(doc) > 1<<16 {
			return
		}
		b, err := ParseMISP(doc, stixNow)
		if err == nil {
			checkBatch(t, b, true)
		}
	})
}

// FuzzCSV checks that CSV import never panics, that every item and
// rejection names its line, and that an export of valid rows reads back.
// Seeds are in testdata/fuzz/FuzzCSV.
func FuzzCSV(f *testing.F) {
	f.Add([]byte("type,value,tags\nipv4,198.51.100.1,a;b\n"))
	f.Fuzz(func(t *testing.T, doc []byte) {
		if len(doc) > 1<<16 {
			return
		}
		b, err := ParseCSV(doc, stixNow)
		if err != nil {
			return
		}
		checkBatch(t, b, false)
		var valid []Indicator
		for _, it := range b.Items {
			if !strings.HasPrefix(it.Item, "line ") {
				t.Fatalf("item %q does not name its line", it.Item)
			}
			in := it.Input
			if _, err := prepareInput(&in, stixNow); err == nil {
				valid = append(valid, Indicator{Type: in.Type, Value: in.Value, TLP: "amber", Tags: []string{}})
			}
		}
		out, err := BuildCSV(valid)
		if err != nil {
			t.Fatal(err)
		}
		back, err := ParseCSV(out, stixNow)
		if err != nil || len(back.Items) != len(valid) {
			t.Fatalf("export of %d valid rows reads back as %d: %v\n%s", len(valid), len(back.Items), err, out)
		}
		for k, it := range back.Items {
			if it.Input.Type != valid[k].Type || it.Input.Value != strings.TrimSpace(valid[k].Value) {
				t.Fatalf("row %d: %s %q came back as %s %q", k, valid[k].Type, valid[k].Value, it.Input.Type, it.Input.Value)
			}
		}
	})
}
