package ioc

import (
	"bytes"
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/google/uuid"

	"github.com/warroom/warroom/internal/errs"
	"github.com/warroom/warroom/internal/indicator"
)

// MISP event JSON (the format of MISP's /events/view and feed exports;
// attribute types from MISP's describeTypes.json). to_ids says whether
// an attribute is an indicator of compromise; tlp:* tags are the TLP;
// other tags are tags; the comment is the note.

type mispTag struct {
	Name string `json:"name"`
}

type mispAttribute struct {
	UUID      string          `json:"uuid"`
	Type      string          `json:"type"`
	Category  string          `json:"category"`
	Value     string          `json:"value"`
	ToIDs     json.RawMessage `json:"to_ids"`
	Comment   string          `json:"comment"`
	Timestamp json.RawMessage `json:"timestamp"`
	FirstSeen *string         `json:"first_seen"`
	LastSeen  *string         `json:"last_seen"`
	Deleted   json.RawMessage `json:"deleted"`
	Tag       []mispTag       `json:"Tag"`
}

type mispEvent struct {
	UUID      string          `json:"uuid"`
	Info      string          `json:"info"`
	Date      string          `json:"date"`
	Timestamp json.RawMessage `json:"timestamp"`
	Orgc      *struct {
		Name string `json:"name"`
	} `json:"Orgc"`
	Tag       []mispTag       `json:"Tag"`
	Attribute []mispAttribute `json:"Attribute"`
	Object    []struct {
		Name      string          `json:"name"`
		UUID      string          `json:"uuid"`
		Comment   string          `json:"comment"`
		Attribute []mispAttribute `json:"Attribute"`
	} `json:"Object"`
}

// mispTypes maps MISP attribute types (and the parts of composite types
// like filename|sha256) to indicator types; "address" and "host" guess
// between the address and host name types by the value.
var mispTypes = map[string]Type{
	"ip-src": "address", "ip-dst": "address", "ip": "address",
	"domain": "host", "hostname": Hostname, "target-machine": Hostname,
	"url": URL, "uri": URL,
	"email": Email, "email-src": Email, "email-dst": Email, "email-reply-to": Email, "target-email": Email, "whois-registrant-email": Email,
	"md5": MD5, "sha1": SHA1, "sha256": SHA256, "sha512": SHA512,
	"filename": Filename, "regkey": RegistryKey, "target-user": UserAccount,
	"ja3-fingerprint-md5": JA3, "vulnerability": CVE,
	"stix2-pattern": StixPattern,
	"user-agent":    Other, "mutex": Other, "AS": Other, "other": Other,
}

// mispSkipParts are parts of composite types that are not indicators on
// their own: they go into the note.
var mispSkipParts = map[string]bool{"port": true, "value": true, "imphash": true, "ssdeep": true, "tlsh": true, "authentihash": true, "impfuzzy": true, "pehash": true}

// ParseMISP reads a MISP event: {"Event": {…}}, a bare event, or a
// search response {"response": [{"Event": …}, …]}.
func ParseMISP(doc []byte, now time.Time) (Batch, error) {
	var b Batch
	var top struct {
		Event    *mispEvent `json:"Event"`
		Response []struct {
			Event *mispEvent `json:"Event"`
		} `json:"response"`
		Attribute []json.RawMessage `json:"Attribute"`
		Info      *string           `json:"info"`
	}
	if err := json.Unmarshal(doc, &top); err != nil {
		return b, errs.Invalidf("the document is not a MISP event: %s", jsonProblem(err))
	}
	var events []*mispEvent
	switch {
	case top.Event != nil:
		events = append(events, top.Event)
	case top.Response != nil:
		for _, r := range top.Response {
			if r.Event != nil {
				events = append(events, r.Event)
			}
		}
	case top.Attribute != nil || top.Info != nil:
		var e mispEvent
		if err := json.Unmarshal(doc, &e); err != nil {
			return b, errs.Invalidf("the document is not a MISP event: %s", jsonProblem(err))
		}
		events = append(events, &e)
	}
	if len(events) == 0 {
		return b, errs.Invalidf(`the document is not a MISP event: expected {"Event": {…}}, a bare event with "Attribute", or {"response": [{"Event": …}]}`)
	}
	for _, e := range events {
		for _, a := range e.Attribute {
			mispAttr(&b, e, a, "", now)
		}
		for _, o := range e.Object {
			for _, a := range o.Attribute {
				where := fmt.Sprintf("object %s %s", o.Name, o.UUID)
				if o.Comment != "" {
					a.Comment = strings.TrimSpace(a.Comment + "\n\n" + o.Name + ": " + o.Comment)
				}
				mispAttr(&b, e, a, where, now)
			}
		}
	}
	return b, nil
}

