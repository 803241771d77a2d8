package indicator

import (
	"bufio"
	"fmt"
	"os"
	"strings"
	"testing"
)

// corpusCase is one case of testdata/extract_corpus.txt.
type corpusCase struct {
	name, text string
	want       []string // "type | value" or "type | value | ! note words"
}

func readCorpus(t *testing.T) []corpusCase {
	t.Helper()
	f, err := os.Open("testdata/extract_corpus.txt")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var out []corpusCase
	var cur *corpusCase
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := sc.Text()
		switch {
		case strings.HasPrefix(line, "## "):
			out = append(out, corpusCase{name: strings.TrimPrefix(line, "## ")})
			cur = &out[len(out)-1]
		case cur == nil || line == "" || strings.HasPrefix(line, "#"):
		case strings.HasPrefix(line, "=> "):
			if w := strings.TrimPrefix(line, "=> "); w != "none" {
				cur.want = append(cur.want, w)
			}
		default:
			cur.text += line + "\n"
		}
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

// describe renders a candidate the way the corpus writes expectations;
// a flagged one carries its whole note, which must contain the words.
func describe(c Candidate) string {
	s := fmt.Sprintf("%s | %s", c.Type, c.Value)
	if !c.Suggest {
		s += " | ! " + c.Note
	}
	return s
}

// TestExtractCorpus drives the corpus of defanged values and false
// positives: each case must give exactly the expected candidates, in
// order, and every candidate must be consistent with the text it came
// from.
func TestExtractCorpus(t *testing.T) {
	cases := readCorpus(t)
	if len(cases) < 50 {
		t.Fatalf("the corpus has %d cases; keep at least 50", len(cases))
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got := Extract(tc.text)
			ok := len(got) == len(tc.want)
			for i := 0; ok && i < len(got); i++ {
				d, w := describe(got[i]), tc.want[i]
				if prefix, words, flagged := strings.Cut(w, " | ! "); flagged {
					ok = strings.HasPrefix(d, prefix+" | ! ") && strings.Contains(d, words)
				} else {
					ok = d == w
				}
			}
			if !ok {
				var g []string
				for _, c := range got {
					g = append(g, describe(c))
				}
				t.Fatalf("text:\n%sgot:\n  %s\nwant:\n  %s", tc.text, strings.Join(g, "\n  "), strings.Join(tc.want, "\n  "))
			}
			checkCandidates(t, tc.text, got)
		})
	}
}

// checkCandidates checks what holds for every candidate: its raw text is
// on its line, refangs and normalises to its value, and a suggested one
// has no note.
func checkCandidates(t *testing.T, text string, cs []Candidate) {
	t.Helper()
	lines := strings.Split(strings.ToValidUTF8(text, "\uFFFD"), "\n")
	seen := map[string]bool{}
	for _, c := range cs {
		if c.Line < 1 || c.Line > len(lines) || !strings.Contains(lines[c.Line-1], c.Raw) {
			t.Errorf("%s: raw %q is not on line %d", c.Value, c.Raw, c.Line)
		}
		if v, err := Normalize(c.Type, Refang(c.Raw)); v != c.Value || err != nil {
			t.Errorf("%s %q: raw %q normalises to %q, %v", c.Type, c.Value, c.Raw, v, err)
		}
		if c.Suggest == (c.Note != "") {
			t.Errorf("%s %q: suggest %v with note %q", c.Type, c.Value, c.Suggest, c.Note)
		}
		k := string(c.Type) + " " + c.Value
		if seen[k] {
			t.Errorf("%s listed twice", k)
		}
		seen[k] = true
	}
}

func TestExtractLimits(t *testing.T) {
	var b strings.Builder
	for i := range MaxCandidates + 10 {
		fmt.Fprintf(&b, "45.%d.%d.%d\n", i/65536%256, i/256%256, i%256)
	}
	if n := len(Extract(b.String())); n != MaxCandidates {
		t.Errorf("%d candidates, want the limit %d", n, MaxCandidates)
	}
	if got := Extract(""); got == nil || len(got) != 0 {
		t.Errorf("empty text: %#v, want an empty list", got)
	}
	got := Extract("windows line\r\nC2 at 45.1.2.3\r\n")
	if len(got) != 1 || got[0].Line != 2 || got[0].Raw != "45.1.2.3" {
		t.Errorf("CRLF text: %+v", got)
	}
}

func TestDetect(t *testing.T) {
	tests := []struct {
		in   string
		want Type
		ok   bool
	}{
		{"192.0.2.1", IPv4, true}, {"2001:db8::1", IPv6, true}, {"10.0.0.0/8", CIDR, true}, {"hxxp://evil[.]example/x", URL, true},
		{"alice@example.com", Email, true}, {"d41d8cd98f00b204e9800998ecf8427e", MD5, true},
		{"da39a3ee5e6b4b0d3255bfef95601890afd80709", SHA1, true}, {strings.Repeat("ab", 32), SHA256, true}, {strings.Repeat("ab", 64), SHA512, true},
		{"CVE-2021-44228", CVE, true}, {"t13d1516h2_8daaf6152771_e5627efa2ab1", JA4, true}, {`HKLM\Software\Run`, RegistryKey, true},
		{`C:\Windows\evil.exe`, Filepath, true}, {"/tmp/x", Filepath, true}, {"evil[.]com", Domain, true}, {"report.pdf", Filename, true},
		{"payload.zip", Domain, true}, {`ACME\jdoe`, UserAccount, true}, {"just words", "", false}, {"", "", false},
	}
	for _, tt := range tests {
		if got, ok := Detect(tt.in); got != tt.want || ok != tt.ok {
			t.Errorf("Detect(%q) = %s, %v; want %s, %v", tt.in, got, ok, tt.want, tt.ok)
		}
	}
}

// BenchmarkExtract measures a log-like megabyte and a pathological one (a
// single line of a quarter of a million paths), which must stay linear.
func BenchmarkExtract(b *testing.B) {
	logLine := "2026-11-26T09:14:03Z DENY src=10.1.2.3 dst=45.61.136.7 host=update.microsoft-cdn.net url=hxxp://evil[.]top/a.php C:\\Users\\x\\a.exe\n"
	for name, text := range map[string]string{"log": strings.Repeat(logLine, (1<<20)/len(logLine)), "paths": strings.Repeat(`C:\a `, 1<<18)} {
		b.Run(name, func(b *testing.B) {
			b.SetBytes(int64(len(text)))
			for b.Loop() {
				Extract(text)
			}
		})
	}
}
