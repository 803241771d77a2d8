package indicator

import (
	"errors"
	"fmt"
	"net/netip"
	"net/url"
	"strconv"
	"strings"
	"unicode"

	"golang.org/x/net/idna"
)

// normIPv4 accepts four decimal numbers 0-255. Leading zeros are read as
// decimal and dropped (010.0.0.1 is 10.0.0.1), which is what reports that
// pad addresses mean; the octal and hexadecimal forms some C libraries
// accept are refused rather than guessed at.
func normIPv4(s string) (string, error) {
	bad := func(why string) (string, error) {
		return "", fmt.Errorf("%q is not an IPv4 address%s: give four numbers 0-255 separated by dots, like 192.0.2.1", s, why)
	}
	switch {
	case strings.Contains(s, "/"):
		return bad("; it has a prefix length, so use type cidr")
	case strings.Count(s, ":") == 1:
		return bad(" (it has a port; give the address alone)")
	case strings.Contains(s, ":"):
		return bad("; it looks like IPv6, so use type ipv6")
	}
	parts := strings.Split(s, ".")
	if len(parts) != 4 {
		return bad("")
	}
	var n [4]int
	for i, p := range parts {
		if len(p) == 0 || len(p) > 3 || strings.Trim(p, "0123456789") != "" {
			return bad("")
		}
		n[i], _ = strconv.Atoi(p)
		if n[i] > 255 {
			return bad(fmt.Sprintf(" (%s is more than 255)", p))
		}
	}
	return fmt.Sprintf("%d.%d.%d.%d", n[0], n[1], n[2], n[3]), nil
}

// normIPv6 returns the RFC 5952 form: lower case, longest zero run
// compressed, an embedded IPv4 address kept dotted.
func normIPv6(s string) (string, error) {
	if strings.HasPrefix(s, "[") && strings.HasSuffix(s, "]") {
		s = s[1 : len(s)-1]
	}
	if strings.Contains(s, "%") {
		return "", fmt.Errorf("%q has a zone (after %%), which only means something on one machine; give the address alone", s)
	}
	a, err := netip.ParseAddr(s)
	switch {
	case err == nil && a.Is4():
		return "", fmt.Errorf("%q is an IPv4 address; use type ipv4", s)
	case err != nil:
		return "", fmt.Errorf("%q is not an IPv6 address like 2001:db8::1", s)
	}
	return a.String(), nil
}

// normCIDR returns the network of a prefix: 10.1.2.3/8 is 10.0.0.0/8.
func normCIDR(s string) (string, error) {
	addr, bits, ok := strings.Cut(s, "/")
	if !ok {
		return "", fmt.Errorf("%q has no prefix length: give a network like 192.0.2.0/24 or 2001:db8::/32", s)
	}
	norm := normIPv4
	if strings.Contains(addr, ":") {
		norm = normIPv6
	}
	a, err := norm(addr)
	if err != nil {
		return "", fmt.Errorf("%q is not a network like 192.0.2.0/24 or 2001:db8::/32: the address %s", s, strings.TrimPrefix(err.Error(), strconv.Quote(addr)+" "))
	}
	p, err := netip.ParsePrefix(a + "/" + bits)
	if err != nil || strings.Trim(bits, "0123456789") != "" {
		return "", fmt.Errorf("%q is not a network: the prefix length must be 0-32 for IPv4 and 0-128 for IPv6", s)
	}
	return p.Masked().String(), nil
}

// hostProfile maps and converts host names for lookup (UTS 46: lower
// case, IDN labels to punycode) but allows underscores, which real DNS
// names (and malware's) use even though host names may not.
var hostProfile = idna.New(idna.MapForLookup(), idna.BidiRule(), idna.Transitional(false), idna.StrictDomainName(false))