// mispBool reads MISP's booleans, which older versions write as "1"/"0".
func mispBool(raw json.RawMessage) bool {
	s := strings.Trim(string(raw), `"`)
	return s == "true" || s == "1"
}

// mispTime reads an epoch-seconds timestamp, a number or a string.
func mispTime(raw json.RawMessage) time.Time {
	n, err := strconv.ParseInt(strings.Trim(string(raw), `"`), 10, 64)
	if err != nil || n <= 0 {
		return time.Time{}
	}
	return time.Unix(n, 0).UTC()
}

func mispAttr(b *Batch, e *mispEvent, a mispAttribute, where string, now time.Time) {
	item := "attribute " + cmpOr(a.UUID, a.Type+" "+clip(a.Value, 80))
	if where != "" {
		item += " in " + where
	}
	if mispBool(a.Deleted) {
		b.reject(item, "is deleted in MISP")
		return
	}
	base := Input{IsIOC: ptrBool(mispBool(a.ToIDs)), Source: "MISP import", Note: strings.TrimSpace(a.Comment)}
	if e.Orgc != nil && strings.TrimSpace(e.Orgc.Name) != "" {
		base.Source = clip(strings.TrimSpace(e.Orgc.Name), MaxSource)
	}
	if e.Info != "" {
		base.Note = strings.TrimSpace(base.Note + "\n\nMISP event: " + e.Info)
	}
	base.Note = clip(base.Note, MaxNote)
	// The attribute's own TLP tag wins over the event's; other tags of
	// both become tags. warroom-type:<type> (Warroom's own export) says
	// which type a MISP "other" attribute is.
	wtype := Type("")
	for _, tags := range [][]mispTag{e.Tag, a.Tag} {
		tlp := ""
		for _, t := range tags {
			switch {
			case tlpFromName(t.Name) != "" && strings.HasPrefix(strings.ToLower(t.Name), "tlp:"):
				tlp = stricterTLP(tlp, tlpFromName(t.Name))
			case strings.HasPrefix(t.Name, "warroom-type:"):
				wtype = Type(strings.TrimPrefix(t.Name, "warroom-type:"))
			default:
				// MISP events often carry many galaxy tags: the first
				// MaxTags are kept.
				base.Tags, _ = addTags(base.Tags, tagOf("", t.Name))
			}
		}
		if tlp != "" {
			base.TLP = tlp
		}
	}
	first, last := time.Time{}, mispTime(a.Timestamp)
	if a.FirstSeen != nil {
		if t, err := time.Parse(time.RFC3339Nano, *a.FirstSeen); err == nil {
			first = t
		}
	}
	if a.LastSeen != nil {
		if t, err := time.Parse(time.RFC3339Nano, *a.LastSeen); err == nil {
			last = t
		}
	}
	base.FirstSeen, base.LastSeen = pastOrNil(first, now), pastOrNil(last, now)
	if base.FirstSeen != nil && base.LastSeen != nil && base.LastSeen.Before(*base.FirstSeen) {
		base.LastSeen = base.FirstSeen // the modification time predates the sighting MISP was told
	}

	parts, values := strings.Split(a.Type, "|"), strings.Split(a.Value, "|")
	if len(parts) != len(values) {
		b.reject(item, "type %s has %d parts but the value %q has %d", a.Type, len(parts), clip(a.Value, 200), len(values))
		return
	}
	// Parts of a composite that are not indicators (a port, a registry
	// value, an imphash) go into the note of the parts that are.
	var context []string
	for k, part := range parts {
		_, ok := mispTypes[part]
		switch {
		case ok:
		case mispSkipParts[part] && len(parts) > 1:
			context = append(context, part+" "+values[k])
		default:
			b.reject(item, "MISP type %s has no Warroom indicator type (types taken: %s)", a.Type, mispTypeList())
			return
		}
	}
	if len(context) > 0 {
		base.Note = clip(strings.TrimSpace(base.Note+"\n\nWith "+strings.Join(context, ", ")+"."), MaxNote)
	}
	for k, part := range parts {
		t, ok := mispTypes[part]
		if !ok {
			continue
		}
		if part == "other" && wtype != "" {
			if !slices.Contains(Types, wtype) {
				b.reject(item, "tag warroom-type:%s names no indicator type; use one of %s", wtype, typeList())
				return
			}
			t = wtype
		}
		in := base
		in.Tags = slices.Clone(base.Tags)
		var err error
		switch t {
		case "address":
			in.Type, in.Value, err = indicator.GuessValue(values[k], IPv4, IPv6, CIDR)
		case "host":
			in.Type, in.Value, err = indicator.GuessValue(values[k], Domain, Hostname)
		case Filename:
			in.Type, in.Value, err = indicator.GuessValue(values[k], Filename, Filepath)
		default:
			in.Type = t
			if t == Other && part != "other" {
				in.Tags, _ = addTags(in.Tags, tagOf("", part)) // user-agent, mutex, as: say what the value is
			}
			if in.Value, err = Normalize(t, values[k]); err != nil {
				err = fmt.Errorf("not a valid %s: %s", t, err.Error())
			}
		}
		if err != nil {
			b.reject(item, "%s %q: %s", part, clip(values[k], 200), err.Error())
			continue
		}
		b.add(item, in)
	}
}

