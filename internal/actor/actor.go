// Package actor carries who is acting, and the request ID, through a
// context. It is the only thing Warroom puts in a context.
package actor

import "context"

// Role is a person's role in an organisation.
type Role string

// The organisation roles, from least to most privileged.
const (
	Viewer    Role = "viewer"
	Responder Role = "responder"
	Admin     Role = "admin"
)

// Roles lists the valid roles, for validation messages.
var Roles = []Role{Viewer, Responder, Admin}

// Valid reports whether r is a known role.
func (r Role) Valid() bool { return r == Viewer || r == Responder || r == Admin }

// CanWrite reports whether r may change incidents.
func (r Role) CanWrite() bool { return r == Responder || r == Admin }

// Actor is an authenticated person acting within one organisation.
type Actor struct {
	UserID     string
	OrgID      string
	Email      string
	Name       string
	Role       Role
	RemoteAddr string
	// Via says how the actor authenticated: "session", "token" or "local"
	// (an administrator on the server's own machine).
	Via string
	// CredentialID is the ID of the token or session used, so a client
	// can sign itself out.
	CredentialID string
}

// IsAdmin reports whether the actor administers its organisation.
func (a *Actor) IsAdmin() bool { return a != nil && a.Role == Admin }

type ctxKey int

const (
	actorKey ctxKey = iota
	requestIDKey
)

// With returns a context that carries a.
func With(ctx context.Context, a *Actor) context.Context {
	return context.WithValue(ctx, actorKey, a)
}

// From returns the actor in ctx, or nil when there is none.
func From(ctx context.Context) *Actor {
	a, _ := ctx.Value(actorKey).(*Actor)
	return a
}

// WithRequestID returns a context that carries a request ID for logs.
func WithRequestID(ctx context.Context, id string) context.Context {
	return context.WithValue(ctx, requestIDKey, id)
}

// RequestID returns the request ID in ctx, or "".
func RequestID(ctx context.Context) string {
	id, _ := ctx.Value(requestIDKey).(string)
	return id
}
