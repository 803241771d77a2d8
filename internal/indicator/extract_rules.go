package indicator

import (
	"net/netip"
	"regexp"
	"strings"
	"unicode/utf8"
)

// matchers run in this order on each refanged line; a later one skips
// what an earlier one took, so a URL's host is not also a domain and a
// path's file name is not one either.
var matchers = []func(*lineScan){matchURLs, matchEmails, matchRegistryKeys, matchWindowsPaths, matchIPv6, matchIPv4,
	matchJA4, matchCVEs, matchHashes, matchDomains}

var (
	urlRE   = regexp.MustCompile(`(?i)\b(?:https?|ftps?|sftp|wss?)://[^\s<>"'\x60\x{201C}\x{201D}\x{2018}\x{2019}]+`)
	emailRE = regexp.MustCompile(`[\p{L}\p{N}._%+'-]+@[\p{L}\p{N}_-]+(?:\.[\p{L}\p{N}_-]+)+`)
	// Where a registry key and a Windows path begin; scan finds their end.
	registryRE = regexp.MustCompile(`(?i)(?:\\REGISTRY\\(?:MACHINE|USER)|\bHKEY_(?:LOCAL_MACHINE|CURRENT_USER|CLASSES_ROOT|USERS|CURRENT_CONFIG)\b|\bHK(?:LM|CU|CR|U|CC)\b):?\\`)
	winPathRE  = regexp.MustCompile(`(?i)(?:\b[a-z]:\\|\\\\[\p{L}\p{N}._$-]+\\|%[a-z_][a-z0-9_()]*%\\)`)
	ipv6RE     = regexp.MustCompile(`(?i)[0-9a-f.:]*:[0-9a-f.:]*:[0-9a-f.:]*(?:/[0-9]{1,3})?`)
	ipv4RE     = regexp.MustCompile(`\b(?:[0-9]{1,3}\.){3}[0-9]{1,3}(?:/[0-9]{1,2})?\b`)
	ja4RE2     = regexp.MustCompile(`(?i)\b[tqd](?:13|12|11|10|s3|s2|d1|d2|d3|00)[di][0-9]{4}[0-9a-z]{2}_[0-9a-f]{12}_[0-9a-f]{12}\b`)
	cveRE2     = regexp.MustCompile(`(?i)\bCVE[-\x{2010}-\x{2014}][0-9]{4}[-\x{2010}-\x{2014}][0-9]{4,19}\b`)
	hashRE     = regexp.MustCompile(`\b[0-9a-fA-F]{32,128}\b`)
	domainRE   = regexp.MustCompile(`[\p{L}\p{N}_-]+(?:\.[\p{L}\p{N}_-]+)+`)
)

// versionWords come before dotted numbers that are versions, not
// addresses: "version 1.2.3.4", "build 10.0.0.1".
var versionWords = wordSet(`version ver v build release rel rev revision firmware fw patch update agent driver sp
fileversion productversion`)

// each calls fn for every match of re; what fn adds is checked against
// what earlier matchers took.
func (ls *lineScan) each(re *regexp.Regexp, fn func(s, e int)) {
	for _, m := range re.FindAllStringIndex(ls.text, -1) {
		fn(m[0], m[1])
	}
}

// maxSpan bounds a path or registry key: Windows paths reach 32,767
// characters only with \\?\, and a bound keeps a line of a million
// "C:\a " linear.
const maxSpan = 4096

// scan is each for values that may hold spaces (paths, registry keys):
// start finds where one begins, and it runs on while its bytes are not in
// stop, up to where the next one begins, the end of the line or maxSpan.
// fn returns where the value it took ends; a start inside it is skipped.
func (ls *lineScan) scan(start *regexp.Regexp, stop string, fn func(s, e int) int) {
	done := 0
	ms := start.FindAllStringIndex(ls.text, -1)
	for k, m := range ms {
		s, e := m[0], m[1]
		if s < done {
			continue
		}
		limit := min(len(ls.text), s+maxSpan)
		if k+1 < len(ms) {
			limit = min(limit, ms[k+1][0])
		}
		for e < limit && strings.IndexByte(stop, ls.text[e]) < 0 && !ls.taken[e] {
			e++
		}
		done = fn(s, e)
	}
}

// try normalises text[s:e] as t and adds it, flagged by valueNote.
func (ls *lineScan) try(t Type, s, e int) bool {
	if !ls.free(s, e) {
		return false
	}
	v, err := Normalize(t, ls.text[s:e])
	if err != nil {
		return false
	}
	ls.add(t, s, e, v, valueNote(t, v))
	return true
}

func matchURLs(ls *lineScan) {
	ls.each(urlRE, func(s, e int) { ls.try(URL, s, s+len(trimEnd(ls.text[s:e]))) })
}

func matchEmails(ls *lineScan) {
	ls.each(emailRE, func(s, e int) {
		v := strings.TrimLeft(ls.text[s:e], ".'")
		s = e - len(v)
		n, err := Normalize(Email, v)
		if err != nil || !ls.free(s, e) {
			return
		}
		if tld := n[strings.LastIndexByte(n, '.')+1:]; realTLD(tld) || reservedTLDs[tld] != "" {
			ls.add(Email, s, e, n, valueNote(Email, n))
		}
	})
}

