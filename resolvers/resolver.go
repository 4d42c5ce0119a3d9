// Package resolvers implements Dayline's GraphQL schema for gqlgen. Resolvers
// are thin: authorize (access.go), read through the per-operation loaders or
// call the store, return. Field-level authorization by directive lives in
// fieldauth.go (by the token's groups); tenant, ownership and role rules in
// access.go (by the user and role stored for the caller).
package resolvers

import (
	"time"

	"github.com/dayline/dayline/store"
)

// Resolver is the root resolver; its fields are injected by the caller.
type Resolver struct {
	Store store.Store
	// Now is the clock (UpdatedAt, CompletedAt).
	Now func() time.Time
	// NewID returns a fresh, time-sortable id for new items.
	NewID func() string
}
