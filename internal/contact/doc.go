// Package contact is the stakeholder directory: the people an incident
// response has to reach, inside the organisation and outside it (outside
// counsel, the cyber insurer, law enforcement, the IR provider, the PR
// firm, regulators, key customers), with their work channels and the
// out-of-band ones (personal email, a mobile, Signal) that still work when
// corporate email and chat are in the attacker's hands.
//
// Each contact has a key (like outside-counsel) that IR plans name in
// their escalation levels, and the date someone last confirmed the details
// with the person. A contact not verified in StaleAfter (90 days) is
// stale, and is flagged wherever it is shown.
//
// The directory is not part of any incident's record: changes are written
// to the audit log (internal/audit), not to a timeline. See docs/contacts.md.
package contact
