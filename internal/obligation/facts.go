package obligation

import (
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/warroom/warroom/internal/errs"
	"github.com/warroom/warroom/internal/yamlsafe"
)

// MaxFactsSize bounds a facts document (YAML or JSON).
const MaxFactsSize = 256 << 10

// Facts are what the rules are evaluated against; the same shape in the
// API, the UI and the CLI.
type Facts struct {
	Organisation OrganisationFacts `json:"organisation" yaml:"organisation"`
	Incident     IncidentFacts     `json:"incident" yaml:"incident"`
}

// OrganisationFacts say where the organisation operates and what it is.
type OrganisationFacts struct {
	Jurisdictions []string `json:"jurisdictions" yaml:"jurisdictions"`
	Sectors       []string `json:"sectors" yaml:"sectors"`
	EntityTypes   []string `json:"entity_types" yaml:"entity_types"`
}

// IncidentFacts say who and what was affected and when things happened.
type IncidentFacts struct {
	Affected      []Affected `json:"affected" yaml:"affected"`
	DataTypes     []string   `json:"data_types" yaml:"data_types"`
	DataEncrypted bool       `json:"data_encrypted" yaml:"data_encrypted"`
	// Events maps an event name to an RFC 3339 time with its offset.
	Events map[string]string `json:"events" yaml:"events"`
}

// Affected is a number of people resident in one jurisdiction.
type Affected struct {
	Jurisdiction string `json:"jurisdiction" yaml:"jurisdiction"`
	Count        int    `json:"count" yaml:"count"`
}

// ParseFacts decodes facts from YAML or JSON (JSON is YAML) and validates
// them. Errors are errs.Invalid naming the field.
func ParseFacts(src []byte) (*Facts, error) {
	if len(src) > MaxFactsSize {
		return nil, &errs.Error{Code: errs.TooLarge, Message: fmt.Sprintf("facts are larger than %d bytes", MaxFactsSize)}
	}
	var f Facts
	if err := yamlsafe.Unmarshal(src, &f); err != nil {
		pos, msg, found := yamlsafe.ErrorAt(err)
		if found {
			msg = fmt.Sprintf("line %d column %d: %s", pos.Line, pos.Column, msg)
		}
		return nil, &errs.Error{Code: errs.Invalid, Message: "facts are not valid YAML or JSON of the expected shape: " + msg}
	}
	if err := f.Validate(); err != nil {
		return nil, err
	}
	return &f, nil
}

// Validate reports every problem with the facts at once.
func (f *Facts) Validate() error {
	var v errs.Validation
	const maxList = 500
	jurisdictions := func(field string, list []string) {
		for i, j := range list {
			if msg := checkJurisdiction(j); msg != "" {
				v.Add(fmt.Sprintf("%s[%d]", field, i), "jurisdiction %q %s", j, msg)
			}
		}
	}
	words := func(field, what string, vocab, list []string) {
		if len(list) > maxList {
			v.Add(field, "at most %d entries", maxList)
			return
		}
		for i, w := range list {
			if !known(vocab, w) {
				v.Add(fmt.Sprintf("%s[%d]", field, i), "unknown %s %q; use one of %s", what, w, oneOf(vocab))
			}
		}
	}
	o := f.Organisation
	if len(o.Jurisdictions) > maxList {
		v.Add("organisation.jurisdictions", "at most %d entries", maxList)
	} else {
		jurisdictions("organisation.jurisdictions", o.Jurisdictions)
	}
	words("organisation.sectors", "sector", Sectors, o.Sectors)
	words("organisation.entity_types", "entity type", EntityTypes, o.EntityTypes)
	in := f.Incident
	if len(in.Affected) > maxList {
		v.Add("incident.affected", "at most %d entries", maxList)
	}
	seen := map[string]bool{}
	for i, a := range in.Affected {
		if i >= maxList {
			break
		}
		field := fmt.Sprintf("incident.affected[%d]", i)
		if a.Jurisdiction == "" {
			v.Add(field+".jurisdiction", "jurisdiction is required (ISO 3166 code like US-TX or EU-FR)")
		} else if msg := checkJurisdiction(a.Jurisdiction); msg != "" {
			v.Add(field+".jurisdiction", "jurisdiction %q %s", a.Jurisdiction, msg)
		} else if seen[a.Jurisdiction] {
			v.Add(field+".jurisdiction", "jurisdiction %q is listed twice; give one count per jurisdiction", a.Jurisdiction)
		}
		seen[a.Jurisdiction] = true
		if a.Count < 0 {
			v.Add(field+".count", "count must be 0 or more, not %d", a.Count)
		}
	}
	words("incident.data_types", "data type", DataTypes, in.DataTypes)
	names := make([]string, 0, len(in.Events))
	for k := range in.Events {
		names = append(names, k)
	}
	sort.Strings(names)
	for _, k := range names {
		field := "incident.events." + k
		if !known(Events, k) {
			v.Add(field, "unknown event %q; use one of %s", k, oneOf(Events))
			continue
		}
		if _, err := parseInstant(in.Events[k]); err != nil {
			v.Add(field, "%s", err)
		}
	}
	return v.Err()
}

// parseInstant reads an RFC 3339 time that must carry its offset: a
// deadline computed from a time in an unknown zone could be hours late.
func parseInstant(s string) (time.Time, error) {
	s = strings.TrimSpace(s)
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		if _, err2 := time.Parse("2006-01-02T15:04:05", s); err2 == nil {
			return time.Time{}, fmt.Errorf("time %q has no UTC offset; write it like 2026-03-10T09:00:00Z or 2026-03-10T10:00:00+01:00", s)
		}
		return time.Time{}, fmt.Errorf("%q is not an RFC 3339 time; write it like 2026-03-10T09:00:00Z", s)
	}
	return t, nil
}

// event returns the time of a named event, if the facts have it.
func (f *Facts) event(name string) (time.Time, bool) {
	s, ok := f.Incident.Events[name]
	if !ok {
		return time.Time{}, false
	}
	t, err := parseInstant(s)
	return t, err == nil
}

func (f *Facts) hasEntity(types []string) bool {
	for _, t := range types {
		if known(f.Organisation.EntityTypes, t) {
			return true
		}
	}
	return false
}
