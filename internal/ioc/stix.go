package ioc

import (
	"encoding/json"
	"errors"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/warroom/warroom/internal/errs"
	"github.com/warroom/warroom/internal/indicator"
)

// STIX 2.1 import (OASIS STIX Version 2.1, 2021). What maps is kept, the
// rest of the bundle is read for context only; docs/indicators.md has the
// tables.

var (
	stixIDRE = regexp.MustCompile(`^[a-z0-9][a-z0-9-]*[a-z0-9]--[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$`)
)

// TLP marking definitions with fixed IDs: TLP 1.0 is predefined by the
// STIX 2.1 specification (section 7.2.1.4); TLP 2.0 is published by OASIS
// in cti-stix-common-objects under the extension definition tlp2Extension.
var tlpMarkings = map[string]string{
	"marking-definition--613f2e26-407d-48c7-9eca-b8e91df99dc9": "clear", // TLP:WHITE (1.0)
	"marking-definition--34098fce-860f-48ae-8e50-ebd3cc5e41da": "green",
	"marking-definition--f88d31f6-486f-44da-b317-01333bde0b82": "amber",
	"marking-definition--5e57c739-391a-4eb3-b6be-7d15ca92d5ed": "red",
	"marking-definition--94868c89-83c2-464b-929b-a1a8aa3c8487": "clear", // TLP 2.0 from here on
	"marking-definition--bab4a63c-aed9-4cf5-a766-dfca5abac2bb": "green",
	"marking-definition--55d920b0-5e8b-4f79-9ee9-91f868d9b421": "amber",
	"marking-definition--939a9414-2ddd-4d32-a0cd-375ea402b003": "amber_strict",
	"marking-definition--e828b379-4e03-4974-9ac4-e53a884c97c1": "red",
}

const tlp2Extension = "extension-definition--60a3c5c5-0d10-413e-aab3-9e08dde9e88d"

// stixObject holds the properties of any STIX object the importer reads;
// the x_warroom_* ones are what Warroom's own export adds so a round trip
// keeps what STIX has no property for.
type stixObject struct {
	Type                string                     `json:"type"`
	ID                  string                     `json:"id"`
	Name                string                     `json:"name"`
	Description         string                     `json:"description"`
	Labels              []string                   `json:"labels"`
	IndicatorTypes      []string                   `json:"indicator_types"`
	InfrastructureTypes []string                   `json:"infrastructure_types"`
	Pattern             string                     `json:"pattern"`
	PatternType         string                     `json:"pattern_type"`
	ValidFrom           string                     `json:"valid_from"`
	Confidence          *int                       `json:"confidence"`
	Revoked             bool                       `json:"revoked"`
	CreatedByRef        string                     `json:"created_by_ref"`
	ObjectMarkingRefs   []string                   `json:"object_marking_refs"`
	ObjectRefs          []string                   `json:"object_refs"`
	RelationshipType    string                     `json:"relationship_type"`
	SourceRef           string                     `json:"source_ref"`
	TargetRef           string                     `json:"target_ref"`
	DefinitionType      string                     `json:"definition_type"`
	Definition          json.RawMessage            `json:"definition"`
	Extensions          map[string]json.RawMessage `json:"extensions"`
	ExternalReferences  []struct {
		SourceName string `json:"source_name"`
		ExternalID string `json:"external_id"`
	} `json:"external_references"`
	// Cyber-observable properties.
	Value        json.RawMessage            `json:"value"`
	Hashes       map[string]string          `json:"hashes"`
	Key          string                     `json:"key"`
	UserID       string                     `json:"user_id"`
	AccountLogin string                     `json:"account_login"`
	Path         string                     `json:"path"`
	Objects      map[string]json.RawMessage `json:"objects"` // STIX 2.0 observed-data
	// Warroom's custom properties.
	XTags       []string `json:"x_warroom_tags"`
	XConfidence *int     `json:"x_warroom_confidence"`
	XNote       *string  `json:"x_warroom_note"`
	XSource     *string  `json:"x_warroom_source"`
	XFirstSeen  string   `json:"x_warroom_first_seen"`
	XLastSeen   string   `json:"x_warroom_last_seen"`
	XIsIOC      *bool    `json:"x_warroom_is_ioc"`
}