// normHost normalises a domain (at least two labels) or, with single, a
// host name that may be one label: lower case, punycode, no trailing dot.
func normHost(s string, single bool) (string, error) {
	what, example := "domain", "example.com"
	if single {
		what, example = "host name", "ws-0142 or mail.example.com"
	}
	if a, err := netip.ParseAddr(strings.Trim(s, "[]")); err == nil {
		return "", fmt.Errorf("%q is an IP address; use type ipv%d", s, map[bool]int{true: 4, false: 6}[a.Is4()])
	}
	badLabel := fmt.Errorf("%q is not a %s like %s: each part between dots must be 1-63 letters, digits, - or _, not starting or ending with -", s, what, example)
	h, err := hostProfile.ToASCII(s)
	if err != nil {
		return "", badLabel
	}
	h = strings.TrimSuffix(strings.ToLower(h), ".")
	labels := strings.Split(h, ".")
	switch {
	case len(h) > 253:
		return "", fmt.Errorf("%q is longer than the 253 characters a %s may have", s, what)
	case !single && len(labels) < 2:
		return "", fmt.Errorf("%q is not a domain like example.com: it needs at least one dot (use type hostname for a single name)", s)
	case len(labels) > 1 && strings.Trim(labels[len(labels)-1], "0123456789") == "":
		return "", fmt.Errorf("%q is not a %s: it ends in a number, and top-level domains are letters", s, what)
	}
	for _, l := range labels {
		if len(l) == 0 || len(l) > 63 || l[0] == '-' || l[len(l)-1] == '-' || strings.Trim(l, "abcdefghijklmnopqrstuvwxyz0123456789-_") != "" {
			return "", badLabel
		}
	}
	return h, nil
}

// defaultPorts are dropped from URLs: http://x:80/ is http://x/.
var defaultPorts = map[string]string{"http": "80", "https": "443", "ftp": "21", "ws": "80", "wss": "443"}

// normURL lower-cases the scheme and host, converts an IDN host to
// punycode, normalises an IP host, drops the scheme's default port and
// gives an empty path "/". Path, query and fragment are kept: they are
// case-sensitive and a server may read them byte for byte.
func normURL(s string) (string, error) {
	bad := errors.New(strconv.Quote(s) + " is not a URL with a scheme and a host, like https://example.com/path")
	u, err := url.Parse(s)
	if err != nil || u.Scheme == "" || u.Opaque != "" || u.Host == "" {
		return "", bad
	}
	host, port := u.Hostname(), u.Port()
	switch {
	case strings.Contains(host, ":"):
		if host, err = normIPv6(host); err != nil {
			return "", bad
		}
		host = "[" + host + "]"
	case strings.Trim(host, "0123456789.") == "":
		if host, err = normIPv4(host); err != nil {
			return "", bad
		}
	default:
		if host, err = normHost(host, true); err != nil {
			return "", fmt.Errorf("%q is not a URL like https://example.com/path: its host %s", s, strings.TrimPrefix(err.Error(), strconv.Quote(u.Hostname())+" "))
		}
	}
	if port != "" {
		n, err := strconv.Atoi(port)
		if err != nil || n > 65535 {
			return "", fmt.Errorf("%q has port %s; ports are 0-65535", s, port)
		}
		if port = strconv.Itoa(n); defaultPorts[u.Scheme] == port {
			port = ""
		}
	}
	u.Host = host
	if port != "" {
		u.Host += ":" + port
	}
	if u.Path == "" {
		u.Path, u.RawPath = "/", ""
	}
	out := u.String()
	if _, err := url.Parse(out); err != nil {
		return "", bad
	}
	return out, nil
}

// normEmail lower-cases and punycodes the domain; the local part is kept
// as written, since only the receiving server may decide it is
// case-insensitive.
func normEmail(s string) (string, error) {
	bad := fmt.Errorf("%q is not an email address like name@example.com", s)
	i := strings.LastIndexByte(s, '@')
	if i <= 0 || i == len(s)-1 {
		return "", bad
	}
	local, dom := s[:i], s[i+1:]
	if len(local) > 64 || local[0] == '.' || local[len(local)-1] == '.' || strings.Contains(local, "..") ||
		strings.ContainsFunc(local, func(r rune) bool {
			return !(unicode.IsLetter(r) || unicode.IsDigit(r) || strings.ContainsRune(".!#$%&'*+/=?^_`{|}~-", r))
		}) {
		return "", fmt.Errorf("%q is not an email address like name@example.com: the part before @ may hold letters, digits and .!#$%%&'*+/=?^_`{|}~- (no spaces, no two dots in a row)", s)
	}
	d, err := normHost(dom, false)
	if err != nil {
		return "", fmt.Errorf("%q is not an email address like name@example.com: the domain %s", s, strings.TrimPrefix(err.Error(), strconv.Quote(dom)+" "))
	}
	return local + "@" + d, nil
}
