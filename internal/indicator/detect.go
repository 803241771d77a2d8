package indicator

import (
	"regexp"
	"strings"
)

var (
	detectWinPath = regexp.MustCompile(`^(?:[A-Za-z]:[\\/]|\\\\[^\\]+\\|%[A-Za-z_][A-Za-z0-9_()]*%\\)`)
	detectAccount = regexp.MustCompile(`^[\p{L}\p{N}._-]+\\[\p{L}\p{N}._$ -]+$`)
)

// Detect guesses the type of one value, refanged first, for forms that
// fill in the type as someone pastes: the most specific type whose rules
// the value meets. ok is false when nothing fits; "other" is for a person
// to choose. A name whose "TLD" is only a file extension (report.pdf) is
// a filename; one that is both (payload.zip) is a domain.
func Detect(value string) (t Type, ok bool) {
	s := strings.TrimSpace(Refang(value))
	valid := func(t Type) bool { _, err := Normalize(t, s); return err == nil }
	switch {
	case s == "":
		return "", false
	case strings.Contains(s, "://"):
		return URL, valid(URL)
	case valid(IPv4):
		return IPv4, true
	case valid(IPv6):
		return IPv6, true
	case strings.Contains(s, "/") && valid(CIDR):
		return CIDR, true
	case !strings.ContainsAny(s, " \\/") && strings.Contains(s, "@") && valid(Email):
		return Email, true
	case isHex(s) && hashNames[len(s)] != "":
		return hashNames[len(s)], true
	case valid(CVE):
		return CVE, true
	case valid(JA4):
		return JA4, true
	case valid(RegistryKey):
		return RegistryKey, true
	case detectWinPath.MatchString(s) || strings.HasPrefix(s, "/") || strings.HasPrefix(s, "~/"):
		return Filepath, valid(Filepath)
	case detectAccount.MatchString(s):
		return UserAccount, true
	case !strings.Contains(s, " ") && valid(Domain):
		d, _ := Normalize(Domain, s)
		tld := d[strings.LastIndexByte(d, '.')+1:]
		if fileExt[tld] && !realTLD(tld) {
			return Filename, true
		}
		return Domain, true
	}
	return "", false
}
