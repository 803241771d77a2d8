package sweep

import (
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/warroom/warroom/internal/indicator"
)

// found returns the matched texts and indicator values in text, sorted.
func found(t *testing.T, m *Matcher, text string) []string {
	t.Helper()
	var out []string
	m.Scan([]byte(text), func(h Match) {
		out = append(out, text[h.Start:h.End]+"="+m.Indicator(h.Indicator).Value)
	})
	slices.Sort(out)
	return out
}

func TestScan(t *testing.T) {
	md5 := "d41d8cd98f00b204e9800998ecf8427e"
	sha256 := "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
	tests := []struct {
		name string
		inds []Indicator
		opt  Options
		text string
		want []string
	}{
		{"HashWholeToken", []Indicator{{Type: indicator.MD5, Value: md5}}, Options{},
			"a " + md5 + " b x" + md5 + " " + md5 + "0 _" + md5 + " (" + md5 + ")",
			[]string{md5 + "=" + md5, md5 + "=" + md5}},
		{"HashCaseInsensitive", []Indicator{{Type: indicator.SHA256, Value: strings.ToUpper(sha256)}}, Options{},
			"hash=" + strings.ToUpper(sha256[:10]) + sha256[10:] + ";",
			[]string{strings.ToUpper(sha256[:10]) + sha256[10:] + "=" + sha256}},
		{"HashAtBufferEdges", []Indicator{{Type: indicator.MD5, Value: md5}}, Options{}, md5 + "\n" + md5,
			[]string{md5 + "=" + md5, md5 + "=" + md5}},
		{"DomainNoSubdomains", []Indicator{{Type: indicator.Domain, Value: "Evil.COM"}}, Options{},
			"evil.com www.evil.com notevil.com evil.com.au evil.com. EVIL.com/x a@evil.com evil-com evil.company -evil.com",
			[]string{"EVIL.com=evil.com", "evil.com=evil.com", "evil.com=evil.com", "evil.com=evil.com"}},
		{"DomainSubdomains", []Indicator{{Type: indicator.Domain, Value: "evil.com", Subdomains: true}}, Options{},
			"www.evil.com a.b.evil.com notevil.com x-evil.com .evil.com evil.com",
			[]string{"evil.com=evil.com", "evil.com=evil.com", "evil.com=evil.com", "evil.com=evil.com"}},
		{"URL", []Indicator{{Type: indicator.URL, Value: "http://evil.com/payload.php?id=1"}}, Options{},
			"GET HTTP://EVIL.COM/payload.php?id=1 http://evil.com/Payload.php?id=1 http://evil.com/payload.php?id=12",
			[]string{"HTTP://EVIL.COM/payload.php?id=1=http://evil.com/payload.php?id=1"}},
		{"URLRootMatchesPaths", []Indicator{{Type: indicator.URL, Value: "https://evil.com"}}, Options{},
			"https://evil.com/a https://evil.com https://evil.com.au/ https://evil.community/",
			[]string{"https://evil.com=https://evil.com/", "https://evil.com=https://evil.com/"}},
		{"Email", []Indicator{{Type: indicator.Email, Value: "bob@evil.com"}}, Options{},
			"from <BOB@evil.com> jbob@evil.com bob@evil.com.au",
			[]string{"BOB@evil.com=bob@evil.com"}},
		{"FilenameFoldsByDefault", []Indicator{{Type: indicator.Filename, Value: "mimikatz.exe"}}, Options{},
			`C:\Temp\MimiKatz.EXE /tmp/mimikatz.exe.txt notmimikatz.exe`,
			[]string{"MimiKatz.EXE=mimikatz.exe"}},
		{"FilenameCaseSensitive", []Indicator{{Type: indicator.Filename, Value: "mimikatz.exe"}}, Options{CaseSensitiveNames: true},
			`C:\Temp\MimiKatz.EXE /tmp/mimikatz.exe`, []string{"mimikatz.exe=mimikatz.exe"}},
		{"PosixPathExact", []Indicator{{Type: indicator.Filepath, Value: "/tmp/.x/miner"}}, Options{},
			"exec /tmp/.x/miner; /TMP/.x/miner /tmp/.x/miner2", []string{"/tmp/.x/miner=/tmp/.x/miner"}},
		{"WindowsPathFolds", []Indicator{{Type: indicator.Filepath, Value: `C:\Users\Public\evil.exe`}}, Options{},
			`ran c:\users\public\EVIL.exe`, []string{`c:\users\public\EVIL.exe=C:\Users\Public\evil.exe`}},
		{"UserAccount", []Indicator{{Type: indicator.UserAccount, Value: `CORP\svc-backup`}}, Options{},
			`user=corp\SVC-BACKUP user=CORP\svc-backup2`, []string{`corp\SVC-BACKUP=CORP\svc-backup`}},
		{"OverlappingIndicators", []Indicator{{Type: indicator.Domain, Value: "evil.com", Subdomains: true},
			{Type: indicator.Domain, Value: "cdn.evil.com"}, {Type: indicator.URL, Value: "http://cdn.evil.com/x"}}, Options{},
			"http://cdn.evil.com/x", []string{"cdn.evil.com=cdn.evil.com", "evil.com=evil.com", "http://cdn.evil.com/x=http://cdn.evil.com/x"}},
		{"Defanged", []Indicator{{Type: indicator.Domain, Value: "evil.com"}, {Type: indicator.URL, Value: "http://evil.com/a"}}, Options{Defanged: true},
			"x\nvisit hxxp://evil[.]com/a or evil(dot)com\n[01/Jan/2026] evil.com\nH[XX]P://EVIL{.}COM/a",
			[]string{"EVIL{.}COM=evil.com", "H[XX]P://EVIL{.}COM/a=http://evil.com/a", "evil(dot)com=evil.com", "evil.com=evil.com", "evil[.]com=evil.com",
				"hxxp://evil[.]com/a=http://evil.com/a"}},
		{"DefangedEmail", []Indicator{{Type: indicator.Email, Value: "bob@evil.com"}}, Options{Defanged: true},
			"from bob[at]evil[.]com and bob(at)evil.com", []string{"bob(at)evil.com=bob@evil.com", "bob[at]evil[.]com=bob@evil.com"}},
		{"DefangedOff", []Indicator{{Type: indicator.Domain, Value: "evil.com"}}, Options{}, "evil[.]com", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := MustCompile(tt.inds, tt.opt)
			if diff := cmp.Diff(tt.want, found(t, m, tt.text)); diff != "" {
				t.Errorf("matches (-want +got):\n%s", diff)
			}
		})
	}
}

