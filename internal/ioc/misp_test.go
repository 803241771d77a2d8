package ioc

import (
	"os"
	"slices"
	"strings"
	"testing"
	"time"
)

// TestParseMISP reads testdata/misp/event.json, a search response with
// one event exercising the attribute types, composites, tags, to_ids in
// both spellings, objects, deleted and unknown attributes.
func TestParseMISP(t *testing.T) {
	doc, err := os.ReadFile("testdata/misp/event.json")
	if err != nil {
		t.Fatal(err)
	}
	b, err := ParseMISP(doc, stixNow)
	if err != nil {
		t.Fatal(err)
	}
	want := []string{
		"ipv4 198.51.100.23", "ipv4 203.0.113.5", "domain update-check.example.net", "ipv4 198.51.100.23",
		"hostname mail.invoices-secure.example.org", "url http://update-check.example.net/a.zip", "email billing@invoices-secure.example.org",
		"filename invoice.pdf.exe", "sha256 275a021bbfb6489e54d471899f7db9d1663fc695ec2fe2a2c4538aabf651fd0f",
		`registry_key HKEY_CURRENT_USER\Software\Microsoft\Windows\CurrentVersion\Run\updater`, "cve CVE-2017-11882",
		"ja3 e7d705a3286e19ea42f587b344ee6865", "other Mozilla/4.0 (compatible; MSIE 6.0)", `user_account ACME\jdoe`,
		"sha1 3395856ce81f2b7382dee72602f798b642f14140", `filepath C:\Users\Public\u.exe`,
	}
	if g := got(b); !slices.Equal(g, want) {
		t.Fatalf("items\n%q\nwant\n%q", g, want)
	}
	c2 := b.Items[0].Input
	if c2.TLP != "amber" || c2.IsIOC == nil || !*c2.IsIOC || c2.Source != "CIRCL-like sharing group" ||
		!slices.Equal(c2.Tags, []string{"misp-galaxy:threat-actor-sofacy"}) || !strings.HasPrefix(c2.Note, "C2\n\nMISP event: Phishing wave") ||
		c2.LastSeen == nil || !c2.LastSeen.Equal(time.Unix(1763630100, 0)) {
		t.Errorf("ip-dst: %+v", c2)
	}
	if p := b.Items[1].Input; !*p.IsIOC || !strings.Contains(p.Note, "With port 4444.") {
		t.Errorf(`to_ids "1" and the port: %+v`, p)
	}
	if u := b.Items[5].Input; u.TLP != "red" || !slices.Contains(u.Tags, "kill-chain:delivery") {
		t.Errorf("the attribute's TLP wins: %+v", u)
	}
	if h := b.Items[4].Input; *h.IsIOC {
		t.Errorf("to_ids false is an artifact: %+v", h)
	}
	if s := b.Items[8].Input; s.FirstSeen == nil || !s.FirstSeen.Equal(time.Date(2026, 11, 19, 8, 30, 0, 0, time.UTC)) ||
		!s.LastSeen.Equal(time.Date(2026, 11, 20, 10, 0, 0, 0, time.UTC)) {
		t.Errorf("first_seen/last_seen: %+v", s)
	}
	if r := b.Items[9].Input; !strings.Contains(r.Note, `With value C:\Users\Public\u.exe.`) {
		t.Errorf("regkey|value note: %q", r.Note)
	}
	if ua := b.Items[12].Input; !slices.Contains(ua.Tags, "user-agent") {
		t.Errorf("user-agent tag: %v", ua.Tags)
	}
	if f := b.Items[15]; !strings.Contains(f.Item, "in object file b0000001") || !strings.Contains(f.Input.Note, "file: dropped by the loader") {
		t.Errorf("object attribute: %+v", f)
	}
	reasons := map[string]string{}
	for _, r := range b.Rejected {
		reasons[r.Item] = r.Reason
	}
	for item, msg := range map[string]string{
		"attribute a0000001-0000-4000-8000-00000000000d": "MISP type pattern-in-file has no Warroom indicator type",
		"attribute a0000001-0000-4000-8000-00000000000e": `ip-dst "not-an-ip": not a valid ipv4`,
		"attribute a0000001-0000-4000-8000-00000000000f": "is deleted in MISP",
	} {
		if !strings.Contains(reasons[item], msg) {
			t.Errorf("%s: %q, want %q", item, reasons[item], msg)
		}
	}
	if len(b.Rejected) != 3 {
		t.Errorf("rejected %+v", b.Rejected)
	}

	t.Run("Shapes", func(t *testing.T) {
		for _, doc := range []string{
			`{"Event": {"info": "x", "Attribute": [{"type": "domain", "value": "a.example.net", "to_ids": true}]}}`,
			`{"info": "x", "Attribute": [{"type": "domain", "value": "a.example.net", "to_ids": true}]}`,
		} {
			b, err := ParseMISP([]byte(doc), stixNow)
			if err != nil || !slices.Equal(got(b), []string{"domain a.example.net"}) {
				t.Errorf("%s: %q %v", doc, got(b), err)
			}
		}
		for doc, msg := range map[string]string{`{"response": []}`: "not a MISP event", `[]`: "not a MISP event", `{"Event": 3}`: "not a MISP event"} {
			if _, err := ParseMISP([]byte(doc), stixNow); err == nil || !strings.Contains(err.Error(), msg) {
				t.Errorf("%s: %v", doc, err)
			}
		}
	})
}

