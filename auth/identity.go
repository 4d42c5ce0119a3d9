package auth

import (
	"context"
	"slices"
	"time"
)

// Identity is the verified caller. Values returned by Verifier.Verify may be
// shared with the verifier's cache: treat Groups and Claims as read-only.
type Identity struct {
	Sub       string         // token "sub"
	Username  string         // "cognito:username" or "username" claim, else Sub
	Email     string         // "email" claim if present
	Groups    []string       // "cognito:groups" claim; empty when absent
	TokenUse  string         // "id" or "access"
	Issuer    string         // token "iss"
	ExpiresAt time.Time      // token "exp"
	Claims    map[string]any // every claim of the token, as decoded from JSON
}

// InGroup reports whether any of id.Groups equals any of groups. It returns
// false when either list is empty.
func (id Identity) InGroup(groups ...string) bool {
	for _, g := range groups {
		if slices.Contains(id.Groups, g) {
			return true
		}
	}
	return false
}

// identityKey is the unexported context key for the verified Identity.
type identityKey struct{}

// WithIdentity returns a copy of ctx carrying id. It never fails.
func WithIdentity(ctx context.Context, id Identity) context.Context {
	return context.WithValue(ctx, identityKey{}, id)
}

// IdentityFrom returns the Identity stored by WithIdentity, or ErrNoIdentity
// if ctx carries none.
func IdentityFrom(ctx context.Context) (Identity, error) {
	id, ok := ctx.Value(identityKey{}).(Identity)
	if !ok {
		return Identity{}, ErrNoIdentity
	}
	return id, nil
}
