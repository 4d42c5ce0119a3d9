// Package resolvers implements Dayline's GraphQL schema for gqlgen. Each
// resolver is a few lines: read the actor (actor.go), call a service of
// package app or a loader, return. The rules (building aggregates,
// versions, validation, tenant, ownership and role) live in app, which
// every mode shares; this package only turns GraphQL arguments into app
// inputs (convert.go) and app answers into GraphQL results, and places the
// errors of batch resolvers (batch.go). Field-level authorization by
// directive lives in fieldauth.go (by the token's groups).
package resolvers

import "github.com/dayline/dayline/app"

// Resolver is the root resolver: gqlgen calls it, it calls app's services.
type Resolver struct {
	app *app.Services
}

// New returns a root resolver over the given services.
func New(services *app.Services) *Resolver { return &Resolver{app: services} }