// TestParseCSV covers the header rules and the cell formats.
func TestParseCSV(t *testing.T) {
	b, err := ParseCSV([]byte("\ufeffType, Value ,TLP,first_seen,note\r\n"+
		"IPV4,198.51.100.1,TLP:AMBER+STRICT,2026-11-20,\"multi\nline, with comma\"\r\n"+
		"\r\n"+
		"domain,'=evil.example,,2026-11-20T10:00:00+01:00,\r\n"), stixNow)
	if err != nil {
		t.Fatal(err)
	}
	if g := got(b); !slices.Equal(g, []string{"ipv4 198.51.100.1", "domain =evil.example"}) {
		t.Fatalf("items %q", g)
	}
	first := b.Items[0]
	if first.Item != "line 2: ipv4 198.51.100.1" || first.Input.TLP != "amber_strict" || first.Input.Note != "multi\nline, with comma" ||
		!first.Input.FirstSeen.Equal(time.Date(2026, 11, 20, 0, 0, 0, 0, time.UTC)) {
		t.Errorf("row: %+v", first)
	}
	if b.Items[1].Item != "line 5: domain =evil.example" || !b.Items[1].Input.FirstSeen.Equal(time.Date(2026, 11, 20, 9, 0, 0, 0, time.UTC)) {
		t.Errorf("row after a quoted line break: %+v", b.Items[1])
	}
	for doc, msg := range map[string]string{
		"value\n1.2.3.4\n":         "must name the columns type and value",
		"type,value,type\n":        `column "type" appears twice`,
		"":                         "no header row",
		"type,value\nipv4,1,2,3\n": "",
	} {
		b, err := ParseCSV([]byte(doc), stixNow)
		if msg == "" {
			if err != nil || len(b.Rejected) != 1 || !strings.Contains(b.Rejected[0].Reason, "has 4 cells but the header names 2") {
				t.Errorf("%q: %v %+v", doc, err, b.Rejected)
			}
			continue
		}
		if err == nil || !strings.Contains(err.Error(), msg) {
			t.Errorf("%q: %v, want %q", doc, err, msg)
		}
	}
	out, err := BuildCSV([]Indicator{{Type: Other, Value: "=HYPERLINK(\"x\")", TLP: "red", Tags: []string{"a", "b"}, Note: "@SUM(1)", Source: "-x"}})
	if err != nil || !strings.Contains(string(out), `other,"'=HYPERLINK(""x"")",false,red,0,'-x,a;b,'@SUM(1),`) {
		t.Errorf("formula cells are quoted: %s %v", out, err)
	}
}
