package sweep

import (
	"fmt"
	"strings"

	"github.com/warroom/warroom/internal/indicator"
)

// Indicator is one value to look for.
type Indicator struct {
	Type  indicator.Type
	Value string
	// Subdomains makes a domain indicator also match names below it:
	// evil.com then matches www.evil.com (never notevil.com). Only for
	// type domain.
	Subdomains bool
}

// Options change how indicators are matched.
type Options struct {
	// CaseSensitiveNames compares file names, process names and POSIX
	// paths exactly; by default names are compared without regard to
	// ASCII case, as Windows does. POSIX paths (no drive letter or
	// backslash) are always compared exactly.
	CaseSensitiveNames bool
	// Defanged also finds indicators written in defanged form in the text
	// (evil[.]com, hxxp://, user[at]evil.com). Off by default: logs are
	// rarely defanged and the check costs a little on lines with
	// brackets.
	Defanged bool
}

// boundary classes: what may not touch a match at either end.
const (
	classWord = iota // letters, digits, _ and non-ASCII bytes
	classHost        // word characters, '-' and '.'
)

// literal is a compiled literal indicator.
type literal struct {
	id     int32  // index into Matcher.inds
	value  string // normalised; lower case where the type folds case
	fold   int    // bytes [0, fold) compare without ASCII case
	class  uint8
	sub    bool // domain: subdomains count
	anchor int  // offset of the word run the table is keyed on
}

// MaxIndicators bounds a compiled set; the matcher's tables are sized from
// it and a larger set is almost certainly a mistake (a whole feed pasted).
const MaxIndicators = 5_000_000

// sweepable are the types a sweep can find: values with a token's shape.
// Free text (other) and whole STIX patterns are not.
var sweepable = map[indicator.Type]bool{
	indicator.IPv4: true, indicator.IPv6: true, indicator.CIDR: true, indicator.Domain: true, indicator.URL: true, indicator.Email: true,
	indicator.MD5: true, indicator.SHA1: true, indicator.SHA256: true, indicator.SHA512: true, indicator.Filename: true, indicator.Filepath: true,
	indicator.RegistryKey: true, indicator.UserAccount: true, indicator.Hostname: true, indicator.ProcessName: true, indicator.CVE: true,
	indicator.JA3: true, indicator.JA4: true,
}

// Sweepable reports whether indicators of type t can be swept for.
func Sweepable(t indicator.Type) bool { return sweepable[t] }

// prepare normalises one indicator with the shared rules of internal/ioc
// and says how it is matched.
func prepare(in Indicator, opt Options) (Indicator, error) {
	if !sweepable[in.Type] {
		return in, fmt.Errorf("type %q cannot be swept for: only values with a token's shape can (ipv4, domain, sha256…; not other or STIX patterns)", in.Type)
	}
	v, err := indicator.Normalize(in.Type, in.Value)
	if err != nil {
		return in, fmt.Errorf("%s %w", in.Type, err)
	}
	if in.Subdomains && in.Type != indicator.Domain {
		return in, fmt.Errorf("%s %q: subdomains apply only to type domain", in.Type, in.Value)
	}
	in.Value = v
	return in, nil
}

// caseRule returns how many leading bytes of the normalised value compare
// without regard to case.
func caseRule(t indicator.Type, v string, opt Options) int {
	switch t {
	case indicator.MD5, indicator.SHA1, indicator.SHA256, indicator.SHA512, indicator.JA3, indicator.JA4, indicator.CVE, indicator.Domain, indicator.Hostname,
		indicator.Email, indicator.RegistryKey, indicator.UserAccount:
		return len(v)
	case indicator.URL:
		// Scheme and host are case-insensitive (RFC 3986 §6.2.2.1); the
		// path and query are not.
		if i := strings.Index(v, "://"); i >= 0 {
			if j := strings.IndexAny(v[i+3:], "/?#"); j >= 0 {
				return i + 3 + j
			}
		}
		return len(v)
	case indicator.Filename, indicator.ProcessName:
		if opt.CaseSensitiveNames {
			return 0
		}
		return len(v)
	case indicator.Filepath:
		if windowsPath(v) && !opt.CaseSensitiveNames {
			return len(v)
		}
		return 0
	}
	return 0
}

// windowsPath reports whether a path is written the Windows way, where
// case does not matter.
func windowsPath(v string) bool {
	return strings.Contains(v, `\`) || len(v) >= 2 && v[1] == ':' && isLetter(v[0])
}

func isLetter(c byte) bool { return 'a' <= c|0x20 && c|0x20 <= 'z' }

// classOf says which characters may not touch the value: hashes and other
// fixed-shape tokens stop at any non-word character, names stop at
// host-name characters too, so evil.com is not found in evil.com.au and
// evil.exe not in evil.exe.txt.
func classOf(t indicator.Type) uint8 {
	switch t {
	case indicator.MD5, indicator.SHA1, indicator.SHA256, indicator.SHA512, indicator.JA3, indicator.JA4, indicator.CVE:
		return classWord
	}
	return classHost
}