func mispTypeList() string {
	names := make([]string, 0, len(mispTypes))
	for k := range mispTypes {
		names = append(names, k)
	}
	slices.Sort(names)
	return strings.Join(names, ", ") + " and composites of them like filename|sha256, ip-dst|port, domain|ip, regkey|value"
}

// mispExport maps indicator types to a MISP type and category. Types
// MISP lacks are "other", tagged warroom-type:<type> so a re-import
// restores them.
var mispExport = map[Type][2]string{
	IPv4: {"ip-dst", "Network activity"}, IPv6: {"ip-dst", "Network activity"}, CIDR: {"ip-dst", "Network activity"},
	Domain: {"domain", "Network activity"}, Hostname: {"hostname", "Network activity"}, URL: {"url", "Network activity"},
	Email: {"email", "Network activity"}, MD5: {"md5", "Payload delivery"}, SHA1: {"sha1", "Payload delivery"},
	SHA256: {"sha256", "Payload delivery"}, SHA512: {"sha512", "Payload delivery"}, Filename: {"filename", "Payload delivery"},
	Filepath: {"filename", "Artifacts dropped"}, RegistryKey: {"regkey", "Persistence mechanism"},
	UserAccount: {"target-user", "Targeting data"}, JA3: {"ja3-fingerprint-md5", "Network activity"},
	CVE: {"vulnerability", "External analysis"}, StixPattern: {"stix2-pattern", "Artifacts dropped"},
}

// mispTLPs are MISP's tag names for the TLP levels.
var mispTLPs = map[string]string{"clear": "tlp:clear", "green": "tlp:green", "amber": "tlp:amber", "amber_strict": "tlp:amber+strict", "red": "tlp:red"}

// BuildMISP writes a MISP event holding the indicators as attributes.
func BuildMISP(meta ExportMeta, items []Indicator) ([]byte, error) {
	attrs := []map[string]any{}
	for _, x := range items {
		mt, ok := mispExport[x.Type]
		tags := []map[string]string{{"name": mispTLPs[x.TLP]}}
		if !ok {
			mt = [2]string{"other", "Other"}
			tags = append(tags, map[string]string{"name": "warroom-type:" + string(x.Type)})
		}
		for _, t := range x.Tags {
			tags = append(tags, map[string]string{"name": t})
		}
		attrs = append(attrs, map[string]any{
			"uuid": uuid.NewSHA1(warroomNamespace, []byte("misp\x00"+string(x.Type)+"\x00"+x.Value)).String(),
			"type": mt[0], "category": mt[1], "value": x.Value, "to_ids": x.IsIOC, "comment": x.Note,
			"timestamp":    strconv.FormatInt(x.UpdatedAt.Unix(), 10),
			"first_seen":   x.FirstSeen.UTC().Format("2006-01-02T15:04:05.000000Z07:00"),
			"last_seen":    x.LastSeen.UTC().Format("2006-01-02T15:04:05.000000Z07:00"),
			"distribution": "5", "Tag": tags,
		})
	}
	event := map[string]any{"Event": map[string]any{
		"uuid": uuid.NewSHA1(warroomNamespace, []byte("misp-event\x00"+meta.OrgID+"\x00"+meta.IncidentRef)).String(),
		"info": meta.IncidentRef + ": " + meta.Title, "date": meta.IncidentCreated.UTC().Format("2006-01-02"),
		"timestamp": strconv.FormatInt(meta.Now.Unix(), 10), "published": false,
		"threat_level_id": "2", "analysis": "1", "distribution": "0",
		"Orgc":      map[string]string{"name": meta.OrgName},
		"Tag":       []map[string]string{{"name": mispTLPs[meta.IncidentTLP]}},
		"Attribute": attrs,
	}}
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	err := enc.Encode(event)
	return b.Bytes(), err
}