// cutLastComponent ends a path or key at the first space of its last
// component: names inside may have spaces ("Program Files", "Windows
// NT"), but the last one runs into the sentence that follows.
func cutLastComponent(v string) string {
	i := strings.LastIndexByte(v, '\\') + 1
	if j := strings.IndexAny(v[i:], " \t"); j >= 0 {
		v = v[:i+j]
	}
	return trimEnd(strings.TrimRight(v, " "))
}

func matchRegistryKeys(ls *lineScan) {
	ls.scan(registryRE, "\t\"'<>|", func(s, e int) int {
		v := cutLastComponent(ls.text[s:e])
		if strings.Contains(v, `\`) && ls.try(RegistryKey, s, s+len(v)) {
			return s + len(v)
		}
		return s
	})
}

func matchWindowsPaths(ls *lineScan) {
	ls.scan(winPathRE, "\t\"'<>|*?;,", func(s, e int) int {
		v := strings.TrimRight(cutLastComponent(ls.text[s:e]), `\`)
		if len(v) > 3 && ls.try(Filepath, s, s+len(v)) {
			return s + len(v)
		}
		return s
	})
}

// wordByte reports whether b continues a word: a token that starts or
// ends next to one is part of something else ("std::map", "abc1.2.3.4").
func wordByte(b byte) bool {
	return b == '_' || b >= '0' && b <= '9' || b >= 'a' && b <= 'z' || b >= 'A' && b <= 'Z' || b >= utf8.RuneSelf
}

func matchIPv6(ls *lineScan) {
	ls.each(ipv6RE, func(s, e int) {
		tok := ls.text[s:e]
		if trimmed := strings.TrimRight(tok, "."); !strings.Contains(tok, "/") {
			tok = trimmed
		}
		e = s + len(tok)
		if s > 0 && wordByte(ls.text[s-1]) || e < len(ls.text) && wordByte(ls.text[e]) {
			return
		}
		if strings.Contains(tok, "/") {
			if ls.try(CIDR, s, e) || !strings.Contains(tok, ":") {
				return
			}
			tok = tok[:strings.IndexByte(tok, '/')]
			e = s + len(tok)
		}
		// "::" alone is C++ or Perl far more often than an address.
		if a, err := netip.ParseAddr(tok); err == nil && a.Is6() && tok != "::" {
			ls.try(IPv6, s, e)
		}
	})
}

func matchIPv4(ls *lineScan) {
	ls.each(ipv4RE, func(s, e int) {
		t := ls.text
		// Part of a longer dotted number (an OID, a four-part version
		// with more parts): not an address at all.
		if s >= 2 && t[s-1] == '.' && t[s-2] >= '0' && t[s-2] <= '9' || e+1 < len(t) && t[e] == '.' && t[e+1] >= '0' && t[e+1] <= '9' {
			return
		}
		typ := IPv4
		if strings.Contains(t[s:e], "/") {
			typ = CIDR
		}
		v, err := Normalize(typ, t[s:e])
		if err != nil {
			return
		}
		if w := lastWordBefore(t, s); versionWords[w] && typ == IPv4 {
			ls.addFlag(typ, s, e, v, "looks like a version number (after "+`"`+w+`"`+")", false)
			return
		}
		ls.add(typ, s, e, v, valueNote(typ, v))
	})
}

func matchJA4(ls *lineScan) { ls.each(ja4RE2, func(s, e int) { ls.try(JA4, s, e) }) }

func matchCVEs(ls *lineScan) { ls.each(cveRE2, func(s, e int) { ls.try(CVE, s, e) }) }

func matchHashes(ls *lineScan) {
	ls.each(hashRE, func(s, e int) {
		h := ls.text[s:e]
		t, ok := hashNames[len(h)]
		// A run of hex digits without both letters and digits is a number
		// or a word, not a hash (the odds of a real one are negligible).
		if ok && strings.ContainsAny(h, "0123456789") && strings.ContainsAny(h, "abcdefABCDEF") {
			ls.try(t, s, e)
		}
	})
}

func matchDomains(ls *lineScan) {
	ls.each(domainRE, func(s, e int) {
		t := ls.text
		tok := strings.Trim(t[s:e], "-_")
		s = strings.Index(t[s:e], tok) + s
		e = s + len(tok)
		// After a slash or backslash it is part of a path; before "(" it
		// is code (document.write(...)).
		if s > 0 && strings.IndexByte(`/\@`, t[s-1]) >= 0 || e < len(t) && t[e] == '(' || !ls.free(s, e) {
			return
		}
		v, err := Normalize(Domain, tok)
		if err != nil {
			return
		}
		tld := v[strings.LastIndexByte(v, '.')+1:]
		switch {
		case reservedTLDs[tld] != "":
			ls.add(Domain, s, e, v, reservedTLDs[tld])
		case !realTLD(tld):
			// report.pdf, setup.exe, config.json, or a TLD left out of the
			// compact list: not offered.
		case fileExt[tld]:
			ls.addFlag(Domain, s, e, v, "ambiguous: ."+tld+" is a file extension as well as a top-level domain", false)
		default:
			ls.add(Domain, s, e, v, valueNote(Domain, v))
		}
	})
}
