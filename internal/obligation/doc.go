// Package obligation answers the question legal and compliance ask on the
// worst day: which notifications are owed, to whom, and by when.
//
// Rules are data: an embedded YAML catalogue (rules.yaml, one rule per
// cited obligation, ids as in the project's reference catalogue) plus any
// organisation-specific rules (contracts, insurers) in the same format.
// Every rule is checked when it is loaded; a problem names the file, line
// and column. Facts about an incident (where the organisation operates,
// who was affected, what data, when things happened) are evaluated against
// the rules at an instant to give obligations with a due instant, staged
// follow-ups and an explanation a lawyer can check by hand.
//
// The calendars (US federal holidays with observed days, Brazil's national
// holidays, weekends) and calendar-month arithmetic are written here rather
// than taken from a library because they are the core of the answer: each
// holiday is computed by a rule that can be cited, for any year.
//
// The format is documented in docs/obligations.md. Nothing here is legal
// advice.
package obligation
