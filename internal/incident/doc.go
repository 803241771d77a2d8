// Package incident owns incidents, their roster of role holders, their
// tasks and the entry points to their timeline. Every change is one
// transaction that writes the change and its timeline entry together.
//
// Need-to-know: a restricted incident is visible only to the people who
// currently hold a role on it and to organisation admins. For everyone
// else every method answers not-found, exactly as for an incident that
// does not exist.
package incident
