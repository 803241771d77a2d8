package indicator

import (
	"fmt"
	"regexp"
	"strings"
	"unicode"
)

// hives maps every way people write a registry hive to its full name,
// which is how STIX (windows-registry-key) and regedit write it.
var hives = map[string]string{
	"HKLM": "HKEY_LOCAL_MACHINE", "HKEY_LOCAL_MACHINE": "HKEY_LOCAL_MACHINE",
	"HKCU": "HKEY_CURRENT_USER", "HKEY_CURRENT_USER": "HKEY_CURRENT_USER",
	"HKCR": "HKEY_CLASSES_ROOT", "HKEY_CLASSES_ROOT": "HKEY_CLASSES_ROOT",
	"HKU": "HKEY_USERS", "HKEY_USERS": "HKEY_USERS",
	"HKCC": "HKEY_CURRENT_CONFIG", "HKEY_CURRENT_CONFIG": "HKEY_CURRENT_CONFIG",
	"HKPD": "HKEY_PERFORMANCE_DATA", "HKEY_PERFORMANCE_DATA": "HKEY_PERFORMANCE_DATA",
	// The kernel's names, as in Sysmon and EDR telemetry.
	`\REGISTRY\MACHINE`: "HKEY_LOCAL_MACHINE", `\REGISTRY\USER`: "HKEY_USERS",
}

var backslashes = regexp.MustCompile(`\\{2,}`)

// normRegistryKey writes the hive in full (HKLM, HKLM: and
// \REGISTRY\MACHINE become HKEY_LOCAL_MACHINE), drops regedit's
// "Computer\" prefix, and collapses doubled backslashes (escaped in JSON,
// .reg files and many reports) and a trailing one. The rest of the path
// keeps its case: the registry ignores case, but people read it.
func normRegistryKey(s string) (string, error) {
	k := backslashes.ReplaceAllString(s, `\`)
	if len(k) > 9 && strings.EqualFold(k[:9], `Computer\`) {
		k = k[9:]
	}
	// Trailing space would be trimmed the next time round; so is a
	// trailing backslash.
	k = strings.TrimRightFunc(k, func(r rune) bool { return r == '\\' || unicode.IsSpace(r) })
	var hive, rest string
	if len(k) > 10 && strings.EqualFold(k[:10], `\REGISTRY\`) {
		first, after, _ := strings.Cut(k[10:], `\`)
		hive, rest = hives[`\REGISTRY\`+strings.ToUpper(first)], after
	} else {
		first, after, _ := strings.Cut(strings.TrimPrefix(k, `\`), `\`)
		hive, rest = hives[strings.ToUpper(strings.TrimSuffix(first, ":"))], after
	}
	if hive == "" {
		return "", fmt.Errorf("%q does not start with a registry hive: use HKEY_LOCAL_MACHINE (HKLM), HKEY_CURRENT_USER (HKCU), "+
			"HKEY_CLASSES_ROOT (HKCR), HKEY_USERS (HKU) or HKEY_CURRENT_CONFIG (HKCC), like HKLM\\Software\\Microsoft\\Windows\\CurrentVersion\\Run", s)
	}
	for _, part := range strings.Split(rest, `\`) {
		if len(part) > 255 {
			return "", fmt.Errorf("%q has a key name longer than the registry's 255 characters", s)
		}
	}
	if rest == "" {
		return hive, nil
	}
	return hive + `\` + rest, nil
}
