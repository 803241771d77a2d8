// Package notify reaches people: it delivers notifications by email (SMTP)
// and webhooks (generic signed JSON, Slack, Microsoft Teams, Mattermost)
// through a durable outbox, and runs escalations ("pages") that re-notify
// and widen until someone acknowledges.
//
// The outbox is the only way a notification leaves Warroom. Enqueue writes
// a message inside the caller's transaction, so a message exists exactly
// when the change that caused it commits; a Worker delivers it afterwards,
// retrying with exponential backoff, and a delivered message is never sent
// again. Several server replicas may run workers on one PostgreSQL
// database: a message is claimed under a lease (see claim.go).
//
// An escalation is a Page: a Spec of levels (who, and how long after the
// start they are added), a re-notification interval and channels. The
// Escalator's Tick pages level 0, escalates level by level and re-notifies
// everyone paged so far until the page is acknowledged. Who "everyone" is
// comes from a Resolver the caller implements (roster roles, the contact
// directory, the organisation's webhooks); what happened is reported to
// OnEvent inside the same transaction, for the incident timeline.
//
// Acknowledgement links carry a random token that is minted when a message
// is delivered and stored only as a hash, so the database (and anyone who
// can read the outbox in the UI) never holds a working link.
// docs/notifications.md is the operator and receiver documentation.
package notify
