package ioc

import (
	"bytes"
	"encoding/json"
	"strings"
	"time"

	"github.com/google/uuid"

	"github.com/warroom/warroom/internal/indicator"
)

// STIX 2.1 export. Every object ID is a UUIDv5, so exporting the same
// indicators again gives the same IDs and a consumer updates its copy
// instead of adding another:
//   - cyber-observables use the specification's deterministic IDs
//     (section 2.9: UUIDv5 in the namespace stixSCONamespace over the
//     canonical JSON of the ID-contributing properties);
//   - indicators use Warroom's namespace over type and value;
//   - the organisation's identity uses it over the organisation ID.

var (
	stixSCONamespace = uuid.MustParse("00abedb4-aa42-466c-9c01-fed23315a9b7")
	warroomNamespace = uuid.NewSHA1(uuid.NameSpaceURL, []byte("urn:warroom:stix"))
)

// tlp2Markings are the OASIS TLP 2.0 marking definitions, as published,
// for the bundle to carry the ones its objects reference.
var tlp2Markings = map[string]struct{ id, name, level string }{
	"clear":        {"marking-definition--94868c89-83c2-464b-929b-a1a8aa3c8487", "TLP:CLEAR", "clear"},
	"green":        {"marking-definition--bab4a63c-aed9-4cf5-a766-dfca5abac2bb", "TLP:GREEN", "green"},
	"amber":        {"marking-definition--55d920b0-5e8b-4f79-9ee9-91f868d9b421", "TLP:AMBER", "amber"},
	"amber_strict": {"marking-definition--939a9414-2ddd-4d32-a0cd-375ea402b003", "TLP:AMBER+STRICT", "amber+strict"},
	"red":          {"marking-definition--e828b379-4e03-4974-9ac4-e53a884c97c1", "TLP:RED", "red"},
}

// stixTime writes a STIX timestamp: UTC, Z, milliseconds.
func stixTime(t time.Time) string { return t.UTC().Format("2006-01-02T15:04:05.000Z") }

// stixPatternFor writes the pattern of an indicator: a literal comparison
// on the property STIX keeps the value in, a custom x-warroom-<type>
// object for the types STIX has no property for (hostname, file path,
// CVE, JA3, JA4, other), the pattern itself for stix_pattern.
func stixPatternFor(t Type, v string) string {
	path := ""
	switch t {
	case StixPattern:
		return v
	case IPv4:
		path = "ipv4-addr:value"
	case IPv6:
		path = "ipv6-addr:value"
	case CIDR:
		path = "ipv4-addr:value"
		if strings.Contains(v, ":") {
			path = "ipv6-addr:value"
		}
	case Domain:
		path = "domain-name:value"
	case URL:
		path = "url:value"
	case Email:
		path = "email-addr:value"
	case MD5:
		path = "file:hashes.MD5"
	case SHA1:
		path = "file:hashes.'SHA-1'"
	case SHA256:
		path = "file:hashes.'SHA-256'"
	case SHA512:
		path = "file:hashes.'SHA-512'"
	case Filename:
		path = "file:name"
	case RegistryKey:
		path = "windows-registry-key:key"
	case UserAccount:
		path = "user-account:account_login"
	case ProcessName:
		path = "process:image_ref.name"
	default:
		path = customType(t) + ":value"
	}
	return "[" + path + " = " + indicator.QuotePatternString(v) + "]"
}

func customType(t Type) string { return "x-warroom-" + strings.ReplaceAll(string(t), "_", "-") }

// scoFor returns the cyber-observable for an artifact: its type and the
// properties that identify it.
func scoFor(t Type, v string) (string, map[string]any) {
	switch t {
	case IPv4:
		return "ipv4-addr", map[string]any{"value": v}
	case IPv6:
		return "ipv6-addr", map[string]any{"value": v}
	case CIDR:
		if strings.Contains(v, ":") {
			return "ipv6-addr", map[string]any{"value": v}
		}
		return "ipv4-addr", map[string]any{"value": v}
	case Domain:
		return "domain-name", map[string]any{"value": v}
	case URL:
		return "url", map[string]any{"value": v}
	case Email:
		return "email-addr", map[string]any{"value": v}
	case MD5, SHA1, SHA256, SHA512:
		names := map[Type]string{MD5: "MD5", SHA1: "SHA-1", SHA256: "SHA-256", SHA512: "SHA-512"}
		return "file", map[string]any{"hashes": map[string]string{names[t]: v}}
	case Filename:
		return "file", map[string]any{"name": v}
	case RegistryKey:
		return "windows-registry-key", map[string]any{"key": v}
	case UserAccount:
		return "user-account", map[string]any{"account_login": v}
	}
	return customType(t), map[string]any{"value": v}
}