func (o *stixObject) label() string {
	if o.Name != "" {
		return fmt.Sprintf("%s (%s)", o.ID, clip(o.Name, 80))
	}
	if o.ID == "" {
		return "an object of type " + o.Type
	}
	return o.ID
}

// stringValue is the value property of an SCO when it is a string.
func (o *stixObject) stringValue() string {
	var s string
	if json.Unmarshal(o.Value, &s) != nil {
		return ""
	}
	return s
}

// ParseSTIX reads a STIX 2.1 (or 2.0) bundle, or a lone object. Indicators
// with STIX patterns become indicators of compromise (one per literal of
// an OR list; what is not literal is kept as a stix_pattern indicator);
// cyber-observables become artifacts; relationships an indicator or an
// observable takes part in become tags and notes; everything else is
// ignored (counted by type).
func ParseSTIX(doc []byte, now time.Time) (Batch, error) {
	var b Batch
	var top struct {
		Type    string            `json:"type"`
		Objects []json.RawMessage `json:"objects"`
	}
	if err := json.Unmarshal(doc, &top); err != nil {
		return b, errs.Invalidf("the document is not a STIX bundle: %s", jsonProblem(err))
	}
	raws := top.Objects
	switch {
	case top.Type == "bundle":
	case top.Type != "":
		raws = []json.RawMessage{json.RawMessage(doc)}
	default:
		return b, errs.Invalidf(`the document is not a STIX bundle: it has no "type" ("bundle", or the type of a single object)`)
	}
	objs := make([]*stixObject, 0, len(raws))
	byID := map[string]*stixObject{}
	for k, raw := range raws {
		o := &stixObject{}
		if err := json.Unmarshal(raw, o); err != nil {
			b.reject(fmt.Sprintf("object %d of the bundle", k+1), "cannot be read: %s", jsonProblem(err))
			continue
		}
		if o.Type == "" {
			b.reject(fmt.Sprintf("object %d of the bundle", k+1), `has no "type"`)
			continue
		}
		objs = append(objs, o)
		if o.ID != "" {
			byID[o.ID] = o
		}
	}
	c := &stixContext{byID: byID, now: now, notes: map[string][]string{}, tags: map[string][]string{}, ioc: map[string]bool{}, reportedBy: map[string]string{}}
	c.relate(objs)
	for _, o := range objs {
		switch {
		case o.Type == "indicator":
			c.indicator(&b, o)
		case o.Type == "vulnerability":
			c.vulnerability(&b, o)
		case o.Type == "observed-data" && len(o.Objects) > 0:
			c.observedData(&b, o)
		case scoTypes[o.Type] || strings.HasPrefix(o.Type, "x-warroom-"):
			c.observable(&b, o, o.label())
		default:
			b.ignore(o.Type)
		}
	}
	return b, nil
}

// jsonProblem says what is wrong with a JSON document without Go's
// type names.
func jsonProblem(err error) string {
	var syn *json.SyntaxError
	var typ *json.UnmarshalTypeError
	switch {
	case errors.As(err, &syn):
		return fmt.Sprintf("invalid JSON at byte %d (%s)", syn.Offset, syn.Error())
	case errors.As(err, &typ):
		if typ.Field == "" {
			return fmt.Sprintf("expected a JSON object, found %s", typ.Value)
		}
		return fmt.Sprintf("property %s is %s, which is the wrong kind of value", typ.Field, typ.Value)
	}
	return err.Error()
}

