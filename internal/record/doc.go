// Package record is the incident record: the append-only, hash-chained
// timeline every change to an incident writes, and the one way history is
// written in Warroom.
//
// Entries are never updated or deleted. A correction is a new entry that
// points at the entry it corrects. Each incident's entries form a chain:
// entry n stores the SHA-256 hash of its own canonical encoding, and that
// encoding includes the hash of entry n-1. The incident row keeps the
// head of the chain (last sequence number and hash), so removing the last
// entry is caught too. See docs/record.md for the encoding.
package record
