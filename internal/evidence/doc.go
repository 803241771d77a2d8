// Package evidence is the evidence locker: files uploaded into Warroom and
// items held elsewhere (a disk image at a location, a seized laptop), each
// with its chain of custody.
//
// Uploaded files are streamed, never held whole in memory, into a
// content-addressed store under the data directory (blobs.go): MD5, SHA-1
// and SHA-256 are computed in the same pass, a size limit aborts an
// oversized upload before anything is stored, and identical content is
// stored once.
//
// Every custody event (collected, transferred, accessed, exported,
// returned, destroyed) is a timeline entry of the incident, written with
// record.Append in the transaction that changes the item, and carrying
// the item's hashes. The incident's hash chain therefore covers the chain
// of custody, and History reads it back from the record: there is no
// second copy that could disagree with it.
//
// Need-to-know follows the incident: on a restricted incident everything
// is not found for people off the roster. Viewers may read metadata and
// custody history; downloading (which writes an "accessed" entry and an
// audit row) and custody actions need a responder or an admin.
// See docs/evidence.md.
package evidence
