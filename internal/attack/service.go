package attack

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/warroom/warroom/internal/actor"
	"github.com/warroom/warroom/internal/db"
	"github.com/warroom/warroom/internal/errs"
	"github.com/warroom/warroom/internal/evidence"
	"github.com/warroom/warroom/internal/incident"
	"github.com/warroom/warroom/internal/ioc"
	"github.com/warroom/warroom/internal/record"
)

// Recorded is what Record wrote, with warnings the analyst should see.
type Recorded struct {
	Entry    incident.Entry `json:"entry"`
	Activity Activity       `json:"activity"`
	// Warnings say what was accepted but looks doubtful: a technique the
	// catalogue files under other tactics, a deprecated technique.
	Warnings []string `json:"warnings"`
}

// Record writes attacker activity to the incident's timeline. Links to
// indicators and evidence, the technique (against the catalogue, when one
// is loaded) and the corrected entry are checked in the same transaction
// as the write, so a link can never point at something of another
// incident. Responders and admins who can see the incident may record.
func (s *Service) Record(ctx context.Context, ref string, in Input) (Recorded, error) {
	a := actor.From(ctx)
	if err := signedIn(a); err != nil {
		return Recorded{}, err
	}
	now := db.Time(s.Now())
	var v errs.Validation
	act := in.check(&v, now)
	if err := v.Err(); err != nil {
		return Recorded{}, err
	}
	var out Recorded
	err := s.DB.Write(ctx, func(tx *db.Tx) error {
		i, err := incident.Changeable(ctx, tx, a, ref)
		if err != nil {
			return err
		}
		act := act // the transaction may be retried: start from the checked input
		act.Indicators, act.Evidence = []IndicatorLink{}, []EvidenceLink{}
		var v errs.Validation
		warnings, err := checkTechnique(ctx, tx, &v, &act)
		if err != nil {
			return err
		}
		if err := link(ctx, tx, &v, i, in, &act); err != nil {
			return err
		}
		if in.Corrects != "" {
			old, err := record.Get(ctx, tx, i.ID, in.Corrects)
			switch {
			case errs.CodeOf(err) == errs.NotFound:
				v.Add("corrects", "no timeline entry %s in %s", in.Corrects, i.Ref)
			case err != nil:
				return err
			case old.Kind != KindActivity:
				v.Add("corrects", "entry %s is a %s, not attacker activity; correct it from the timeline", in.Corrects, old.Kind)
			}
		}
		if err := v.Err(); err != nil {
			return err
		}
		e, err := record.Append(ctx, tx, a, now, record.NewEntry{OrgID: a.OrgID, IncidentID: i.ID, Kind: KindActivity,
			EventTime: *in.EventTime, Text: in.Text, Payload: act, CorrectsID: in.Corrects})
		out = Recorded{Entry: incident.Entry{Entry: e, IncidentRef: i.Ref}, Activity: act, Warnings: warnings}
		return err
	})
	if err != nil {
		return Recorded{}, err
	}
	if out.Warnings == nil {
		out.Warnings = []string{}
	}
	return out, nil
}

// checkTechnique checks the technique against the catalogue when one is
// loaded. An unknown or revoked technique is an error (a typo, or an ID
// ATT&CK has replaced: the message names the replacement). A tactic the
// catalogue does not list for the technique is only a warning: the
// analyst's reading of what the attacker wanted wins over the matrix, and
// the loaded catalogue may be older than the analyst's knowledge. Without
// a tactic, one is taken from the technique when it has exactly one.
func checkTechnique(ctx context.Context, tx *db.Tx, v *errs.Validation, act *Activity) ([]string, error) {
	if act.Technique == "" {
		return nil, nil
	}
	c, err := catalogue(ctx, tx)
	if err != nil || !c.Loaded {
		return nil, err
	}
	t, ok, err := findTechnique(ctx, tx, act.Technique)
	if err != nil {
		return nil, err
	}
	if !ok || t.Revoked {
		v.Add("technique", "%s", techniqueWarnings(act.Technique, t, ok, "", c)[0])
		return nil, nil
	}
	act.TechniqueName = t.Name
	if act.Tactic == "" {
		if known := builtIn(t.Tactics); len(known) == 1 {
			act.Tactic = known[0].ID
		}
	}
	return techniqueWarnings(act.Technique, t, ok, act.Tactic, c), nil
}

