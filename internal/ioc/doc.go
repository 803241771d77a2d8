// Package ioc keeps an incident's indicators: the addresses, domains, URLs,
// hashes, registry keys, accounts and other values analysts find, each
// validated and normalised (Normalize) so it is stored once per incident,
// with its TLP marking, confidence, source, first and last sighting, tags,
// a note, and whether it is an indicator of compromise or an artifact
// merely observed.
//
// The same value in another incident of the organisation is a correlation,
// shown only when the caller may see that incident (need-to-know is the
// incident package's rule; this package asks it).
//
// Extract finds candidate indicators in free text (a threat report, an
// email, a log excerpt): it refangs defanged values first (Refang), skips
// obvious false positives and flags doubtful ones for review instead of
// dropping them. It needs no database and works offline.
//
// Import and Export exchange indicators with other tools: STIX 2.1
// bundles (with a parser for STIX patterning, stixpattern.go; patterns
// that are not literal values are kept whole as type stix_pattern), MISP
// events, CSV, text through the extractor, and plain block lists. The
// parsers (ParseSTIX, ParseMISP, ParseCSV) need no database.
//
// Every change is written to the incident's timeline in the same
// transaction. See docs/indicators.md.
package ioc
