package ioc

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"

	"github.com/warroom/warroom/internal/indicator"
)

// Which indicator type a STIX pattern property or cyber-observable holds
// (docs/indicators.md has the tables).

// scoTypes are the cyber-observable types the importer reads as artifacts.
var scoTypes = map[string]bool{"ipv4-addr": true, "ipv6-addr": true, "domain-name": true, "url": true, "email-addr": true,
	"file": true, "windows-registry-key": true, "user-account": true, "process": true, "directory": true,
	"x509-certificate": true, "mutex": true, "artifact": true, "network-traffic": true, "autonomous-system": true,
	"mac-addr": true, "software": true, "email-message": true}

// observable imports a cyber-observable as one or more artifacts (a file
// with several hashes gives one per hash, and its name); marked as an
// indicator of compromise when an infrastructure consists of it or its
// x_warroom_is_ioc says so.
func (c *stixContext) observable(b *Batch, o *stixObject, item string) {
	type tv struct {
		t Type
		v string
	}
	var vals []tv
	switch o.Type {
	case "ipv4-addr", "ipv6-addr":
		vals = append(vals, tv{"address", o.stringValue()})
	case "domain-name":
		vals = append(vals, tv{"host", o.stringValue()})
	case "url":
		vals = append(vals, tv{URL, o.stringValue()})
	case "email-addr":
		vals = append(vals, tv{Email, o.stringValue()})
	case "windows-registry-key":
		vals = append(vals, tv{RegistryKey, o.Key})
	case "user-account":
		if v := cmpOr(o.AccountLogin, o.UserID); v != "" {
			vals = append(vals, tv{UserAccount, v})
		}
	case "directory":
		vals = append(vals, tv{Filepath, o.Path})
	case "process":
		if o.Name != "" {
			vals = append(vals, tv{ProcessName, o.Name})
		}
	case "file", "artifact", "x509-certificate":
		names := make([]string, 0, len(o.Hashes))
		for k := range o.Hashes {
			names = append(names, k)
		}
		slices.Sort(names)
		for _, k := range names {
			if t := indicator.HashTypes[strings.ToLower(k)]; t != "" {
				vals = append(vals, tv{t, o.Hashes[k]})
			}
		}
		if o.Type == "file" && o.Name != "" {
			vals = append(vals, tv{Filename, o.Name})
		}
	default:
		if strings.HasPrefix(o.Type, "x-warroom-") {
			t := Type(strings.ReplaceAll(strings.TrimPrefix(o.Type, "x-warroom-"), "-", "_"))
			if slices.Contains(Types, t) {
				vals = append(vals, tv{t, o.stringValue()})
			}
		}
	}
	if len(vals) == 0 {
		b.reject(item, "a %s observable holds no value Warroom keeps as an indicator (addresses, domains, URLs, email addresses, "+
			"hashes, file names, registry keys, accounts, processes, directories)", o.Type)
		return
	}
	for _, x := range vals {
		in := Input{IsIOC: ptrBool(c.ioc[o.ID])}
		c.common(o, &in, nil)
		var err error
		switch x.t {
		case "address":
			in.Type, in.Value, err = indicator.GuessValue(x.v, IPv4, IPv6, CIDR)
		case "host":
			in.Type, in.Value, err = indicator.GuessValue(x.v, Domain, Hostname)
		case Filename:
			in.Type, in.Value, err = indicator.GuessValue(x.v, Filename, Filepath)
		default:
			in.Type = x.t
			if in.Value, err = Normalize(x.t, x.v); err != nil {
				err = fmt.Errorf("not a valid %s: %s", x.t, err.Error())
			}
		}
		if err != nil {
			b.reject(item, "%q: %s", clip(x.v, 200), err.Error())
			continue
		}
		b.add(item, in)
	}
}

// observedData reads the observables a STIX 2.0 observed-data object
// embeds (2.1 refers to top-level observables, read on their own).
func (c *stixContext) observedData(b *Batch, o *stixObject) {
	keys := make([]string, 0, len(o.Objects))
	for k := range o.Objects {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	for _, k := range keys {
		var sco stixObject
		if err := json.Unmarshal(o.Objects[k], &sco); err != nil || sco.Type == "" {
			b.reject(o.ID+" object "+k, "cannot be read as an observable")
			continue
		}
		sco.ObjectMarkingRefs, sco.CreatedByRef = o.ObjectMarkingRefs, o.CreatedByRef
		if !scoTypes[sco.Type] {
			b.ignore(sco.Type)
			continue
		}
		c.observable(b, &sco, o.ID+" object "+k)
	}
}

// vulnerability imports a vulnerability named by a CVE ID (its name or a
// "cve" external reference) as a cve artifact; others are ignored.
func (c *stixContext) vulnerability(b *Batch, o *stixObject) {
	id := o.Name
	for _, r := range o.ExternalReferences {
		if strings.EqualFold(r.SourceName, "cve") && r.ExternalID != "" {
			id = r.ExternalID
		}
	}
	v, err := Normalize(CVE, id)
	if err != nil {
		b.ignore("vulnerability")
		return
	}
	in := Input{Type: CVE, Value: v, IsIOC: ptrBool(false)}
	c.common(o, &in, nil)
	b.add(o.label(), in)
}

func ptrBool(v bool) *bool { return &v }

func cmpOr(a, b string) string {
	if a != "" {
		return a
	}
	return b
}
