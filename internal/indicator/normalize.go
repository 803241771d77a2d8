package indicator

import (
	"errors"
	"fmt"
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Normalize checks that value is a valid t and returns its canonical form,
// so that the same indicator written two ways is stored once. Surrounding
// space is always trimmed. The error says what is wrong and what is
// allowed; it never wraps another error.
//
// Normalize is idempotent: Normalize(t, Normalize(t, v)) is the same value.
func Normalize(t Type, value string) (string, error) {
	s := strings.TrimSpace(value)
	switch {
	case s == "":
		return "", errors.New("is empty: give the value")
	case len(s) > MaxValue:
		return "", fmt.Errorf("is %d bytes long; the limit is %d", len(s), MaxValue)
	case !utf8.ValidString(s):
		return "", errors.New("is not valid UTF-8 text")
	case strings.ContainsFunc(s, unicode.IsControl):
		return "", fmt.Errorf("%q contains a line break, tab or other control character", s)
	}
	switch t {
	case IPv4:
		return normIPv4(s)
	case IPv6:
		return normIPv6(s)
	case CIDR:
		return normCIDR(s)
	case Domain:
		return normHost(s, false)
	case Hostname:
		return normHost(s, true)
	case URL:
		return normURL(s)
	case Email:
		return normEmail(s)
	case MD5:
		return normHex(s, "an MD5 hash", 32)
	case SHA1:
		return normHex(s, "a SHA-1 hash", 40)
	case SHA256:
		return normHex(s, "a SHA-256 hash", 64)
	case SHA512:
		return normHex(s, "a SHA-512 hash", 128)
	case JA3:
		return normHex(s, "a JA3 fingerprint (the MD5 of the JA3 string)", 32)
	case JA4:
		return normJA4(s)
	case CVE:
		return normCVE(s)
	case Filename:
		return normName(s, "file name", "report.pdf")
	case ProcessName:
		return normName(s, "process name", "powershell.exe")
	case Filepath:
		return normPath(s)
	case RegistryKey:
		return normRegistryKey(s)
	case UserAccount:
		return normAccount(s)
	case Other:
		return s, nil
	case StixPattern:
		return normPattern(s)
	}
	return "", fmt.Errorf("type %q is not allowed; use one of %s", t, TypeList())
}

// hashNames names the hashes by length, to say what a wrong-length value
// probably is.
var hashNames = map[int]Type{32: MD5, 40: SHA1, 64: SHA256, 128: SHA512}

func isHex(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !('0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F') {
			return false
		}
	}
	return s != ""
}

func normHex(s, name string, n int) (string, error) {
	if len(s) == n && isHex(s) {
		return strings.ToLower(s), nil
	}
	msg := fmt.Sprintf("%q is not %s: it must be %d hexadecimal characters (0-9, a-f)", s, name, n)
	switch {
	case !isHex(s):
		msg += " and nothing else"
	case hashNames[len(s)] != "":
		msg += fmt.Sprintf(", not %d; %d is the length of %s", len(s), len(s), hashNames[len(s)])
	default:
		msg += fmt.Sprintf(", not %d", len(s))
	}
	return "", errors.New(msg)
}

var (
	cveRE = regexp.MustCompile(`^CVE-[0-9]{4}-[0-9]{4,19}$`)
	ja4RE = regexp.MustCompile(`^[tqd](?:13|12|11|10|s3|s2|d1|d2|d3|00)[di][0-9]{4}[0-9a-z]{2}_[0-9a-f]{12}_[0-9a-f]{12}$`)
	// dashes people paste from word processors instead of a hyphen.
	dashes = strings.NewReplacer("\u2010", "-", "\u2011", "-", "\u2012", "-", "\u2013", "-", "\u2014", "-", "\u2212", "-")
)

func normCVE(s string) (string, error) {
	u := strings.ToUpper(dashes.Replace(s))
	if !cveRE.MatchString(u) || u[4:8] < "1999" {
		return "", fmt.Errorf("%q is not a CVE ID like CVE-2021-44228: CVE, a year from 1999, and a number of at least four digits, separated by hyphens", s)
	}
	return u, nil
}

// normJA4 checks the shape of a JA4 (TLS client) fingerprint: JA4_a (the
// protocol, TLS version, SNI flag, cipher and extension counts and ALPN
// characters), then the two truncated SHA-256 hashes JA4_b and JA4_c.
// The specification writes it in lower case.
func normJA4(s string) (string, error) {
	l := strings.ToLower(s)
	if !ja4RE.MatchString(l) {
		return "", fmt.Errorf("%q is not a JA4 fingerprint like t13d1516h2_8daaf6152771_e5627efa2ab1: t, q or d; the TLS version "+
			"(13, 12, 11, 10, s3, s2, d1, d2, d3 or 00); d or i; two digits counting ciphers and two counting extensions; two ALPN "+
			"characters; then _ and 12 hexadecimal characters, twice", s)
	}
	return l, nil
}

// normName checks a bare name (a file or a process): no directory, since
// that is a path.
func normName(s, what, example string) (string, error) {
	switch {
	case strings.ContainsAny(s, `/\`):
		return "", fmt.Errorf("%q is a path: use type filepath, or give the %s alone, like %s", s, what, example)
	case s == "." || s == "..":
		return "", fmt.Errorf("%q is not a %s", s, what)
	case utf8.RuneCountInString(s) > 255:
		return "", fmt.Errorf("a %s is at most 255 characters", what)
	}
	return s, nil
}

// normPath keeps a Windows or POSIX path as written: case matters on one
// and not the other, and "C:\Users\x" and "c:\users\x" are the same file
// only on Windows, which the value alone does not prove.
func normPath(s string) (string, error) {
	if !strings.ContainsAny(s, `/\`) {
		return "", fmt.Errorf("%q has no directory: give a path like C:\\Users\\Public\\evil.exe or /tmp/.x/miner, or use type filename for a name alone", s)
	}
	return s, nil
}

// normAccount accepts DOMAIN\user, user@domain or a bare user name.
func normAccount(s string) (string, error) {
	if utf8.RuneCountInString(s) > 256 || strings.HasPrefix(s, `\`) || strings.HasSuffix(s, `\`) ||
		strings.HasPrefix(s, "@") || strings.HasSuffix(s, "@") {
		return "", fmt.Errorf("%q is not a user account: give DOMAIN\\user, user@domain or a user name (at most 256 characters)", s)
	}
	return s, nil
}
