// Package db opens Warroom's database — embedded SQLite by default,
// PostgreSQL for scale — migrates it, and runs transactions.
//
// Capabilities write SQL that both engines accept ($1 placeholders,
// RETURNING, ON CONFLICT). The few differences live here, behind Dialect.
//
// On SQLite every write transaction goes through a pool of one connection
// that begins with BEGIN IMMEDIATE: writers queue in Go instead of spinning
// in SQLite's busy handler, and a transaction never fails half-way because
// it tried to upgrade a read lock. Reads use a separate read-only pool and
// run concurrently with the writer thanks to WAL.
package db
