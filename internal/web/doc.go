// Package web serves the browser UI: server-rendered html/template pages
// with embedded static assets and a small hand-written JavaScript layer
// that keeps open pages live over the API's Server-Sent Events streams.
//
// Every page works without JavaScript. Handlers decode a form, call one
// service method and render or redirect; the rules live in the capability
// packages, shared with the API.
//
// Security: sessions are server-side, in an HttpOnly SameSite=Lax cookie
// (Secure behind TLS); every POST carries the session's CSRF token; the
// Content-Security-Policy allows no inline script or style; html/template
// escapes all output.
package web
