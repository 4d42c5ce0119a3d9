// Package resolvers implements Dayline's GraphQL schema for gqlgen. Each
// resolver is a few lines: read the actor (actor.go), call a service of
// package app or a loader, return. The rules (building aggregates,
// versions, validation, tenant, ownership and role) live in app, which
// every mode shares; this package only turns GraphQL arguments into app
// inputs (inputs.go) and app answers into GraphQL results, and places the
// errors of batch resolvers (batch.go). Field-level authorization by
// directive lives in fieldauth.go (by the token's groups).
package resolvers

import (
	"sync"
	"time"

	"github.com/dayline/dayline/app"
)

// Resolver is the root resolver. Build it with New, or (as api.New does)
// from Store, Now and NewID, from which it builds the services once, on
// first use.
type Resolver struct {
	Store app.Store
	// Now is the clock (CreatedAt, UpdatedAt, CompletedAt).
	Now func() time.Time
	// NewID returns a fresh, time-sortable id for new items.
	NewID func() string

	once sync.Once
	app  *app.Services
}

// New returns a root resolver over the given services.
func New(services *app.Services) *Resolver { return &Resolver{app: services} }

// services returns the resolver's services.
func (r *Resolver) services() *app.Services {
	r.once.Do(func() {
		if r.app == nil {
			r.app = app.New(r.Store, app.Env{Now: r.Now, NewID: r.NewID})
		}
	})
	return r.app
}
