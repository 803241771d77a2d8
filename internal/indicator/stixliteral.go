package indicator

import (
	"fmt"
	"slices"
	"strings"
)

// Which indicator type a STIX pattern property holds (docs/indicators.md
// has the tables).

// HashTypes maps STIX hash names (the hash-algorithm-ov vocabulary, and
// the spellings other tools use) to indicator types.
var HashTypes = map[string]Type{"md5": MD5, "sha-1": SHA1, "sha1": SHA1, "sha-256": SHA256, "sha256": SHA256, "sha-512": SHA512, "sha512": SHA512}

// literalPaths maps an object path (type:key as objectPath.key writes it)
// to the indicator type a literal compared with it is.
var literalPaths = map[string]Type{
	"url:value":                       URL,
	"email-addr:value":                Email,
	"email-message:from_ref.value":    Email,
	"email-message:sender_ref.value":  Email,
	"email-message:to_refs[*].value":  Email,
	"email-message:cc_refs[*].value":  Email,
	"email-message:bcc_refs[*].value": Email,
	"file:name":                       Filename,
	"process:image_ref.name":          ProcessName,
	"process:name":                    ProcessName, // STIX 2.0
	"windows-registry-key:key":        RegistryKey,
	"user-account:user_id":            UserAccount,
	"user-account:account_login":      UserAccount,
	"directory:path":                  Filepath,
	"file:parent_directory_ref.path":  Filepath,
	"network-traffic:src_ref.value":   "address",
	"network-traffic:dst_ref.value":   "address",
	"ipv4-addr:value":                 "address",
	"ipv6-addr:value":                 "address",
	"domain-name:value":               "host",
}

// literalIndicator maps "path = 'value'" to an indicator type and the
// normalised value; type "" when no indicator type holds that property
// (the caller keeps it as a pattern), an error when the value does not fit
// the type.
func literalIndicator(path objectPath, value string) (Type, string, error) {
	key := path.objType + ":" + path.key()
	t, known := literalPaths[key]
	switch {
	case strings.HasPrefix(path.objType, "x-warroom-") && path.key() == "value":
		t = Type(strings.ReplaceAll(strings.TrimPrefix(path.objType, "x-warroom-"), "-", "_"))
		if !slices.Contains(Types, t) || t == StixPattern {
			return "", "", fmt.Errorf("%s is not a Warroom indicator type", path.objType)
		}
	case (path.objType == "file" || path.objType == "artifact" || path.objType == "x509-certificate") &&
		len(path.steps) == 2 && strings.EqualFold(path.steps[0].key, "hashes"):
		t = HashTypes[strings.ToLower(path.steps[1].key)]
		if t == "" {
			return "", "", nil // SHA3, SSDEEP, TLSH: no indicator type
		}
	case !known:
		return "", "", nil
	}
	switch t {
	case "":
		return "", "", nil
	case "address":
		return GuessValue(value, IPv4, IPv6, CIDR, Domain)
	case "host":
		return GuessValue(value, Domain, Hostname)
	case Filename:
		if strings.ContainsAny(value, `/\`) {
			t = Filepath
		}
	}
	n, err := Normalize(t, value)
	if err != nil {
		return "", "", fmt.Errorf("not a valid %s: %s", t, err.Error())
	}
	return t, n, nil
}

// GuessValue returns the first of types that value is valid as, or the
// error of the first.
func GuessValue(value string, types ...Type) (Type, string, error) {
	var first error
	for _, t := range types {
		n, err := Normalize(t, value)
		if err == nil {
			return t, n, nil
		}
		if first == nil {
			first = fmt.Errorf("not a valid %s: %s", t, err.Error())
		}
	}
	return "", "", first
}
