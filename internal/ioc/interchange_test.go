package ioc_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/santhosh-tekuri/jsonschema/v6"

	"github.com/warroom/warroom/internal/db"
	"github.com/warroom/warroom/internal/db/dbtest"
	"github.com/warroom/warroom/internal/errs"
	"github.com/warroom/warroom/internal/incident"
	"github.com/warroom/warroom/internal/ioc"
	"github.com/warroom/warroom/internal/ioc/ioctest"
)

// samples is one valid value of every indicator type.
var samples = map[ioc.Type]string{
	ioc.IPv4: "198.51.100.7", ioc.IPv6: "2001:db8::7", ioc.CIDR: "203.0.113.0/24", ioc.Domain: "c2.evil.example",
	ioc.URL: "https://evil.example/gate.php?id=1", ioc.Email: "billing@invoices-secure.example",
	ioc.MD5: "44d88612fea8a8f36de82e1278abb02f", ioc.SHA1: "3395856ce81f2b7382dee72602f798b642f14140",
	ioc.SHA256: "275a021bbfb6489e54d471899f7db9d1663fc695ec2fe2a2c4538aabf651fd0f", ioc.SHA512: strings.Repeat("c0", 64),
	ioc.Filename: "invoice.pdf.exe", ioc.Filepath: `C:\Users\Public\it's here\a.ps1`,
	ioc.RegistryKey: `HKEY_CURRENT_USER\Software\Microsoft\Windows\CurrentVersion\Run`, ioc.UserAccount: `ACME\svc_backup`,
	ioc.Hostname: "ws-0142", ioc.ProcessName: "rundll32.exe", ioc.CVE: "CVE-2021-44228",
	ioc.JA3: "e7d705a3286e19ea42f587b344ee6865", ioc.JA4: "t13d1516h2_8daaf6152771_e5627efa2ab1", ioc.Other: `Global\MutexX '1'`,
	ioc.StixPattern: "[file:name MATCHES '^inv.*\\\\.exe$'] WITHIN 600 SECONDS",
}

// addEveryType adds one indicator of every type to the incident, with
// every field set and varied: TLP levels, IOC and artifact, tags, times.
func (w *world) addEveryType(ref string) []ioc.Indicator {
	w.t.Helper()
	tlps := []string{"clear", "green", "amber", "amber_strict", "red"}
	var out []ioc.Indicator
	for k, typ := range ioc.Types {
		first, last := w.now.Add(-time.Duration(48+k)*time.Hour), w.now.Add(-time.Duration(k)*time.Minute)
		out = append(out, w.MustAdd("responder", ref, ioc.Input{Type: typ, Value: samples[typ], TLP: tlps[k%len(tlps)], Confidence: ptr(5 * k),
			Source: "EDR alert " + fmt.Sprint(4400+k), FirstSeen: &first, LastSeen: &last, Tags: []string{"t-" + strings.ReplaceAll(string(typ), "_", "-"), "wave:2"},
			Note: fmt.Sprintf("seen on WS-%d; \"quoted\" and 'single'\nsecond line", k), IsIOC: ptr(k%3 != 1)}))
	}
	return out
}

// all lists every indicator of the incident, keyed by "type value".
func (w *world) all(ref string) map[string]ioc.Indicator {
	w.t.Helper()
	page, err := w.iocs.List(w.ctx["admin"], ref, ioc.Filter{Limit: 500})
	if err != nil {
		w.t.Fatal(err)
	}
	out := map[string]ioc.Indicator{}
	for _, x := range page.Items {
		out[string(x.Type)+" "+x.Value] = x
	}
	return out
}

// sameIndicators compares what an export carries; fields says which.
func sameIndicators(t *testing.T, want []ioc.Indicator, got map[string]ioc.Indicator, fields ...string) {
	t.Helper()
	if len(got) != len(want) {
		t.Errorf("%d indicators came back, want %d", len(got), len(want))
	}
	for _, x := range want {
		y, ok := got[string(x.Type)+" "+x.Value]
		if !ok {
			t.Errorf("%s %s did not come back", x.Type, x.Value)
			continue
		}
		for _, f := range fields {
			var a, b any
			switch f {
			case "tlp":
				a, b = x.TLP, y.TLP
			case "is_ioc":
				a, b = x.IsIOC, y.IsIOC
			case "tags":
				a, b = strings.Join(x.Tags, ","), strings.Join(y.Tags, ",")
			case "confidence":
				a, b = x.Confidence, y.Confidence
			case "source":
				a, b = x.Source, y.Source
			case "note":
				a, b = x.Note, y.Note
			case "note_contains":
				a, b = true, strings.Contains(y.Note, x.Note)
			case "seen":
				a, b = x.FirstSeen.String()+" "+x.LastSeen.String(), y.FirstSeen.String()+" "+y.LastSeen.String()
			}
			if a != b {
				t.Errorf("%s %s: %s %v came back as %v", x.Type, x.Value, f, a, b)
			}
		}
	}
}

