package web

import "github.com/warroom/warroom/internal/incident"

// pageLabels are the words of the analysis pages for values the incident
// package does not name: indicator types, custody actions and statuses.
var pageLabels = map[string]string{
	"ipv4": "IPv4", "ipv6": "IPv6", "cidr": "Network (CIDR)", "domain": "Domain", "url": "URL", "email": "Email address",
	"md5": "MD5", "sha1": "SHA-1", "sha256": "SHA-256", "sha512": "SHA-512", "filename": "File name", "filepath": "File path",
	"registry_key": "Registry key", "user_account": "User account", "hostname": "Host name", "process_name": "Process name",
	"cve": "CVE", "ja3": "JA3", "ja4": "JA4",
	"transfer": "Transfer", "access": "Access", "export": "Export", "return": "Return", "destroy": "Destroy",
	"collected": "Collected", "transferred": "Transferred", "accessed": "Accessed", "exported": "Exported",
	"returned": "Returned", "destroyed": "Destroyed", "held": "Held",
}

// label is the human name of an enum value on any page.
func label(v any) string {
	if s, ok := v.(string); ok {
		if l, ok := pageLabels[s]; ok {
			return l
		}
	}
	return incident.Label(v)
}
