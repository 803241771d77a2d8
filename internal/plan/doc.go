// Package plan makes incident-response plans code: a YAML document,
// linted with file, line and column for every problem, kept in a library
// of immutable versions per organisation, and turned into assigned, timed
// tasks when an incident is declared (and as it escalates).
//
// The format is documented in docs/plans.md and docs/plan.schema.json.
// Starter plans for the common incident types live in starter/ and are
// imported into every new organisation.
package plan
