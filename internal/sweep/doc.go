// Package sweep finds an incident's indicators in bytes, logs and file
// trees: the engine behind `warroom sweep` and, later, the agent's hunts.
//
// A Matcher is compiled once from a set of indicators (ten to a million)
// and is then safe for concurrent use by any number of goroutines. Its
// Scan method reports whole-token matches in a buffer of complete lines;
// SweepLogs runs it over text, gzip and JSON-lines files in parallel
// chunks with correct line numbers, and SweepFiles walks directories
// matching names, paths and content hashes.
//
// # Why it is hand-written
//
// The project prefers a well-kept library wherever one exists (DESIGN.md
// §7); this is one of the places named as ours. Generic multi-pattern
// matchers (Aho-Corasick, ripgrep's -F -f, grep -F) treat indicators as
// arbitrary byte strings, so their cost grows with the pattern set and
// they run at about 20 MB/s with 20,000 patterns on the project's
// reference machine; they also report substrings (evil.com inside
// notevil.com) that an analyst must then discard. Indicators are not
// arbitrary: they are tokens with known shapes. The scanner therefore
// reads each byte once through a byte-class table, and at each word start
// looks the first bytes of the word up in a small bit filter and an
// open-addressing table (one probe, independent of how many indicators
// there are); only the few candidates that survive are compared in full,
// with the boundary and case rules of their type. Dotted quads and IPv6
// runs are parsed where they appear and tested against exact addresses and
// sorted CIDR ranges. See docs/sweep.md for the matching rules and
// docs/benchmarks.md for the measurements.
package sweep