// stixContext is what the importer learned from the whole bundle before
// reading its indicators and observables.
type stixContext struct {
	byID  map[string]*stixObject
	now   time.Time
	notes map[string][]string // object ID → sentences for its note
	tags  map[string][]string // object ID → tags from relationships
	ioc   map[string]bool     // observables that an infrastructure consists of
	// reportedBy is the creator of a report that lists the object, the
	// source of objects that do not name their own.
	reportedBy map[string]string
}

// Relationship targets that name what an indicator points at.
var namedTargets = map[string]bool{"malware": true, "campaign": true, "intrusion-set": true, "threat-actor": true,
	"attack-pattern": true, "tool": true, "infrastructure": true, "vulnerability": true}

// relate reads the reports and the relationships that can be
// represented: an indicator
// that indicates a malware, campaign, intrusion set, threat actor, attack
// pattern, tool, infrastructure or vulnerability gets a tag naming it
// ("malware:poison-ivy") and a sentence in its note; an observable that an
// infrastructure consists of is an indicator of compromise (STIX models
// the adversary's infrastructure that way) tagged with it.
func (c *stixContext) relate(objs []*stixObject) {
	for _, o := range objs {
		if o.Type == "report" {
			// A report (APT1, Poison Ivy) lists what it describes: the
			// objects get a sentence naming it, and its author as source
			// when they have none of their own.
			for _, ref := range o.ObjectRefs {
				c.notes[ref] = append(c.notes[ref], fmt.Sprintf("Reported in %q.", clip(o.Name, 200)))
				if id := c.byID[o.CreatedByRef]; id != nil && id.Type == "identity" {
					c.reportedBy[ref] = id.Name
				}
			}
		}
		if o.Type != "relationship" {
			continue
		}
		src, dst := c.byID[o.SourceRef], c.byID[o.TargetRef]
		if src == nil || dst == nil {
			continue
		}
		switch {
		case o.RelationshipType == "indicates" && src.Type == "indicator" && namedTargets[dst.Type]:
			c.tags[src.ID] = append(c.tags[src.ID], tagOf(dst.Type+":", dst.Name))
			c.notes[src.ID] = append(c.notes[src.ID], fmt.Sprintf("Indicates %s %q.", dst.Type, dst.Name))
		case o.RelationshipType == "consists-of" && src.Type == "infrastructure" && (scoTypes[dst.Type] || strings.HasPrefix(dst.Type, "x-warroom-")):
			c.ioc[dst.ID] = true
			c.tags[dst.ID] = append(c.tags[dst.ID], tagOf("infrastructure:", src.Name))
			c.notes[dst.ID] = append(c.notes[dst.ID], fmt.Sprintf("Part of infrastructure %q (%s).", src.Name, strings.Join(src.InfrastructureTypes, ", ")))
		}
	}
}

