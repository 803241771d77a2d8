package indicator

import (
	"net/netip"
	"net/url"
	"strings"
)

// specialRanges are address ranges that are not anyone's public address.
// netip's own predicates cover private, loopback, link-local, multicast
// and unspecified addresses; these are the rest of RFC 6890's table that
// reports trip over.
var specialRanges = []struct {
	prefix netip.Prefix
	note   string
}{
	{netip.MustParsePrefix("100.64.0.0/10"), "private address (carrier-grade NAT, RFC 6598)"},
	{netip.MustParsePrefix("192.0.2.0/24"), "documentation range (RFC 5737), not a real address"},
	{netip.MustParsePrefix("198.51.100.0/24"), "documentation range (RFC 5737), not a real address"},
	{netip.MustParsePrefix("203.0.113.0/24"), "documentation range (RFC 5737), not a real address"},
	{netip.MustParsePrefix("2001:db8::/32"), "documentation range (RFC 3849), not a real address"},
	{netip.MustParsePrefix("198.18.0.0/15"), "reserved range for benchmarking (RFC 2544)"},
	{netip.MustParsePrefix("0.0.0.0/8"), "reserved range (this network, RFC 1122)"},
	{netip.MustParsePrefix("192.0.0.0/24"), "reserved range (IETF protocol assignments)"},
	{netip.MustParsePrefix("255.255.255.255/32"), "broadcast address"},
	{netip.MustParsePrefix("240.0.0.0/4"), "reserved range (240.0.0.0/4, future use)"},
}

// addrNote says why an address is not a public one, or "" when it is.
func addrNote(a netip.Addr) string {
	a = a.Unmap()
	switch {
	case a.IsUnspecified():
		return "unspecified address"
	case a.IsLoopback():
		return "loopback address"
	case a.IsPrivate() && a.Is4():
		return "private address (RFC 1918)"
	case a.IsPrivate():
		return "private address (unique local, RFC 4193)"
	case a.IsLinkLocalUnicast() || a.IsLinkLocalMulticast():
		return "link-local address"
	case a.IsMulticast():
		return "multicast address"
	}
	for _, r := range specialRanges {
		if r.prefix.Contains(a) {
			return r.note
		}
	}
	return ""
}

// valueNote says why a normalised value of type t is doubtful, or "".
func valueNote(t Type, v string) string {
	switch t {
	case IPv4, IPv6:
		if a, err := netip.ParseAddr(v); err == nil {
			return addrNote(a)
		}
	case CIDR:
		if p, err := netip.ParsePrefix(v); err == nil {
			return addrNote(p.Addr())
		}
	case Domain, Hostname:
		return domainNote(v)
	case Email:
		return domainNote(v[strings.LastIndexByte(v, '@')+1:])
	case URL:
		u, err := url.Parse(v)
		if err != nil {
			return ""
		}
		if a, err := netip.ParseAddr(u.Hostname()); err == nil {
			return addrNote(a)
		}
		return domainNote(u.Hostname())
	case MD5, SHA1, SHA256, SHA512:
		if emptyHashes[v] {
			return "the hash of empty input, not of a real file"
		}
	}
	return ""
}

// emptyHashes are the MD5, SHA-1, SHA-256 and SHA-512 of nothing: tools
// print them for empty files, and they match every empty file everywhere.
var emptyHashes = map[string]bool{
	"d41d8cd98f00b204e9800998ecf8427e":                                 true,
	"da39a3ee5e6b4b0d3255bfef95601890afd80709":                         true,
	"e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855": true,
	"cf83e1357eefb8bdf1542850d66d8007d620e4050b5715dc83f4a921d36ce9ce47d0d13c5d85f2b0ff8318d2877eec2f63b931bd47417a81a538327af927da3e": true,
}

// domainNote flags reserved and internal names: the documentation
// domains and the TLDs in reservedTLDs.
func domainNote(d string) string {
	labels := strings.Split(d, ".")
	tld := labels[len(labels)-1]
	if len(labels) == 1 {
		if tld == "localhost" {
			return reservedTLDs[tld]
		}
		return ""
	}
	if n, ok := reservedTLDs[tld]; ok {
		return n
	}
	if sld := labels[len(labels)-2]; sld == "example" && (tld == "com" || tld == "net" || tld == "org") {
		return "reserved for documentation (RFC 2606)"
	}
	return ""
}