// techniqueWarnings says what is wrong with using technique id (t, when
// found: ok) under tactic (an ID, or ""), given the loaded catalogue c;
// empty when nothing is.
func techniqueWarnings(id string, t Technique, ok bool, tactic string, c Catalogue) []string {
	switch {
	case !ok:
		return []string{fmt.Sprintf("%s is not in the loaded ATT&CK catalogue%s; check the ID at https://attack.mitre.org/techniques/", id, versionNote(c))}
	case t.Revoked && t.RevokedBy != "":
		return []string{fmt.Sprintf("%s (%s) was revoked by ATT&CK and replaced by %s; use that", t.ID, t.Name, t.RevokedBy)}
	case t.Revoked:
		return []string{fmt.Sprintf("%s (%s) was revoked by ATT&CK; use the technique that replaced it", t.ID, t.Name)}
	}
	out := []string{}
	if t.Deprecated {
		out = append(out, fmt.Sprintf("%s (%s) is deprecated in ATT&CK", t.ID, t.Name))
	}
	if tac, _, known := LookupTactic(tactic); known && len(t.Tactics) > 0 && !slices.Contains(t.Tactics, tac.ShortName) {
		out = append(out, fmt.Sprintf("ATT&CK files %s (%s) under %s, not %s", t.ID, t.Name, strings.Join(t.Tactics, ", "), tac.ShortName))
	}
	return out
}

func versionNote(c Catalogue) string {
	if c.Version == "" {
		return ""
	}
	return " (ATT&CK v" + c.Version + ")"
}

func builtIn(shortNames []string) []Tactic {
	var out []Tactic
	for _, p := range shortNames {
		if t, _, ok := LookupTactic(p); ok {
			out = append(out, t)
		}
	}
	return out
}

// link resolves the indicator and evidence keys of in within incident i;
// one that names nothing in this incident is a field error.
func link(ctx context.Context, tx *db.Tx, v *errs.Validation, i incident.Incident, in Input, act *Activity) error {
	xs, err := ioc.Lookup(ctx, tx, i.ID, in.Indicators)
	if err != nil {
		return err
	}
	for _, id := range in.Indicators {
		x, ok := xs[id]
		if !ok {
			v.Add("indicators", "%s is not an indicator of %s", id, i.Ref)
			continue
		}
		act.Indicators = append(act.Indicators, IndicatorLink{ID: x.ID, Type: string(x.Type), Value: x.Value})
	}
	es, err := evidence.Lookup(ctx, tx, i, in.Evidence)
	if err != nil {
		return err
	}
	for _, key := range in.Evidence {
		e, ok := es[key]
		switch {
		case !ok:
			v.Add("evidence", "%s is not evidence of %s", key, i.Ref)
		case !slices.ContainsFunc(act.Evidence, func(l EvidenceLink) bool { return l.ID == e.ID }): // EV-3 and 3 name one item
			act.Evidence = append(act.Evidence, EvidenceLink{ID: e.ID, Label: e.Label, Name: e.Name})
		}
	}
	return nil
}

// Choices are what the record form offers for an incident.
type Choices struct {
	Indicators []IndicatorLink `json:"indicators"`
	Evidence   []EvidenceLink  `json:"evidence"`
	Catalogue  Catalogue       `json:"catalogue"`
	Techniques []Technique     `json:"techniques"` // live techniques, for a datalist
}

// MaxChoices bounds the indicators offered in the form's picker.
const MaxChoices = 500

// Choices returns the incident's indicators and evidence and the live
// catalogue, for the form that records activity.
func (s *Service) Choices(ctx context.Context, ref string) (Choices, error) {
	var c Choices
	if err := signedIn(actor.From(ctx)); err != nil {
		return c, err
	}
	err := incident.ReadVisible(ctx, s.DB, s.Now(), ref, "attack", func(tx *db.Tx, i incident.Incident) error {
		c = Choices{Indicators: []IndicatorLink{}, Evidence: []EvidenceLink{}}
		xs, err := ioc.InIncident(ctx, tx, i.ID, MaxChoices)
		if err != nil {
			return err
		}
		for _, x := range xs {
			c.Indicators = append(c.Indicators, IndicatorLink{ID: x.ID, Type: string(x.Type), Value: x.Value})
		}
		es, err := evidence.InIncident(ctx, tx, i)
		if err != nil {
			return err
		}
		for _, e := range es {
			c.Evidence = append(c.Evidence, EvidenceLink{ID: e.ID, Label: e.Label, Name: e.Name})
		}
		if c.Catalogue, err = catalogue(ctx, tx); err != nil {
			return err
		}
		c.Techniques, err = listTechniques(ctx, tx, TechniqueFilter{Limit: MaxTechniques})
		return err
	})
	return c, err
}