// canonicalJSON encodes v with sorted keys and no HTML escaping, which is
// the JSON Canonicalization Scheme (RFC 8785) for the strings and maps
// IDs are made from.
func canonicalJSON(v any) []byte {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	_ = enc.Encode(v)
	return bytes.TrimRight(b.Bytes(), "\n")
}

// BuildSTIX writes a STIX 2.1 bundle: the organisation's identity, one
// indicator per indicator of compromise, one cyber-observable per
// artifact, and the TLP 2.0 marking definitions they reference. What
// STIX has no property for travels in x_warroom_* properties, so a
// re-import keeps it.
func BuildSTIX(meta ExportMeta, items []Indicator) ([]byte, error) {
	identityID := "identity--" + uuid.NewSHA1(warroomNamespace, []byte("identity\x00"+meta.OrgID)).String()
	objects := []any{map[string]any{
		"type": "identity", "spec_version": "2.1", "id": identityID,
		"created": stixTime(meta.OrgCreated), "modified": stixTime(meta.OrgCreated),
		"name": meta.OrgName, "identity_class": "organization",
	}}
	used := map[string]bool{}
	for _, x := range items {
		mark := tlp2Markings[x.TLP]
		used[x.TLP] = true
		var o map[string]any
		if x.IsIOC || x.Type == StixPattern {
			// A pattern cannot be an observable: an artifact that is a
			// pattern stays an indicator, of type "unknown".
			kind := "malicious-activity"
			if !x.IsIOC {
				kind = "unknown"
			}
			o = map[string]any{
				"type": "indicator", "spec_version": "2.1",
				"id":      "indicator--" + uuid.NewSHA1(warroomNamespace, []byte(string(x.Type)+"\x00"+x.Value)).String(),
				"created": stixTime(x.CreatedAt), "modified": stixTime(x.UpdatedAt), "created_by_ref": identityID,
				"name":            clip(string(x.Type)+" "+x.Value, 250),
				"indicator_types": []string{kind},
				"pattern":         stixPatternFor(x.Type, x.Value), "pattern_type": "stix", "pattern_version": "2.1",
				"valid_from": stixTime(x.FirstSeen), "confidence": x.Confidence,
			}
			if x.Note != "" {
				o["description"] = x.Note
			}
			if len(x.Tags) > 0 {
				o["labels"] = x.Tags
			}
		} else {
			typ, props := scoFor(x.Type, x.Value)
			o = map[string]any{"type": typ, "spec_version": "2.1",
				"id": typ + "--" + uuid.NewSHA1(stixSCONamespace, canonicalJSON(props)).String()}
			for k, v := range props {
				o[k] = v
			}
		}
		o["object_marking_refs"] = []string{mark.id}
		o["x_warroom_is_ioc"] = x.IsIOC
		o["x_warroom_tags"] = x.Tags
		o["x_warroom_note"] = x.Note
		o["x_warroom_source"] = x.Source
		o["x_warroom_confidence"] = x.Confidence
		// Full precision: STIX timestamps keep milliseconds, the record microseconds.
		o["x_warroom_first_seen"] = x.FirstSeen.UTC().Format(time.RFC3339Nano)
		o["x_warroom_last_seen"] = x.LastSeen.UTC().Format(time.RFC3339Nano)
		objects = append(objects, o)
	}
	for _, level := range []string{"clear", "green", "amber", "amber_strict", "red"} {
		if !used[level] {
			continue
		}
		m := tlp2Markings[level]
		objects = append(objects, map[string]any{
			"type": "marking-definition", "spec_version": "2.1", "id": m.id, "created": "2022-10-01T00:00:00.000Z", "name": m.name,
			"extensions": map[string]any{tlp2Extension: map[string]any{"extension_type": "property-extension", "tlp_2_0": m.level}},
		})
	}
	bundle := map[string]any{
		"type":    "bundle",
		"id":      "bundle--" + uuid.NewSHA1(warroomNamespace, []byte("bundle\x00"+meta.OrgID+"\x00"+meta.IncidentRef+"\x00"+stixTime(meta.Now))).String(),
		"objects": objects,
	}
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(bundle); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}
