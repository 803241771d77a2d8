// Package indicator is the values of indicators of compromise: their
// types, validation and normalisation, refanging, extraction from text and
// STIX patterns. It has no database and no state, so the server (through
// internal/ioc), the sweep engine and the host agent share one definition
// of what a value is and when two are the same.
package indicator

import "strings"

// Type is the kind of value an indicator holds.
type Type string

// The indicator types.
const (
	IPv4        Type = "ipv4"
	IPv6        Type = "ipv6"
	CIDR        Type = "cidr"
	Domain      Type = "domain"
	URL         Type = "url"
	Email       Type = "email"
	MD5         Type = "md5"
	SHA1        Type = "sha1"
	SHA256      Type = "sha256"
	SHA512      Type = "sha512"
	Filename    Type = "filename"
	Filepath    Type = "filepath"
	RegistryKey Type = "registry_key"
	UserAccount Type = "user_account"
	Hostname    Type = "hostname"
	ProcessName Type = "process_name"
	CVE         Type = "cve"
	JA3         Type = "ja3"
	JA4         Type = "ja4"
	Other       Type = "other"
	// StixPattern is a STIX 2.1 pattern kept whole because it is not a
	// list of literal values (MATCHES, ranges, AND, FOLLOWEDBY,
	// qualifiers…); the value is its canonical form (stixpattern.go).
	StixPattern Type = "stix_pattern"
)

// Types lists every type, in the order forms show them.
var Types = []Type{IPv4, IPv6, CIDR, Domain, URL, Email, MD5, SHA1, SHA256, SHA512, Filename, Filepath, RegistryKey,
	UserAccount, Hostname, ProcessName, CVE, JA3, JA4, Other, StixPattern}

// TypeList is the types for messages: "ipv4, ipv6, …".
func TypeList() string {
	s := make([]string, len(Types))
	for i, t := range Types {
		s[i] = string(t)
	}
	return strings.Join(s, ", ")
}
