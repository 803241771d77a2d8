// Package client is a Go client for Warroom's JSON API, used by the CLI
// and the end-to-end tests.
//
// It declares its own wire types instead of importing the server's
// packages: a client (and the agent built on it) must not link the
// database drivers, and the end-to-end tests decode responses strictly so
// any drift between these types and the server's is caught.
package client
