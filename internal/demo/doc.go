// Package demo fills an empty database with a realistic sample
// organisation, so a newcomer can run `warroom serve --demo`, sign in and
// see a war room in mid-flight instead of an empty list.
//
// The organisation, Northwind Logistics, has ten people in every kind of
// role and four incidents: a SEV1 ransomware incident in containment, a
// closed business-email compromise, a restricted insider-threat case and a
// fresh phishing report. Everything is written through the public services
// (org.Service, incident.Service), so validation, authorization and the
// hash-chained record run exactly as in production; the demo is as
// trustworthy a test of those rules as it is a showcase.
//
// History is backdated with a fake clock handed to the services as their
// Now: the stories are told in chronological order and the clock only moves
// forward, never past the real current time, so recorded times, incident
// references and the organisation's event order all agree with each other.
package demo
