package auth

import (
	"context"
	"crypto/rsa"
	"fmt"
)

// KeySource is where verification keys come from: a remote JWKS (Cognito) or
// the local development key. Implementations must be safe for concurrent use.
type KeySource interface {
	// LookupKey returns the RS256 public key with the given kid. It returns an
	// error wrapping ErrUnknownKey when the set has no usable key with that
	// kid, and any other error when the keys could not be obtained at all.
	LookupKey(ctx context.Context, kid string) (*rsa.PublicKey, error)
}

// StaticKeySource is a fixed key set, safe for concurrent use.
type StaticKeySource struct {
	set keySet
}

// NewStaticKeySource parses a JWKS document and keeps its usable RS256 keys;
// unusable entries are skipped alone (see parseJWKS for the rules). It
// returns an error if the document is not a key set or has no usable key.
func NewStaticKeySource(jwks []byte) (*StaticKeySource, error) {
	set, err := parseJWKS(jwks)
	if err != nil {
		return nil, fmt.Errorf("auth: static key source: %w", err)
	}
	return &StaticKeySource{set: set}, nil
}

// LookupKey returns the key for kid, or an error wrapping ErrUnknownKey.
func (s *StaticKeySource) LookupKey(_ context.Context, kid string) (*rsa.PublicKey, error) {
	return s.set.lookup(kid)
}
