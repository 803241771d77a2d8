package ioc

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/warroom/warroom/internal/ioc/ioctest"
)

var stixNow = time.Date(2026, 11, 26, 9, 0, 0, 0, time.UTC)

func readExample(t *testing.T, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(ioctest.StixExamplesDir(t), name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// got lists a batch's items as "type value", in order.
func got(b Batch) []string {
	out := make([]string, len(b.Items))
	for i, it := range b.Items {
		out[i] = string(it.Input.Type) + " " + it.Input.Value
	}
	return out
}

func find(t *testing.T, b Batch, typ Type, value string) Input {
	t.Helper()
	for _, it := range b.Items {
		if it.Input.Type == typ && it.Input.Value == value {
			return it.Input
		}
	}
	t.Fatalf("no %s %s in %q", typ, value, got(b))
	return Input{}
}

// TestSTIXExamples imports every OASIS example bundle and checks what
// each gives, value by value for the small ones and by count (with
// samples) for the two real reports.
func TestSTIXExamples(t *testing.T) {
	files, _ := filepath.Glob(filepath.Join(ioctest.StixExamplesDir(t), "*.json"))
	checked := map[string]bool{}
	check := func(name string, fn func(t *testing.T, b Batch)) {
		checked[name] = true
		t.Run(name, func(t *testing.T) {
			b, err := ParseSTIX(readExample(t, name), stixNow)
			if err != nil {
				t.Fatal(err)
			}
			fn(t, b)
		})
	}
	check("indicator-for-c2-ip-address.json", func(t *testing.T, b Batch) {
		if g := got(b); !slices.Equal(g, []string{"ipv4 10.0.0.0"}) || len(b.Rejected) != 0 {
			t.Fatalf("items %q, rejected %v", g, b.Rejected)
		}
		in := b.Items[0].Input
		if in.Note != "IP Address for known C2 channel\n\nTest description C2 channel." || !slices.Equal(in.Tags, []string{"malicious-activity"}) ||
			in.FirstSeen == nil || !in.FirstSeen.Equal(time.Date(2014, 5, 8, 9, 0, 0, 0, time.UTC)) || in.IsIOC != nil || in.Source != "STIX import" {
			t.Errorf("input: %+v", in)
		}
		if !strings.HasPrefix(b.Items[0].Item, "indicator--33fe3b22-0201-47cf-85d0-97c02164528d") {
			t.Errorf("item %q", b.Items[0].Item)
		}
	})
	check("indicator-to-campaign-relationship.json", func(t *testing.T, b Batch) {
		in := find(t, b, IPv4, "10.0.0.0")
		if len(b.Items) != 1 || !slices.Equal(in.Tags, []string{"malicious-activity", "campaign:operation-omega"}) ||
			!strings.Contains(in.Note, `Indicates campaign "Operation Omega".`) {
			t.Errorf("input: %+v", in)
		}
		if b.Ignored["campaign"] != 1 || b.Ignored["relationship"] != 1 {
			t.Errorf("ignored %v", b.Ignored)
		}
	})
	check("indicators-for-C2-with-COA.json", func(t *testing.T, b Batch) {
		if g := got(b); !slices.Equal(g, []string{"ipv4 10.0.0.0", "sha256 ef537f25c895bfa782526529a9b63d97aa631564d5d789c2b765448c8635fb6c"}) {
			t.Fatalf("items %q", g)
		}
		for _, it := range b.Items {
			if it.Input.Source != "The MITRE Corporation - DHS Support Team" || !slices.Contains(it.Input.Tags, "malware:poison-ivy") {
				t.Errorf("%s: %+v", it.Item, it.Input)
			}
		}
		if b.Ignored["course-of-action"] != 1 || b.Ignored["relationship"] != 3 || b.Ignored["malware"] != 1 || b.Ignored["identity"] != 1 {
			t.Errorf("ignored %v", b.Ignored)
		}
	})
	check("infrastructure.json", func(t *testing.T, b Batch) {
		if g := got(b); !slices.Equal(g, []string{"ipv4 198.51.100.3", "domain example.com"}) {
			t.Fatalf("items %q", g)
		}
		ip, dom := b.Items[0].Input, b.Items[1].Input
		// An infrastructure consists of them: indicators of compromise.
		if ip.IsIOC == nil || !*ip.IsIOC || !slices.Equal(ip.Tags, []string{"infrastructure:poison-ivy-c2"}) ||
			!strings.Contains(ip.Note, `Part of infrastructure "Poison Ivy C2" (command-and-control).`) {
			t.Errorf("ip: %+v", ip)
		}
		if dom.IsIOC == nil || !*dom.IsIOC || !slices.Equal(dom.Tags, []string{"infrastructure:example-target-list-hosting"}) {
			t.Errorf("domain: %+v", dom)
		}
	})
	check("malicious-email-indicator-with-attachment.json", func(t *testing.T, b Batch) {
		want := []string{
			`stix_pattern [email-message:subject MATCHES '^[IMPORTANT] Please Review Before']`,
			`stix_pattern [email-message:body_multipart[*].body_raw_ref.name MATCHES '^Final Report.+\\.exe$']`,
		}
		if g := got(b); !slices.Equal(g, want) || len(b.Rejected) != 0 {
			t.Fatalf("items %q, rejected %v", g, b.Rejected)
		}
		for _, it := range b.Items {
			if _, err := Normalize(StixPattern, it.Input.Value); err != nil || !slices.Contains(it.Input.Tags, "attack-pattern:phishing") {
				t.Errorf("%s: %v %+v", it.Item, err, it.Input)
			}
		}
	})
	check("apt1.json", func(t *testing.T, b Batch) {
		count := map[Type]int{}
		for _, it := range b.Items {
			count[it.Input.Type]++
		}
		if len(b.Items) != 12 || count[CIDR] != 4 || count[Domain] != 3 || count[MD5] != 3 || count[StixPattern] != 2 || len(b.Rejected) != 0 {
			t.Fatalf("items %q, rejected %v", got(b), b.Rejected)
		}
		find(t, b, CIDR, "223.166.0.0/15")
		find(t, b, MD5, "001dd76872d80801692ff942308c64e6")
		if in := find(t, b, Domain, "hugesoft.org"); !slices.Contains(in.Tags, "threat-actor:ugly-gorilla") ||
			!strings.Contains(in.Note, `Reported in "APT1: Exposing One of China's Cyber Espionage Units".`) || in.Source != "STIX import" {
			t.Errorf("hugesoft.org: %+v", in)
		}
		// Issuer AND serial number describe one certificate: kept whole.
		find(t, b, StixPattern, "[x509-certificate:issuer = 'CN=WEBMAIL' AND x509-certificate:serial_number = '4c:0b:1d:19:74:86:a7:66:b4:1a:bf:40:27:21:76:28']")
		if b.Ignored["relationship"] != 30 || b.Ignored["threat-actor"] != 5 || b.Ignored["report"] != 1 {
			t.Errorf("ignored %v", b.Ignored)
		}
	})
	check("poisonivy.json", func(t *testing.T, b Batch) {
		// 67 literals in 25 indicators (OR lists), one of them not a
		// domain; six vulnerabilities named by CVE ID.
		distinct := map[string]bool{}
		for _, g := range got(b) {
			distinct[g] = true
		}
		if len(b.Items) != 72 || len(distinct) != 50 || len(b.Rejected) != 1 {
			t.Fatalf("%d items (%d distinct), rejected %v", len(b.Items), len(distinct), b.Rejected)
		}
		r := b.Rejected[0]
		if !strings.HasPrefix(r.Item, "indicator--4e4c4ad7-4909-456a-b6fa-e24a6f682a40") || !strings.Contains(r.Item, "alternative 1 of 2") ||
			!strings.Contains(r.Reason, `domain-name:value = 'domain autuo.xicp.net': not a valid domain`) {
			t.Errorf("rejection %+v", r)
		}
		find(t, b, IPv4, "60.10.1.115") // the other alternative of that indicator
		find(t, b, Filename, "CBricksDoc")
		if in := find(t, b, Domain, "www.webserver.dynssl.com"); !slices.Contains(in.Tags, "campaign:admin-338") || !slices.Contains(in.Tags, "attribution") {
			t.Errorf("tags: %v", in.Tags)
		}
		if cve := find(t, b, CVE, "CVE-2012-0158"); cve.IsIOC == nil || *cve.IsIOC {
			t.Errorf("a vulnerability is an artifact: %+v", cve)
		}
	})
	for _, f := range files {
		if !checked[filepath.Base(f)] {
			t.Errorf("%s has no test", filepath.Base(f))
		}
	}
}

// TestSTIXImportRules covers what the examples do not: markings, lone
// objects, STIX 2.0, revoked and non-STIX indicators, observables, and
// documents that are not STIX at all.
func TestSTIXImportRules(t *testing.T) {
	parse := func(t *testing.T, doc string) Batch {
		t.Helper()
		b, err := ParseSTIX([]byte(doc), stixNow)
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	t.Run("TLP", func(t *testing.T) {
		b := parse(t, `{"type":"bundle","id":"bundle--1","objects":[
			{"type":"indicator","id":"indicator--a","pattern":"[ipv4-addr:value = '192.0.2.1']","pattern_type":"stix","valid_from":"2026-01-01T00:00:00Z",
			 "object_marking_refs":["marking-definition--34098fce-860f-48ae-8e50-ebd3cc5e41da","marking-definition--939a9414-2ddd-4d32-a0cd-375ea402b003"]},
			{"type":"indicator","id":"indicator--b","pattern":"[ipv4-addr:value = '192.0.2.2']","pattern_type":"stix","valid_from":"2026-01-01T00:00:00Z",
			 "object_marking_refs":["marking-definition--613f2e26-407d-48c7-9eca-b8e91df99dc9"]},
			{"type":"indicator","id":"indicator--c","pattern":"[ipv4-addr:value = '192.0.2.3']","pattern_type":"stix","valid_from":"2026-01-01T00:00:00Z",
			 "object_marking_refs":["marking-definition--x1"]},
			{"type":"marking-definition","id":"marking-definition--x1","definition_type":"tlp","definition":{"tlp":"red"}},
			{"type":"indicator","id":"indicator--d","pattern":"[ipv4-addr:value = '192.0.2.4']","pattern_type":"stix","valid_from":"2999-01-01T00:00:00Z",
			 "confidence":85,"object_marking_refs":["marking-definition--x2"]},
			{"type":"marking-definition","id":"marking-definition--x2","name":"TLP:AMBER"}]}`)
		want := map[string]string{"192.0.2.1": "amber_strict", "192.0.2.2": "clear", "192.0.2.3": "red", "192.0.2.4": "amber"}
		for _, it := range b.Items {
			if it.Input.TLP != want[it.Input.Value] {
				t.Errorf("%s: TLP %q, want %q", it.Input.Value, it.Input.TLP, want[it.Input.Value])
			}
		}
		d := find(t, b, IPv4, "192.0.2.4")
		if d.FirstSeen != nil || d.Confidence == nil || *d.Confidence != 85 {
			t.Errorf("a future valid_from is no sighting; confidence kept: %+v", d)
		}
	})
	t.Run("LoneObjectAndSTIX20", func(t *testing.T) {
		b := parse(t, `{"type":"indicator","id":"indicator--e","labels":["malicious-activity"],"pattern":"[url:value = 'http://evil.example/x']","valid_from":"2017-01-01T00:00:00Z"}`)
		if g := got(b); !slices.Equal(g, []string{"url http://evil.example/x"}) || !slices.Equal(b.Items[0].Input.Tags, []string{"malicious-activity"}) {
			t.Errorf("items %q %+v", g, b.Items)
		}
	})
	t.Run("Rejected", func(t *testing.T) {
		b := parse(t, `{"type":"bundle","id":"bundle--1","objects":[
			{"type":"indicator","id":"indicator--y","pattern":"rule x { condition: true }","pattern_type":"yara","valid_from":"2026-01-01T00:00:00Z"},
			{"type":"indicator","id":"indicator--r","revoked":true,"pattern":"[ipv4-addr:value = '192.0.2.9']","pattern_type":"stix","valid_from":"2026-01-01T00:00:00Z"},
			{"type":"indicator","id":"indicator--s","pattern":"[ipv4-addr:value = '192.0.2.9'","pattern_type":"stix","valid_from":"2026-01-01T00:00:00Z"},
			{"type":"mac-addr","id":"mac-addr--m","value":"00:00:5e:00:53:01"},
			{"type":"indicator","id":7},
			{"id":"x"}]}`)
		reasons := map[string]string{}
		for _, r := range b.Rejected {
			reasons[r.Item] = r.Reason
		}
		for item, want := range map[string]string{
			"indicator--y": `pattern_type "yara"`, "indicator--r": "revoked", "indicator--s": "not valid STIX patterning: at byte",
			"mac-addr--m": "a mac-addr observable holds no value", "object 5 of the bundle": "property id is number", "object 6 of the bundle": `has no "type"`,
		} {
			if !strings.Contains(reasons[item], want) {
				t.Errorf("%s: %q, want %q (all: %v)", item, reasons[item], want, b.Rejected)
			}
		}
		if len(b.Items) != 0 {
			t.Errorf("items %q", got(b))
		}
	})
	t.Run("Observables", func(t *testing.T) {
		b := parse(t, `{"type":"bundle","id":"bundle--1","objects":[
			{"type":"file","id":"file--f","hashes":{"SHA-256":"`+strings.Repeat("AB", 32)+`","MD5":"d41d8cd98f00b204e9800998ecf8427e","SSDEEP":"3:a:b"},"name":"a.exe"},
			{"type":"user-account","id":"user-account--u","user_id":"1001","account_login":"jdoe"},
			{"type":"windows-registry-key","id":"windows-registry-key--k","key":"hkcu\\software\\run"},
			{"type":"ipv6-addr","id":"ipv6-addr--i","value":"2001:DB8::5","x_warroom_is_ioc":true}]}`)
		want := []string{"md5 d41d8cd98f00b204e9800998ecf8427e", "sha256 " + strings.Repeat("ab", 32), "filename a.exe", "user_account jdoe",
			`registry_key HKEY_CURRENT_USER\software\run`, "ipv6 2001:db8::5"}
		if g := got(b); !slices.Equal(g, want) {
			t.Errorf("items %q\nwant %q", g, want)
		}
		for _, it := range b.Items {
			if isIOC := it.Input.IsIOC != nil && *it.Input.IsIOC; isIOC != (it.Input.Type == IPv6) {
				t.Errorf("%s: is_ioc %v", it.Input.Value, isIOC)
			}
		}
	})
	t.Run("NotSTIX", func(t *testing.T) {
		for doc, want := range map[string]string{`[1,2]`: "expected a JSON object", `{"foo":1}`: `no "type"`, `{"type":"bundle"`: "not a STIX bundle"} {
			if _, err := ParseSTIX([]byte(doc), stixNow); err == nil || !strings.Contains(err.Error(), want) {
				t.Errorf("%s: %v, want %q", doc, err, want)
			}
		}
	})
}