func stixSchema(t *testing.T) *jsonschema.Schema {
	t.Helper()
	c := jsonschema.NewCompiler()
	sch, err := c.Compile("testdata/stix-schema/bundle.json")
	if err != nil {
		t.Fatalf("compile the STIX schemas: %v", err)
	}
	return sch
}

// validateSTIX checks a bundle against the schemas in testdata and the
// rules JSON Schema cannot say: modified not before created, and
// deterministic (version 5) UUIDs.
func validateSTIX(t *testing.T, sch *jsonschema.Schema, doc []byte) {
	t.Helper()
	inst, err := jsonschema.UnmarshalJSON(bytes.NewReader(doc))
	if err != nil {
		t.Fatal(err)
	}
	if err := sch.Validate(inst); err != nil {
		t.Fatalf("the export does not validate: %v", err)
	}
	var b struct {
		Objects []map[string]any `json:"objects"`
	}
	if err := json.Unmarshal(doc, &b); err != nil {
		t.Fatal(err)
	}
	v5 := regexp.MustCompile(`--[0-9a-f]{8}-[0-9a-f]{4}-5`)
	for _, o := range b.Objects {
		id, _ := o["id"].(string)
		if c, m := o["created"], o["modified"]; c != nil && m != nil && m.(string) < c.(string) {
			t.Errorf("%s: modified %v before created %v", id, m, c)
		}
		if o["type"] != "marking-definition" && !v5.MatchString(id) {
			t.Errorf("%s is not a UUIDv5", id)
		}
	}
}

