// Package org owns tenants and people: organisations, users, memberships
// with an organisation role, API tokens, browser sessions, sign-in with
// rate limiting, and each organisation's catalogue of incident-response
// roles.
package org
