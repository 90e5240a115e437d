// Package auth supplies the access tokens of spotify-go: the [Provider]
// interface with its optional [Invalidator] and [Identifier] interfaces, a
// static token, and the client-credentials flow with early refresh.
//
// Providers are safe for concurrent use. A refresh shared by many callers
// runs once, on a context detached from any one caller, with its own
// timeout. Tokens and configurations that hold secrets print themselves
// redacted.
package auth
