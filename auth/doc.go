// Package auth verifies Cognito-style JWTs and carries the verified caller
// through request contexts, mirroring AWS AppSync's Amazon Cognito user pools
// authorization mode.
//
// A Verifier checks RS256-signed compact JWS tokens against a KeySource: a
// RemoteKeySource for a real Cognito user pool (its JWKS endpoint) or the
// static key set of a LocalIssuer, the development issuer that mints
// Cognito-shaped id tokens. Both sources go through the same verification
// code. Middleware turns the Authorization header into an Identity in the
// request context, or into an AppSync-shaped 401 response.
//
// The package holds no global state and reads no environment: everything,
// including the clock, is injected through Config and constructor arguments.
package auth
