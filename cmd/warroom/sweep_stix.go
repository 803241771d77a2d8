package main

import (
	"bytes"
	"fmt"
	"time"

	"github.com/warroom/warroom/internal/ioc"
	"github.com/warroom/warroom/internal/sweep"
)

// stixIndicators reads a STIX 2.1 bundle (or a MISP event, the other JSON
// form indicators come in) with internal/ioc's importers, so a file sweeps
// for exactly what `warroom ioc import` would add. What they reject (a
// pattern that is not a literal, a bad value) is listed like a bad line of
// a plain list; types that are not tokens (other, STIX patterns) are
// skipped with a note.
func stixIndicators(doc []byte, subdomains bool, probs *iocProblems) ([]sweep.Indicator, []string, error) {
	// The parsers themselves, not ParseImport: its limits (16 MiB, 10,000
	// indicators) are for what one request adds to an incident, and a
	// sweep takes up to a million indicators.
	parse := ioc.ParseSTIX
	if bytes.Contains(doc, []byte(`"Event"`)) && !bytes.Contains(doc, []byte(`"bundle"`)) {
		parse = ioc.ParseMISP
	}
	b, err := parse(doc, time.Now())
	if err != nil {
		return nil, nil, err
	}
	for _, r := range b.Rejected {
		probs.add("%s: %s", r.Item, r.Reason)
	}
	var inds []sweep.Indicator
	skipped := map[ioc.Type]int{}
	for _, it := range b.Items {
		if !sweep.Sweepable(it.Input.Type) {
			skipped[it.Input.Type]++
			continue
		}
		if in, ok := indicator(it.Input.Type, it.Input.Value, subdomains, it.Item, probs); ok {
			inds = append(inds, in)
		}
	}
	var notes []string
	for t, n := range skipped {
		notes = append(notes, fmt.Sprintf("%d of type %s (not a token a sweep can find)", n, t))
	}
	return inds, notes, nil
}