// TestExportRoundTrip exports one indicator of every type as STIX, CSV
// and MISP, checks the STIX bundle against the schemas, and imports each
// export into a fresh incident: the same indicators come back.
func TestExportRoundTrip(t *testing.T) {
	sch := stixSchema(t)
	dbtest.ForEachDialect(t, func(t *testing.T, d *db.DB) {
		w := newWorld(t, d)
		src := w.declare("admin", "Source of the export", false)
		want := w.addEveryType(src.Ref)

		t.Run("STIX", func(t *testing.T) {
			out, err := w.iocs.Export(w.ctx["viewer"], src.Ref, ioc.ExportRequest{Format: ioc.FormatSTIX, All: true})
			if err != nil {
				t.Fatal(err)
			}
			if out.ContentType != "application/stix+json;version=2.1" || out.Filename != src.Ref+"-indicators.stix.json" || out.Count != len(ioc.Types) {
				t.Errorf("export: %s %s %d", out.ContentType, out.Filename, out.Count)
			}
			validateSTIX(t, sch, out.Body)
			again, _ := w.iocs.Export(w.ctx["admin"], src.Ref, ioc.ExportRequest{Format: ioc.FormatSTIX, All: true})
			if !bytes.Equal(out.Body, again.Body) {
				t.Error("two exports of the same indicators differ: IDs are not deterministic")
			}
			for _, x := range want {
				if x.IsIOC && !bytes.Contains(out.Body, []byte(`"pattern_type": "stix"`)) {
					t.Fatal("no STIX pattern")
				}
			}
			dst := w.declare("admin", "STIX round trip", false)
			rep, err := w.iocs.Import(w.ctx["responder"], dst.Ref, ioc.FormatSTIX, out.Body)
			if err != nil || rep.Took != len(want) || rep.Merged != 0 || len(rep.Rejected) != 0 {
				t.Fatalf("import: %+v, %v", rep, err)
			}
			sameIndicators(t, want, w.all(dst.Ref), "tlp", "is_ioc", "tags", "confidence", "source", "note", "seen")
			// A second import merges into the same indicators.
			rep, err = w.iocs.Import(w.ctx["responder"], dst.Ref, ioc.FormatSTIX, out.Body)
			if err != nil || rep.Took != 0 || rep.Merged != len(want) {
				t.Errorf("re-import: %+v, %v", rep, err)
			}
		})

		t.Run("CSV", func(t *testing.T) {
			out, err := w.iocs.Export(w.ctx["viewer"], src.Ref, ioc.ExportRequest{Format: ioc.FormatCSV, All: true})
			if err != nil || out.ContentType != "text/csv; charset=utf-8" {
				t.Fatal(out.ContentType, err)
			}
			if !strings.HasPrefix(string(out.Body), "type,value,is_ioc,tlp,confidence,source,tags,note,first_seen,last_seen\n") {
				t.Errorf("header: %.100s", out.Body)
			}
			dst := w.declare("admin", "CSV round trip", false)
			rep, err := w.iocs.Import(w.ctx["responder"], dst.Ref, ioc.FormatCSV, out.Body)
			if err != nil || rep.Took != len(want) || len(rep.Rejected) != 0 {
				t.Fatalf("import: %+v, %v", rep, err)
			}
			sameIndicators(t, want, w.all(dst.Ref), "tlp", "is_ioc", "tags", "confidence", "source", "note", "seen")
		})

		t.Run("MISP", func(t *testing.T) {
			out, err := w.iocs.Export(w.ctx["viewer"], src.Ref, ioc.ExportRequest{Format: ioc.FormatMISP, All: true})
			if err != nil {
				t.Fatal(err)
			}
			var ev struct {
				Event struct {
					Info      string `json:"info"`
					Attribute []struct {
						Type  string `json:"type"`
						ToIDs bool   `json:"to_ids"`
					} `json:"Attribute"`
				} `json:"Event"`
			}
			if err := json.Unmarshal(out.Body, &ev); err != nil || ev.Event.Info != src.Ref+": Source of the export" || len(ev.Event.Attribute) != len(want) {
				t.Fatalf("event: %+v %v", ev, err)
			}
			dst := w.declare("admin", "MISP round trip", false)
			rep, err := w.iocs.Import(w.ctx["responder"], dst.Ref, ioc.FormatMISP, out.Body)
			if err != nil || rep.Took != len(want) || len(rep.Rejected) != 0 {
				t.Fatalf("import: %+v, %v", rep, err)
			}
			// MISP has no confidence, and the source is the event's creator.
			sameIndicators(t, want, w.all(dst.Ref), "tlp", "is_ioc", "tags", "note_contains", "seen")
		})

		t.Run("ListAndFilters", func(t *testing.T) {
			out, err := w.iocs.Export(w.ctx["viewer"], src.Ref, ioc.ExportRequest{Format: ioc.FormatList, Type: ioc.Domain})
			if err != nil || string(out.Body) != "c2.evil.example\n" || out.Filename != src.Ref+"-indicators-domain.txt" {
				t.Errorf("domain list: %q %s %v", out.Body, out.Filename, err)
			}
			// Without --all only indicators of compromise; no STIX patterns in a list.
			out, _ = w.iocs.Export(w.ctx["viewer"], src.Ref, ioc.ExportRequest{Format: ioc.FormatList})
			lines := strings.Split(strings.TrimSpace(string(out.Body)), "\n")
			iocs := 0
			for _, x := range want {
				if x.IsIOC && x.Type != ioc.StixPattern {
					iocs++
				}
				if !x.IsIOC && slices.Contains(lines, x.Value) {
					t.Errorf("artifact %s in the IOC list", x.Value)
				}
			}
			if len(lines) != iocs || slices.Contains(lines, samples[ioc.StixPattern]) {
				t.Errorf("list of %d, want %d: %q", len(lines), iocs, lines)
			}
			for _, req := range []ioc.ExportRequest{{Format: "yaml"}, {Format: ""}, {Format: ioc.FormatList, Type: "colour"}, {Format: ioc.FormatText}} {
				if _, err := w.iocs.Export(w.ctx["viewer"], src.Ref, req); errs.CodeOf(err) != errs.Invalid {
					t.Errorf("%+v: %v", req, err)
				}
			}
			_, err = w.iocs.Export(w.ctx["viewer"], src.Ref, ioc.ExportRequest{Format: "yaml"})
			if !strings.Contains(fmt.Sprint(errs.FieldsOf(err)), "use one of stix, csv, misp, list") {
				t.Errorf("bad format: %v", errs.FieldsOf(err))
			}
		})
	})
}