func TestScanIP(t *testing.T) {
	tests := []struct {
		name string
		inds []string // type:value
		text string
		want []string
	}{
		{"IPv4Exact", []string{"ipv4:10.0.0.1"},
			"10.0.0.1 10.0.0.10 110.0.0.1 10.0.0.1:443 1.10.0.0.1 10.0.0.1.5 v10.0.0.1 (10.0.0.1). 010.000.000.001",
			[]string{"010.000.000.001=10.0.0.1", "10.0.0.1=10.0.0.1", "10.0.0.1=10.0.0.1", "10.0.0.1=10.0.0.1"}},
		{"CIDRContainment", []string{"cidr:192.168.0.0/16", "cidr:192.168.4.0/24", "ipv4:192.168.4.7"},
			"192.167.255.255 192.168.0.0 192.168.4.7 192.168.255.255 192.169.0.0 192.168.4.256",
			[]string{"192.168.0.0=192.168.0.0/16", "192.168.255.255=192.168.0.0/16",
				"192.168.4.7=192.168.0.0/16", "192.168.4.7=192.168.4.0/24", "192.168.4.7=192.168.4.7"}},
		{"AllAddresses", []string{"cidr:0.0.0.0/0"}, "0.0.0.0 255.255.255.255",
			[]string{"0.0.0.0=0.0.0.0/0", "255.255.255.255=0.0.0.0/0"}},
		{"IPv6Forms", []string{"ipv6:2001:db8::1"},
			"2001:db8::1 2001:DB8:0:0:0:0:0:1 [2001:0db8::0001]:443 2001:db8::1. 2001:db8::10 x2001:db8::1 fe80::1%eth0",
			[]string{"2001:0db8::0001=2001:db8::1", "2001:DB8:0:0:0:0:0:1=2001:db8::1", "2001:db8::1=2001:db8::1", "2001:db8::1=2001:db8::1"}},
		{"IPv6CIDR", []string{"cidr:2001:db8::/32", "cidr:::/0"},
			"2001:db8:ffff::1 2001:db9::1 ::1 15:04:05 00:1a:2b:3c:4d:5e",
			[]string{"2001:db8:ffff::1=2001:db8::/32", "2001:db8:ffff::1=::/0", "2001:db9::1=::/0", "::1=::/0"}},
		{"IPv4MappedIsV6AndV4", []string{"ipv4:10.0.0.1", "cidr:::ffff:0:0/96"}, "::ffff:10.0.0.1",
			[]string{"10.0.0.1=10.0.0.1", "::ffff:10.0.0.1=::ffff:0.0.0.0/96"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var inds []Indicator
			for _, s := range tt.inds {
				typ, v, _ := strings.Cut(s, ":")
				inds = append(inds, Indicator{Type: indicator.Type(typ), Value: v})
			}
			m := MustCompile(inds, Options{})
			if diff := cmp.Diff(tt.want, found(t, m, tt.text)); diff != "" {
				t.Errorf("matches (-want +got):\n%s", diff)
			}
		})
	}
}

func TestCompileErrors(t *testing.T) {
	for _, in := range []Indicator{
		{Type: indicator.MD5, Value: "abc"},
		{Type: indicator.IPv4, Value: "300.1.1.1"},
		{Type: "nonsense", Value: "x"},
		{Type: indicator.Other, Value: "free text"},
		{Type: indicator.URL, Value: "evil.com", Subdomains: true},
	} {
		if _, err := Compile([]Indicator{{Type: indicator.Domain, Value: "ok.com"}, in}, Options{}); err == nil || !strings.Contains(err.Error(), "indicator 2") {
			t.Errorf("Compile(%v) error = %v, want one naming indicator 2", in, err)
		}
	}
}
