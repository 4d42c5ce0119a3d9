package auth

import (
	"crypto/rsa"
	"encoding/json"
	"errors"
	"fmt"
	"slices"

	"github.com/lestrrat-go/jwx/v3/jwa"
	"github.com/lestrrat-go/jwx/v3/jwk"
)

const (
	// minRSABits is the smallest RSA modulus accepted for verification keys.
	minRSABits = 2048
	// maxJWKSKeys bounds the entries of a JWKS document; each one is parsed.
	maxJWKSKeys = 100
)

// keySet is the outcome of reading a JWKS document: the usable RS256 keys
// by kid, and for every other entry that carried a kid, why it was skipped.
// It is immutable once built.
type keySet struct {
	keys    map[string]*rsa.PublicKey
	skipped map[string]error
}

// lookup returns the key for kid. Otherwise it returns an error wrapping
// ErrUnknownKey that, when the set had an unusable entry with that kid,
// says why the entry was skipped (for logs, not clients).
func (ks keySet) lookup(kid string) (*rsa.PublicKey, error) {
	if k, ok := ks.keys[kid]; ok {
		return k, nil
	}
	if why, ok := ks.skipped[kid]; ok {
		return nil, fmt.Errorf("kid %.64q was skipped (%v): %w", kid, why, ErrUnknownKey)
	}
	return nil, fmt.Errorf("kid %.64q: %w", kid, ErrUnknownKey)
}

// parseJWKS reads a JWKS document entry by entry, so that one unusable
// entry (an unsupported kty, missing or broken parameters, an RSA modulus
// under 2048 bits, another alg or use) is skipped alone and the other keys
// keep working; jwk.Parse would refuse the whole set instead. An entry is
// usable when it has a kid, kty RSA, alg RS256 or no alg, use "sig" or no
// use, key_ops containing "verify" or no key_ops, and at least 2048 bits.
// The first usable entry wins on duplicate kids.
//
// It returns an error if doc is not a JSON object with a "keys" array, if
// that array has more than maxJWKSKeys entries, or if no entry is usable;
// the last error lists why each entry was skipped.
func parseJWKS(doc []byte) (keySet, error) {
	var set struct {
		Keys *[]json.RawMessage `json:"keys"`
	}
	if err := json.Unmarshal(doc, &set); err != nil {
		return keySet{}, fmt.Errorf("jwks is not a key set: %w", err)
	}
	if set.Keys == nil {
		return keySet{}, errors.New(`jwks has no "keys" array`)
	}
	entries := *set.Keys
	if len(entries) > maxJWKSKeys {
		return keySet{}, fmt.Errorf("jwks has %d keys, more than %d", len(entries), maxJWKSKeys)
	}
	ks := keySet{keys: make(map[string]*rsa.PublicKey, len(entries)), skipped: make(map[string]error)}
	var reasons []error
	for i, raw := range entries {
		kid, pub, err := usableJWK(raw)
		if err != nil {
			reasons = append(reasons, fmt.Errorf("key %d (kid %.64q): %w", i, kid, err))
			if _, seen := ks.skipped[kid]; kid != "" && !seen {
				ks.skipped[kid] = err
			}
			continue
		}
		if _, dup := ks.keys[kid]; !dup {
			ks.keys[kid] = pub
		}
	}
	if len(ks.keys) == 0 {
		return keySet{}, fmt.Errorf("no usable RS256 key among the %d keys of the jwks: %w", len(entries), errors.Join(reasons...))
	}
	for kid := range ks.keys {
		delete(ks.skipped, kid)
	}
	return ks, nil
}

// usableJWK parses one JWKS entry and applies the rules of parseJWKS. It
// returns the entry's kid (as far as it can be read) and, if the entry is
// not usable, an error saying why.
func usableJWK(raw json.RawMessage) (string, *rsa.PublicKey, error) {
	var member struct {
		Kid string `json:"kid"`
	}
	_ = json.Unmarshal(raw, &member) // a broken entry fails jwk.ParseKey below
	kid := member.Kid
	if kid == "" {
		return "", nil, errors.New("no kid")
	}
	key, err := jwk.ParseKey(raw)
	if err != nil {
		return kid, nil, fmt.Errorf("parse: %w", err)
	}
	pub, err := usableRSAKey(key)
	return kid, pub, err
}

// usableRSAKey returns key's RSA public key if it is usable for RS256
// verification (see parseJWKS), or an error saying why not.
func usableRSAKey(key jwk.Key) (*rsa.PublicKey, error) {
	if kty := key.KeyType(); kty.String() != jwa.RSA().String() {
		return nil, fmt.Errorf("kty %.16q is not RSA", kty.String())
	}
	if alg, ok := key.Algorithm(); ok && alg.String() != jwa.RS256().String() {
		return nil, fmt.Errorf("alg %.16q is not RS256", alg.String())
	}
	if use, ok := key.KeyUsage(); ok && use != "" && use != string(jwk.ForSignature) {
		return nil, fmt.Errorf("use %.16q is not sig", use)
	}
	if ops, ok := key.KeyOps(); ok && len(ops) > 0 && !slices.Contains(ops, jwk.KeyOpVerify) {
		return nil, errors.New("key_ops lacks verify")
	}
	pubKey, err := key.PublicKey()
	if err != nil {
		return nil, fmt.Errorf("public key: %w", err)
	}
	var raw any
	if err := jwk.Export(pubKey, &raw); err != nil {
		return nil, fmt.Errorf("export: %w", err)
	}
	pub, ok := raw.(*rsa.PublicKey)
	switch {
	case !ok || pub.N == nil:
		return nil, fmt.Errorf("exported %T, want *rsa.PublicKey", raw)
	case pub.N.BitLen() < minRSABits:
		return nil, fmt.Errorf("RSA key has %d bits, want at least %d", pub.N.BitLen(), minRSABits)
	}
	return pub, nil
}
