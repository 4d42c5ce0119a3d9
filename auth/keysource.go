package auth

import (
	"context"
	"crypto/rsa"
	"errors"
	"fmt"
	"slices"

	"github.com/lestrrat-go/jwx/v3/jwa"
	"github.com/lestrrat-go/jwx/v3/jwk"
)

// minRSABits is the smallest RSA modulus accepted for verification keys.
const minRSABits = 2048

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
	keys map[string]*rsa.PublicKey
}

// NewStaticKeySource parses a JWKS document and keeps its usable RS256 keys.
// It returns an error if the document does not parse or has no usable key.
func NewStaticKeySource(jwks []byte) (*StaticKeySource, error) {
	set, err := jwk.Parse(jwks)
	if err != nil {
		return nil, fmt.Errorf("auth: parse jwks: %w", err)
	}
	keys, err := rsaKeysFromSet(set)
	if err != nil {
		return nil, fmt.Errorf("auth: static key source: %w", err)
	}
	return &StaticKeySource{keys: keys}, nil
}

// LookupKey returns the key for kid, or an error wrapping ErrUnknownKey.
func (s *StaticKeySource) LookupKey(_ context.Context, kid string) (*rsa.PublicKey, error) {
	if k, ok := s.keys[kid]; ok {
		return k, nil
	}
	return nil, fmt.Errorf("kid %.64q: %w", kid, ErrUnknownKey)
}

// rsaKeysFromSet extracts the keys usable for RS256 verification, by kid.
// A key is usable when it has a kid, kty RSA, alg RS256 or no alg, use "sig"
// or no use, key_ops containing "verify" or no key_ops, and at least 2048
// bits. Other keys are skipped; the first key wins on duplicate kids. It
// returns an error if no key is usable.
func rsaKeysFromSet(set jwk.Set) (map[string]*rsa.PublicKey, error) {
	keys := make(map[string]*rsa.PublicKey, set.Len())
	for i := range set.Len() {
		key, ok := set.Key(i)
		if !ok {
			continue
		}
		kid, pub, ok := usableRSAKey(key)
		if !ok {
			continue
		}
		if _, dup := keys[kid]; !dup {
			keys[kid] = pub
		}
	}
	if len(keys) == 0 {
		return nil, errors.New("no usable RS256 keys in key set")
	}
	return keys, nil
}

// usableRSAKey applies the rules of rsaKeysFromSet to one key.
func usableRSAKey(key jwk.Key) (string, *rsa.PublicKey, bool) {
	kid, ok := key.KeyID()
	if !ok || kid == "" || key.KeyType().String() != jwa.RSA().String() {
		return "", nil, false
	}
	if alg, ok := key.Algorithm(); ok && alg.String() != jwa.RS256().String() {
		return "", nil, false
	}
	if use, ok := key.KeyUsage(); ok && use != "" && use != string(jwk.ForSignature) {
		return "", nil, false
	}
	if ops, ok := key.KeyOps(); ok && len(ops) > 0 && !slices.Contains(ops, jwk.KeyOpVerify) {
		return "", nil, false
	}
	pubKey, err := key.PublicKey()
	if err != nil {
		return "", nil, false
	}
	var raw any
	if err := jwk.Export(pubKey, &raw); err != nil {
		return "", nil, false
	}
	pub, ok := raw.(*rsa.PublicKey)
	if !ok || pub.N == nil || pub.N.BitLen() < minRSABits {
		return "", nil, false
	}
	return kid, pub, true
}
