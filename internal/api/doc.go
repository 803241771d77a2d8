// Package api serves the JSON API under /api/v1: bearer-token (and, for
// reads and event streams, session-cookie) authentication, RFC 9457
// problem+json errors with per-field detail, ETag/If-Match optimistic
// concurrency, cursor pagination, Server-Sent Events streams and the
// OpenAPI 3.1 document. Handlers decode, call one service method and
// render; the rules live in the capability packages.
package api
