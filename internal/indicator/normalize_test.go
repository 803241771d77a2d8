package indicator

import (
	"strings"
	"testing"
)

// TestNormalize covers every type: values that are valid (and what they
// normalise to) and values that are not (and a phrase the error must
// hold, so it says what is wrong and what is allowed).
func TestNormalize(t *testing.T) {
	type ok struct{ in, want string }
	type bad struct{ in, msg string }
	tests := []struct {
		typ  Type
		ok   []ok
		bads []bad
	}{
		{IPv4, []ok{{"192.0.2.1", "192.0.2.1"}, {" 10.0.0.1 ", "10.0.0.1"}, {"010.001.000.099", "10.1.0.99"}, {"255.255.255.255", "255.255.255.255"}},
			[]bad{{"256.1.1.1", "256 is more than 255"}, {"1.2.3", "four numbers 0-255"}, {"1.2.3.4/24", "use type cidr"},
				{"1.2.3.4:443", "has a port"}, {"2001:db8::1", "use type ipv6"}, {"0x7f.0.0.1", "four numbers"}, {"1.2.3.4.5", "four numbers"}, {"", "is empty"}}},
		{IPv6, []ok{{"2001:DB8:0:0:0:0:0:1", "2001:db8::1"}, {"[2001:db8::1]", "2001:db8::1"}, {"fe80:0000::0001", "fe80::1"},
			{"::ffff:192.0.2.1", "::ffff:192.0.2.1"}, {"2001:db8:0:0:1:0:0:1", "2001:db8::1:0:0:1"}},
			[]bad{{"fe80::1%eth0", "has a zone"}, {"192.0.2.1", "use type ipv4"}, {"2001:db8::g", "not an IPv6 address like"}, {"1:2:3", "not an IPv6"}}},
		{CIDR, []ok{{"10.1.2.3/8", "10.0.0.0/8"}, {"192.0.2.0/24", "192.0.2.0/24"}, {"2001:DB8::1/32", "2001:db8::/32"}, {"010.0.0.0/8", "10.0.0.0/8"}},
			[]bad{{"10.0.0.0", "no prefix length"}, {"10.0.0.0/33", "0-32 for IPv4"}, {"2001:db8::/129", "0-128 for IPv6"},
				{"300.0.0.0/8", "the address"}, {"10.0.0.0/x", "prefix length"}}},
		{Domain, []ok{{"Example.COM", "example.com"}, {"example.com.", "example.com"}, {"bücher.example", "xn--bcher-kva.example"},
			{"XN--BCHER-KVA.example", "xn--bcher-kva.example"}, {"_dmarc.example.com", "_dmarc.example.com"}, {"пример.рф", "xn--e1afmkfd.xn--p1ai"}},
			[]bad{{"localhost", "at least one dot"}, {"exa mple.com", "each part between dots"}, {"-bad.com", "not starting or ending with -"},
				{"1.2.3.4", "use type ipv4"}, {"example.123", "ends in a number"}, {"a..com", "each part"}, {strings.Repeat("a", 64) + ".com", "1-63"},
				{strings.Repeat("abc.", 70) + "com", "longer than the 253"}, {"exa!mple.com", "letters, digits"}}},
		{Hostname, []ok{{"WS-0142", "ws-0142"}, {"Mail.Example.com.", "mail.example.com"}, {"dc01.corp.local", "dc01.corp.local"}},
			[]bad{{"10.0.0.5", "use type ipv4"}, {"host name", "each part"}, {"::1", "use type ipv6"}}},
		{URL, []ok{{"HTTP://Example.COM:80/Path?Q=1#F", "http://example.com/Path?Q=1#F"}, {"https://example.com:443", "https://example.com/"},
			{"https://example.com:8443/a", "https://example.com:8443/a"}, {"http://bücher.example/x", "http://xn--bcher-kva.example/x"},
			{"http://[2001:DB8::1]:80/", "http://[2001:db8::1]/"}, {"http://010.0.0.1/a", "http://10.0.0.1/a"}, {"ftp://files.example.com:21/x", "ftp://files.example.com/x"},
			{"https://example.com.:0443/", "https://example.com/"}, {"http://user@example.com/", "http://user@example.com/"}},
			[]bad{{"example.com/path", "scheme and a host"}, {"mailto:a@example.com", "scheme and a host"}, {"http://exa mple.com/", "scheme and a host"},
				{"http://example.com:99999/", "ports are 0-65535"}, {"http://[fe80::1%25eth0]/", "scheme and a host"}, {"http://-x-.com/", "its host"}}},
		{Email, []ok{{"Alice@Example.COM", "Alice@example.com"}, {"a.b+tag@bücher.example", "a.b+tag@xn--bcher-kva.example"}, {"x@example.com.", "x@example.com"}},
			[]bad{{"alice", "like name@example.com"}, {"@example.com", "like name@example.com"}, {"a b@example.com", "no spaces"},
				{"a..b@example.com", "no two dots"}, {"alice@localhost", "the domain"}, {"alice@", "like name@example.com"}}},
		{MD5, []ok{{"D41D8CD98F00B204E9800998ECF8427E", "d41d8cd98f00b204e9800998ecf8427e"}},
			[]bad{{"d41d8cd98f00b204e9800998ecf8427", "32 hexadecimal characters"}, {"z41d8cd98f00b204e9800998ecf8427e", "nothing else"},
				{"da39a3ee5e6b4b0d3255bfef95601890afd80709", "40 is the length of sha1"}}},
		{SHA1, []ok{{"DA39A3EE5E6B4B0D3255BFEF95601890AFD80709", "da39a3ee5e6b4b0d3255bfef95601890afd80709"}},
			[]bad{{"da39a3ee", "40 hexadecimal characters (0-9, a-f), not 8"}}},
		{SHA256, []ok{{strings.Repeat("AB", 32), strings.Repeat("ab", 32)}},
			[]bad{{strings.Repeat("ab", 31), "64 hexadecimal"}, {strings.Repeat("a", 32), "32 is the length of md5"}}},
		{SHA512, []ok{{strings.Repeat("C0", 64), strings.Repeat("c0", 64)}}, []bad{{strings.Repeat("c0", 32), "128 hexadecimal"}}},
		{JA3, []ok{{"E7D705A3286E19EA42F587B344EE6865", "e7d705a3286e19ea42f587b344ee6865"}}, []bad{{"771,4865-4866,0-23,29,0", "JA3 fingerprint"}}},
		{JA4, []ok{{"T13D1516H2_8DAAF6152771_E5627EFA2AB1", "t13d1516h2_8daaf6152771_e5627efa2ab1"}, {"q13i0310h3_55b375c5d22e_cd85d2d88918", "q13i0310h3_55b375c5d22e_cd85d2d88918"}},
			[]bad{{"x13d1516h2_8daaf6152771_e5627efa2ab1", "t, q or d"}, {"t13d1516h2_8daaf615277_e5627efa2ab1", "12 hexadecimal"}, {"t14d1516h2_8daaf6152771_e5627efa2ab1", "TLS version"}}},
		{CVE, []ok{{"cve-2021-44228", "CVE-2021-44228"}, {"CVE\u20132014\u20130160", "CVE-2014-0160"}, {"CVE-2024-1234567", "CVE-2024-1234567"}},
			[]bad{{"CVE-21-44228", "like CVE-2021-44228"}, {"CVE-2021-442", "at least four digits"}, {"CVE-1998-0001", "a year from 1999"}}},
		{Filename, []ok{{" invoice.pdf.exe ", "invoice.pdf.exe"}, {"Report Q3.docm", "Report Q3.docm"}},
			[]bad{{`C:\x\invoice.exe`, "use type filepath"}, {"..", "not a file name"}, {strings.Repeat("n", 256), "at most 255"}}},
		{Filepath, []ok{{` C:\Users\Public\evil.exe `, `C:\Users\Public\evil.exe`}, {"/tmp/.X11-unix/.x", "/tmp/.X11-unix/.x"}, {`\\fs01\share\a.ps1`, `\\fs01\share\a.ps1`}},
			[]bad{{"evil.exe", "use type filename"}}},
		{RegistryKey, []ok{{`HKLM\Software\Microsoft\Windows\CurrentVersion\Run`, `HKEY_LOCAL_MACHINE\Software\Microsoft\Windows\CurrentVersion\Run`},
			{`hkcu:\Software\X\`, `HKEY_CURRENT_USER\Software\X`}, {`Computer\HKEY_USERS\S-1-5-21\Software`, `HKEY_USERS\S-1-5-21\Software`},
			{`\REGISTRY\MACHINE\SYSTEM\CurrentControlSet\Services\evil`, `HKEY_LOCAL_MACHINE\SYSTEM\CurrentControlSet\Services\evil`},
			{`HKEY_LOCAL_MACHINE\\SOFTWARE\\Classes`, `HKEY_LOCAL_MACHINE\SOFTWARE\Classes`}, {"HKCR", "HKEY_CLASSES_ROOT"}, {`HKCC\System`, `HKEY_CURRENT_CONFIG\System`}},
			[]bad{{`HKXX\Software`, "does not start with a registry hive"}, {`Software\Microsoft`, "HKEY_LOCAL_MACHINE (HKLM)"}, {`HKLM\` + strings.Repeat("k", 256), "255 characters"}}},
		{UserAccount, []ok{{` ACME\jdoe `, `ACME\jdoe`}, {"jdoe@acme.example", "jdoe@acme.example"}, {"root", "root"}},
			[]bad{{`ACME\`, "DOMAIN\\user"}, {"@acme", "user@domain"}}},
		{ProcessName, []ok{{"powershell.exe", "powershell.exe"}, {"svchost.exe ", "svchost.exe"}},
			[]bad{{`C:\Windows\System32\cmd.exe`, "use type filepath"}}},
		{Other, []ok{{"  Mutex Global\\x ", "Mutex Global\\x"}}, []bad{{"line\nbreak", "control character"}, {strings.Repeat("x", MaxValue+1), "the limit is"}}},
		{StixPattern, []ok{{"[ file:name MATCHES '^inv.*\\\\.exe$' ]", "[file:name MATCHES '^inv.*\\\\.exe$']"},
			{"[a:b='x'] AND [c:d>1] WITHIN 5 SECONDS", "[a:b = 'x'] AND [c:d > 1] WITHIN 5 SECONDS"}},
			[]bad{{"file:name = 'x'", "expected [ to start an observation"}, {"[file:name = 'x'", "expected AND, OR or ]"},
				{"[file:name MATCHES 'a\\.exe']", "escapes neither"}}},
	}
	covered := map[Type]bool{}
	for _, tt := range tests {
		covered[tt.typ] = true
		for _, c := range tt.ok {
			t.Run(string(tt.typ)+"/OK/"+c.in, func(t *testing.T) {
				got, err := Normalize(tt.typ, c.in)
				if err != nil || got != c.want {
					t.Fatalf("Normalize(%s, %q) = %q, %v; want %q", tt.typ, c.in, got, err, c.want)
				}
				if again, err := Normalize(tt.typ, got); again != got || err != nil {
					t.Errorf("not idempotent: %q then %q, %v", got, again, err)
				}
			})
		}
		for _, c := range tt.bads {
			t.Run(string(tt.typ)+"/ErrInvalid/"+c.in, func(t *testing.T) {
				got, err := Normalize(tt.typ, c.in)
				if err == nil || !strings.Contains(err.Error(), c.msg) {
					t.Fatalf("Normalize(%s, %q) = %q, %v; want an error containing %q", tt.typ, c.in, got, err, c.msg)
				}
			})
		}
	}
	for _, typ := range Types {
		if !covered[typ] {
			t.Errorf("type %s has no table rows", typ)
		}
	}
	if _, err := Normalize("fingerprint", "x"); err == nil || !strings.Contains(err.Error(), "use one of ipv4, ipv6") {
		t.Errorf("unknown type: %v", err)
	}
}

func TestRefang(t *testing.T) {
	tests := []struct{ in, want string }{
		{"hxxp://evil[.]example/x", "http://evil.example/x"},
		{"hXXps://evil(.)example", "https://evil.example"},
		{"h[xx]p://a[.]b", "http://a.b"},
		{"fxp://files{.}example{.}com", "ftp://files.example.com"},
		{"evil[dot]example(dot)com", "evil.example.com"},
		{"evil [.] example [ . ] com", "evil.example.com"},
		{"bad {dot} example", "bad.example"},
		{"alice[at]example[.]com", "alice@example.com"},
		{"bob (at) example (dot) com", "bob@example.com"},
		{"carol[@]example.com", "carol@example.com"},
		{"http[:]//example.com", "http://example.com"},
		{"http[://]example.com", "http://example.com"},
		{"hxxp[:]//198[.]51[.]100[.]7[:]8080", "http://198.51.100.7:8080"},
		{"192.0.2[.]1", "192.0.2.1"},
		{"https[:]//x[.]example[/]a", "https://x.example/a"},
		{"HXXPS://X[DOT]EXAMPLE", "https://X.EXAMPLE"},
		{"plain text, nothing to do (really).", "plain text, nothing to do (really)."},
		{"http://already.example/", "http://already.example/"},
		{"line one [.]\nline two", "line one.\nline two"},
	}
	for _, tt := range tests {
		if got := Refang(tt.in); got != tt.want {
			t.Errorf("Refang(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}