// TestImport covers the import service: one transaction and one timeline
// entry, merging, specific rejections, limits and need-to-know.
func TestImport(t *testing.T) {
	dbtest.ForEachDialect(t, func(t *testing.T, d *db.DB) {
		w := newWorld(t, d)
		entries := func(ref string) []incident.Entry {
			p, err := w.incidents.Timeline(w.ctx["admin"], ref, incident.TimelineFilter{Kinds: []string{ioc.KindImported, ioc.KindAdded, ioc.KindMerged}, Limit: 500})
			if err != nil {
				t.Fatal(err)
			}
			return p.Items
		}

		t.Run("OKPoisonIvy", func(t *testing.T) {
			doc, err := os.ReadFile(filepath.Join(ioctest.StixExamplesDir(t), "poisonivy.json"))
			if err != nil {
				t.Fatal(err)
			}
			rep, err := w.iocs.Import(w.ctx["responder"], w.a.Ref, ioc.FormatSTIX, doc)
			if err != nil || rep.Took != 50 || rep.Merged != 22 || len(rep.Rejected) != 1 || rep.Ignored["relationship"] != 90 {
				t.Fatalf("report %+v, %v", rep, err)
			}
			es := entries(w.a.Ref)
			if len(es) != 1 || es[0].Kind != ioc.KindImported || es[0].Text != "Indicators imported from STIX: 50 added, 22 merged, 1 rejected" {
				t.Fatalf("timeline: %+v", es)
			}
			var p struct {
				Took  int `json:"took"`
				Items []struct {
					Type, Value string
				} `json:"items"`
				Rejections []ioc.Rejection `json:"rejections"`
			}
			if err := json.Unmarshal(es[0].Payload, &p); err != nil || p.Took != 50 || len(p.Items) != 72 || len(p.Rejections) != 1 ||
				!strings.Contains(p.Rejections[0].Reason, "autuo.xicp.net") {
				t.Errorf("payload: %s", es[0].Payload)
			}
			all := w.all(w.a.Ref)
			x := all["ipv4 113.10.246.30"]
			if x.TLP != "green" || !x.IsIOC || x.Source != "FireEye, Inc." || !slices.Contains(x.Tags, "campaign:admin-338") {
				t.Errorf("imported: %+v", x)
			}
			if !strings.Contains(x.Note, `Reported in "Poison Ivy: Assessing Damage and Extracting Intelligence".`) {
				t.Errorf("note: %q", x.Note)
			}
			if cve := all["cve CVE-2012-0158"]; cve.IsIOC {
				t.Errorf("CVE is an artifact: %+v", cve)
			}
		})

		t.Run("OKCSVRejectsByLine", func(t *testing.T) {
			doc := "value,type,tags,confidence,is_ioc\n" +
				"evil.example,domain,c2;phishing,80,true\n" +
				"300.1.1.1,ipv4,,,\n" +
				"EVIL.example.,domain,wave:2,,\n" +
				"x,ipv4,,abc,\n" +
				"1.2.3.4,ipv4,,150,\n" +
				"1.2.3.5,ipv4,,,maybe\n" +
				"=cmd|' /C calc'!A0,other,,,\n"
			rep, err := w.iocs.Import(w.ctx["admin"], w.b.Ref, ioc.FormatCSV, []byte(doc))
			if err != nil || rep.Took != 2 || rep.Merged != 1 {
				t.Fatalf("report %+v, %v", rep, err)
			}
			want := map[string]string{"line 3": "not an IPv4 address", "line 5": `confidence "abc" is not a whole number`,
				"line 6": "confidence 150 is not allowed", "line 7": `is_ioc "maybe" is not allowed`}
			if len(rep.Rejected) != len(want) {
				t.Errorf("rejected %+v", rep.Rejected)
			}
			for _, r := range rep.Rejected {
				line := r.Item
				if i := strings.Index(line, ":"); i > 0 {
					line = line[:i]
				}
				if !strings.Contains(r.Reason, want[line]) || want[line] == "" {
					t.Errorf("%s: %q, want %q", r.Item, r.Reason, want[line])
				}
			}
			x := w.all(w.b.Ref)["domain evil.example"]
			if x.Confidence != 80 || strings.Join(x.Tags, ",") != "c2,phishing,wave:2" || x.Source != "CSV import" {
				t.Errorf("merged within the import: %+v", x)
			}
		})

		t.Run("OKText", func(t *testing.T) {
			rep, err := w.iocs.Import(w.ctx["admin"], w.b.Ref, ioc.FormatText, []byte("C2 at hxxp://cdn.evil-update[.]top/x from 10.0.4.2\n"))
			if err != nil || rep.Took != 1 || len(rep.Rejected) != 1 || !strings.Contains(rep.Rejected[0].Reason, "private address") ||
				rep.Rejected[0].Item != "line 1: 10.0.4.2" {
				t.Errorf("report %+v, %v", rep, err)
			}
		})

		t.Run("NothingTakenNothingRecorded", func(t *testing.T) {
			before := len(entries(w.b.Ref))
			rep, err := w.iocs.Import(w.ctx["admin"], w.b.Ref, ioc.FormatCSV, []byte("type,value\nipv4,999.1.1.1\n"))
			if err != nil || rep.Took+rep.Merged != 0 || len(rep.Rejected) != 1 || len(entries(w.b.Ref)) != before {
				t.Errorf("report %+v, %v", rep, err)
			}
		})

		t.Run("ErrInvalid", func(t *testing.T) {
			before := len(entries(w.b.Ref))
			big := "type,value\n" + strings.Repeat("ipv4,198.51.100.1\n", ioc.MaxImportItems+1)
			for name, c := range map[string]struct {
				f    ioc.Format
				doc  string
				code errs.Code
				msg  string
			}{
				"format":     {"yaml", "a: 1", errs.Invalid, "use one of stix, misp, csv, text"},
				"empty":      {ioc.FormatSTIX, "  ", errs.Invalid, "empty"},
				"not json":   {ioc.FormatSTIX, "<xml/>", errs.Invalid, "not a STIX bundle"},
				"not misp":   {ioc.FormatMISP, `{"foo": 1}`, errs.Invalid, "not a MISP event"},
				"header":     {ioc.FormatCSV, "kind,value\n", errs.Invalid, `column "kind" is not one Warroom reads`},
				"csv quotes": {ioc.FormatCSV, "type,value\nipv4,\"1.2.3.4\n", errs.Invalid, "line 2"},
				"too many":   {ioc.FormatCSV, big, errs.Invalid, "the limit is 10000 per import"},
				"too big":    {ioc.FormatText, strings.Repeat("x", ioc.MaxImportBytes+1), errs.TooLarge, "the limit is"},
			} {
				_, err := w.iocs.Import(w.ctx["admin"], w.b.Ref, c.f, []byte(c.doc))
				if errs.CodeOf(err) != c.code || !strings.Contains(err.Error()+fmt.Sprint(errs.FieldsOf(err)), c.msg) {
					t.Errorf("%s: %v %v, want %s %q", name, err, errs.FieldsOf(err), c.code, c.msg)
				}
			}
			if len(entries(w.b.Ref)) != before {
				t.Error("a failed import changed the timeline")
			}
		})

		t.Run("ErrNeedToKnow", func(t *testing.T) {
			doc := []byte("type,value\nipv4,198.51.100.77\n")
			if _, err := w.iocs.Import(w.ctx["viewer"], w.a.Ref, ioc.FormatCSV, doc); errs.CodeOf(err) != errs.Forbidden {
				t.Errorf("viewer imports: %v", err)
			}
			for _, c := range []struct{ who, ref string }{{"nonmember", w.r.Ref}, {"outsider", w.b.Ref}} {
				if _, err := w.iocs.Import(w.ctx[c.who], c.ref, ioc.FormatCSV, doc); errs.CodeOf(err) != errs.NotFound {
					t.Errorf("%s imports into %s: %v", c.who, c.ref, err)
				}
				if _, err := w.iocs.Export(w.ctx[c.who], c.ref, ioc.ExportRequest{Format: ioc.FormatCSV}); errs.CodeOf(err) != errs.NotFound {
					t.Errorf("%s exports %s: %v", c.who, c.ref, err)
				}
			}
			if _, err := w.iocs.Export(w.ctx["viewer"], w.r.Ref, ioc.ExportRequest{Format: ioc.FormatList}); err != nil {
				t.Errorf("a viewer on the roster exports: %v", err)
			}
		})
	})
}
