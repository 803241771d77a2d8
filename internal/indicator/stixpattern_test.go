package indicator

import (
	"strings"
	"testing"
)

// TestParsePattern checks the canonical form of valid patterns (which
// must parse again to itself) and where invalid ones fail.
func TestParsePattern(t *testing.T) {
	ok := []struct{ in, want string }{
		{"[ipv4-addr:value = '198.51.100.7']", "[ipv4-addr:value = '198.51.100.7']"},
		{"[ ipv4-addr:value='10.0.0.0' ]", "[ipv4-addr:value = '10.0.0.0']"},
		{"[file:hashes.'SHA-256' = 'ab']", "[file:hashes.'SHA-256' = 'ab']"},
		{"[file:hashes.'MD5' = 'ab']", "[file:hashes.MD5 = 'ab']"},
		{`[file:name = 'it\'s \\ here']`, `[file:name = 'it\'s \\ here']`},
		{"[a:b = 'x' OR a:c = 'y' AND a:d = 'z']", "[a:b = 'x' OR a:c = 'y' AND a:d = 'z']"},
		{"[(a:b = 'x' OR a:c = 'y') AND a:d = 'z']", "[(a:b = 'x' OR a:c = 'y') AND a:d = 'z']"},
		{"([a:b = 'x'] OR [a:c = 'y']) AND [a:d = 'z']", "([a:b = 'x'] OR [a:c = 'y']) AND [a:d = 'z']"},
		{"[a:b = 'x'] FOLLOWEDBY [a:c = 'y'] WITHIN 300 SECONDS", "[a:b = 'x'] FOLLOWEDBY [a:c = 'y'] WITHIN 300 SECONDS"},
		{"([a:b = 'x'] AND [a:c = 'y']) REPEATS 5 TIMES", "([a:b = 'x'] AND [a:c = 'y']) REPEATS 5 TIMES"},
		{"[a:b = 'x'] START t'2016-06-01T00:00:00Z' STOP t'2016-07-01T00:00:00Z'", "[a:b = 'x'] START t'2016-06-01T00:00:00Z' STOP t'2016-07-01T00:00:00Z'"},
		{"[network-traffic:dst_port >= 1024 AND network-traffic:dst_port NOT IN (80, 443)]", "[network-traffic:dst_port >= 1024 AND network-traffic:dst_port NOT IN (80, 443)]"},
		{"[email-message:to_refs[*].value = 'a@example.com']", "[email-message:to_refs[*].value = 'a@example.com']"},
		{"[file:extensions.'windows-pebinary-ext'.sections[0].entropy > 7.0]", "[file:extensions.'windows-pebinary-ext'.sections[0].entropy > 7.0]"},
		{"[artifact:payload_bin = b'aGVsbG8=' OR file:x = h'00ff' OR file:y = true]", "[artifact:payload_bin = b'aGVsbG8=' OR file:x = h'00ff' OR file:y = true]"},
		{"[EXISTS windows-registry-key:values]", "[EXISTS windows-registry-key:values]"},
		{"[user-account:account_login LIKE 'adm%']", "[user-account:account_login LIKE 'adm%']"},
	}
	for _, c := range ok {
		p, err := ParsePattern(c.in)
		if err != nil {
			t.Errorf("ParsePattern(%q): %v", c.in, err)
			continue
		}
		if got := p.String(); got != c.want {
			t.Errorf("ParsePattern(%q).String() = %q, want %q", c.in, got, c.want)
		}
		again, err := ParsePattern(p.String())
		if err != nil || again.String() != p.String() {
			t.Errorf("canonical form of %q does not parse to itself: %v", c.in, err)
		}
	}
	bad := []struct{ in, msg string }{
		{"", "expected [ to start an observation"},
		{"ipv4-addr:value = '1.2.3.4'", "expected [ to start"},
		{"[ipv4-addr:value = '1.2.3.4'", "expected AND, OR or ]"},
		{"[ipv4-addr:value = '1.2.3.4]", "no closing quote"},
		{"[ipv4-addr:value == '1.2.3.4']", "expected a value"},
		{"[ipv4-addr = '1.2.3.4']", "expected : after the object type"},
		{"[a:b = 'x'] WITHIN 5", "expected SECONDS"},
		{"[a:b = 'x'] REPEATS 1.5 TIMES", "whole number"},
		{"[a:b > true]", "true and false"},
		{"[a:b = 'x'] [a:c = 'y']", "expected AND, OR, FOLLOWEDBY"},
		{"[a:b IN 'x']", "IN needs a list"},
		{"[a:b = t'yesterday']", "UTC timestamp"},
		{"[a:b = h'abc']", "even number"},
		{`[a:b = 'c:\temp']`, "escapes neither"},
		{strings.Repeat("(", 100) + "[a:b = 'x']" + strings.Repeat(")", 100), "nested more than"},
		{"[a:b = 'x'] & [a:c = 'y']", "unexpected"},
	}
	for _, c := range bad {
		if _, err := ParsePattern(c.in); err == nil || !strings.Contains(err.Error(), c.msg) {
			t.Errorf("ParsePattern(%q) = %v; want an error containing %q", c.in, err, c.msg)
		}
	}
}