// common fills the fields every imported object shares: TLP, source,
// tags, note, confidence and sightings.
func (c *stixContext) common(o *stixObject, in *Input, extraTags []string) {
	for _, ref := range o.ObjectMarkingRefs {
		in.TLP = stricterTLP(in.TLP, c.tlp(ref))
	}
	if o.XSource != nil {
		in.Source = *o.XSource
	} else if id := c.byID[o.CreatedByRef]; id != nil && id.Type == "identity" && id.Name != "" {
		in.Source = id.Name
	} else {
		in.Source = c.reportedBy[o.ID]
	}
	in.Source = clip(strings.TrimSpace(in.Source), MaxSource)
	if in.Source == "" {
		in.Source = "STIX import"
	}
	// Warroom's own export says the tags exactly; other producers' labels
	// and indicator types become tags.
	var tags []string
	labels := append(slices.Clone(o.Labels), o.IndicatorTypes...)
	if o.XTags != nil {
		labels = o.XTags
	}
	for _, l := range labels {
		tags, _ = addTags(tags, tagOf("", l))
	}
	tags, dropped := addTags(tags, append(extraTags, c.tags[o.ID]...)...)
	in.Tags = tags
	var note []string
	if o.XNote != nil {
		note = append(note, *o.XNote)
	} else {
		if o.Name != "" && o.Type == "indicator" {
			note = append(note, o.Name)
		}
		if d := strings.TrimSpace(o.Description); d != "" {
			note = append(note, d)
		}
		note = append(note, c.notes[o.ID]...)
	}
	if len(dropped) > 0 {
		note = append(note, "More tags than fit: "+strings.Join(dropped, ", ")+".")
	}
	in.Note = clip(strings.TrimSpace(strings.Join(note, "\n\n")), MaxNote)
	switch {
	case o.XConfidence != nil:
		in.Confidence = o.XConfidence
	case o.Confidence != nil:
		in.Confidence = o.Confidence
	}
	first := o.XFirstSeen
	if first == "" && o.Type == "indicator" {
		first = o.ValidFrom
	}
	if t, err := time.Parse(time.RFC3339Nano, first); err == nil {
		in.FirstSeen = pastOrNil(t, c.now)
	}
	if t, err := time.Parse(time.RFC3339Nano, o.XLastSeen); err == nil {
		in.LastSeen = pastOrNil(t, c.now)
	}
	if o.XIsIOC != nil {
		in.IsIOC = o.XIsIOC
	}
}

// tlp returns the TLP of a marking-definition reference: one of the fixed
// IDs, or a marking definition in the bundle (TLP 1.0 style definition,
// the TLP 2.0 extension, or a name like TLP:AMBER+STRICT); "" otherwise.
func (c *stixContext) tlp(ref string) string {
	if t, ok := tlpMarkings[ref]; ok {
		return t
	}
	m := c.byID[ref]
	if m == nil || m.Type != "marking-definition" {
		return ""
	}
	if m.DefinitionType == "tlp" {
		var d struct {
			TLP string `json:"tlp"`
		}
		if json.Unmarshal(m.Definition, &d) == nil && tlpFromName(d.TLP) != "" {
			return tlpFromName(d.TLP)
		}
	}
	if raw, ok := m.Extensions[tlp2Extension]; ok {
		var d struct {
			TLP string `json:"tlp_2_0"`
		}
		if json.Unmarshal(raw, &d) == nil && tlpFromName(d.TLP) != "" {
			return tlpFromName(d.TLP)
		}
	}
	return tlpFromName(m.Name)
}

func (c *stixContext) indicator(b *Batch, o *stixObject) {
	item := o.label()
	switch {
	case o.Revoked:
		b.reject(item, "is revoked by its producer")
		return
	case o.PatternType != "" && o.PatternType != "stix":
		b.reject(item, "has pattern_type %q; only STIX patterning (pattern_type stix) can be imported", o.PatternType)
		return
	case strings.TrimSpace(o.Pattern) == "":
		b.reject(item, "has no pattern")
		return
	}
	p, err := indicator.ParsePattern(o.Pattern)
	if err != nil {
		b.reject(item, "its pattern is not valid STIX patterning: %s", err.Error())
		return
	}
	branches := p.Branches()
	for k, br := range branches {
		in := Input{}
		c.common(o, &in, nil)
		it := item
		if len(branches) > 1 {
			it = fmt.Sprintf("%s, alternative %d of %d", item, k+1, len(branches))
		}
		if !br.Literal {
			in.Type, in.Value = StixPattern, br.Pattern
			b.add(it, in)
			continue
		}
		t, value, err := br.Indicator()
		switch {
		case err != nil:
			b.reject(it, "%s = %s: %s", br.Path, indicator.QuotePatternString(br.Value), err.Error())
		case t == "":
			// A literal on a property no indicator type holds
			// (email-message:subject, x509-certificate:issuer…) is kept
			// as a pattern of its own.
			in.Type, in.Value = StixPattern, br.LiteralPattern()
			b.add(it, in)
		default:
			in.Type, in.Value = t, value
			b.add(it, in)
		}
	}
}