// TestPatternBranches checks how a pattern splits into literal values
// and kept patterns: at OR, inside and between observations, and never
// across AND, FOLLOWEDBY or a qualifier.
func TestPatternBranches(t *testing.T) {
	tests := []struct {
		in   string
		want []string // "path=value" for literals, the pattern otherwise
	}{
		{"[ipv4-addr:value = '1.2.3.4']", []string{"ipv4-addr:value=1.2.3.4"}},
		{"[domain-name:value = 'a.example' OR ipv4-addr:value = '1.2.3.4']", []string{"domain-name:value=a.example", "ipv4-addr:value=1.2.3.4"}},
		{"[url:value = 'http://a.example/'] OR [file:hashes.MD5 = 'x']", []string{"url:value=http://a.example/", "file:hashes.MD5=x"}},
		{"[a:b = 'x' OR a:c MATCHES 'y']", []string{"a:b=x", "[a:c MATCHES 'y']"}},
		{"[a:b = 'x' AND a:c = 'y']", []string{"[a:b = 'x' AND a:c = 'y']"}},
		{"[a:b != 'x']", []string{"[a:b != 'x']"}},
		{"[a:b NOT = 'x']", []string{"[a:b NOT = 'x']"}},
		{"[a:b = 5]", []string{"[a:b = 5]"}},
		{"[a:b = 'x'] AND [a:c = 'y']", []string{"[a:b = 'x'] AND [a:c = 'y']"}},
		{"[a:b = 'x'] WITHIN 5 SECONDS OR [a:c = 'y']", []string{"[a:b = 'x'] WITHIN 5 SECONDS", "a:c=y"}},
		{"[a:b = 'x'] FOLLOWEDBY [a:c = 'y']", []string{"[a:b = 'x'] FOLLOWEDBY [a:c = 'y']"}},
	}
	for _, tt := range tests {
		p, err := ParsePattern(tt.in)
		if err != nil {
			t.Fatalf("ParsePattern(%q): %v", tt.in, err)
		}
		var got []string
		for _, b := range p.Branches() {
			if b.Literal {
				got = append(got, b.Path.String()+"="+b.Value)
			} else {
				got = append(got, b.Pattern)
			}
		}
		if strings.Join(got, " | ") != strings.Join(tt.want, " | ") {
			t.Errorf("branches(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

// TestLiteralIndicator maps comparison paths to indicator types.
func TestLiteralIndicator(t *testing.T) {
	tests := []struct{ pattern, typ, value string }{
		{"[ipv4-addr:value = '198.51.100.7']", "ipv4", "198.51.100.7"},
		{"[ipv4-addr:value = '198.51.100.0/24']", "cidr", "198.51.100.0/24"},
		{"[ipv6-addr:value = '2001:DB8::1']", "ipv6", "2001:db8::1"},
		{"[ipv6-addr:value = '2001:db8::/32']", "cidr", "2001:db8::/32"},
		{"[domain-name:value = 'Evil.Example.']", "domain", "evil.example"},
		{"[domain-name:value = 'ws-0142']", "hostname", "ws-0142"},
		{"[url:value = 'HTTP://Evil.example:80/a']", "url", "http://evil.example/a"},
		{"[email-addr:value = 'a@Evil.example']", "email", "a@evil.example"},
		{"[email-message:from_ref.value = 'a@evil.example']", "email", "a@evil.example"},
		{"[email-message:to_refs[0].value = 'b@evil.example']", "email", "b@evil.example"},
		{"[file:hashes.MD5 = 'D41D8CD98F00B204E9800998ECF8427E']", "md5", "d41d8cd98f00b204e9800998ecf8427e"},
		{"[file:hashes.'SHA-1' = 'da39a3ee5e6b4b0d3255bfef95601890afd80709']", "sha1", "da39a3ee5e6b4b0d3255bfef95601890afd80709"},
		{"[file:hashes.'SHA-256' = '" + strings.Repeat("ab", 32) + "']", "sha256", strings.Repeat("ab", 32)},
		{"[file:hashes.sha512 = '" + strings.Repeat("cd", 64) + "']", "sha512", strings.Repeat("cd", 64)},
		{"[x509-certificate:hashes.'SHA-1' = 'da39a3ee5e6b4b0d3255bfef95601890afd80709']", "sha1", "da39a3ee5e6b4b0d3255bfef95601890afd80709"},
		{"[file:name = 'invoice.pdf.exe']", "filename", "invoice.pdf.exe"},
		{`[file:name = 'C:\\Users\\Public\\a.exe']`, "filepath", `C:\Users\Public\a.exe`},
		{`[directory:path = 'C:\\Users\\Public']`, "filepath", `C:\Users\Public`},
		{`[windows-registry-key:key = 'HKLM\\Software\\Run']`, "registry_key", `HKEY_LOCAL_MACHINE\Software\Run`},
		{"[user-account:user_id = 'jdoe']", "user_account", "jdoe"},
		{"[user-account:account_login = 'ACME\\\\jdoe']", "user_account", `ACME\jdoe`},
		{"[process:name = 'mimikatz.exe']", "process_name", "mimikatz.exe"},
		{"[process:image_ref.name = 'mimikatz.exe']", "process_name", "mimikatz.exe"},
		{"[network-traffic:dst_ref.value = '198.51.100.9']", "ipv4", "198.51.100.9"},
		{"[network-traffic:dst_ref.value = 'c2.evil.example']", "domain", "c2.evil.example"},
		{"[x-warroom-ja3:value = 'E7D705A3286E19EA42F587B344EE6865']", "ja3", "e7d705a3286e19ea42f587b344ee6865"},
		{"[x-warroom-cve:value = 'cve-2021-44228']", "cve", "CVE-2021-44228"},
		{"[email-message:subject = 'Invoice']", "", ""},
		{"[file:hashes.SSDEEP = '3:a:b']", "", ""},
		{"[process:command_line = 'x']", "", ""},
	}
	for _, tt := range tests {
		p, err := ParsePattern(tt.pattern)
		if err != nil {
			t.Fatalf("%s: %v", tt.pattern, err)
		}
		b := p.Branches()[0]
		typ, value, err := literalIndicator(b.Path, b.Value)
		if err != nil || string(typ) != tt.typ || value != tt.value {
			t.Errorf("%s → %q %q %v; want %q %q", tt.pattern, typ, value, err, tt.typ, tt.value)
		}
	}
	p, _ := ParsePattern("[ipv4-addr:value = '300.1.1.1']")
	if _, _, err := literalIndicator(p.Branches()[0].Path, "300.1.1.1"); err == nil || !strings.Contains(err.Error(), "not a valid ipv4") {
		t.Errorf("bad address: %v", err)
	}
}
