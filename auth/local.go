package auth

import (
	"crypto"
	"crypto/rand"
	"crypto/rsa"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"path/filepath"
	"time"

	"github.com/lestrrat-go/jwx/v3/jwa"
	"github.com/lestrrat-go/jwx/v3/jwk"
	"github.com/lestrrat-go/jwx/v3/jws"
)

// LocalIssuer is the development identity provider used when no Cognito
// issuer is configured. It mints RS256 id tokens shaped like Cognito's and
// publishes its public key as a JWKS. It is safe for concurrent use.
type LocalIssuer struct {
	issuer   string
	clientID string
	now      func() time.Time
	signKey  jwk.Key // private key with kid and alg set
	keys     *StaticKeySource
	jwks     []byte // public JWKS document
}

// OpenLocalIssuer loads the RSA-2048 signing key from dir/dev-signing-key.pem
// (PKCS#8 PEM), creating it with mode 0600 if missing. issuer is the "iss" of
// minted tokens (e.g. "http://127.0.0.1:8080") and clientID their "aud"; a nil
// now means time.Now. The kid is the key's RFC 7638 thumbprint, so it is
// stable across reopenings. It returns an error if issuer or clientID is
// empty or the key file cannot be read, parsed or created.
func OpenLocalIssuer(dir, issuer, clientID string, now func() time.Time) (*LocalIssuer, error) {
	if issuer == "" || clientID == "" {
		return nil, errors.New("auth: local issuer: issuer and client id are required")
	}
	if now == nil {
		now = time.Now
	}
	priv, err := loadOrCreateKey(filepath.Join(dir, devKeyFile))
	if err != nil {
		return nil, err
	}
	signKey, pubKey, err := localJWKs(priv)
	if err != nil {
		return nil, err
	}
	set := jwk.NewSet()
	if err := set.AddKey(pubKey); err != nil {
		return nil, fmt.Errorf("auth: local issuer: build jwks: %w", err)
	}
	doc, err := json.Marshal(set)
	if err != nil {
		return nil, fmt.Errorf("auth: local issuer: encode jwks: %w", err)
	}
	keys, err := NewStaticKeySource(doc)
	if err != nil {
		return nil, fmt.Errorf("auth: local issuer: %w", err)
	}
	return &LocalIssuer{issuer: issuer, clientID: clientID, now: now, signKey: signKey, keys: keys, jwks: doc}, nil
}

// localJWKs converts priv into a private signing JWK and its public JWK, both
// carrying kid (the SHA-256 thumbprint), alg RS256 and, for the public one,
// use "sig".
func localJWKs(priv *rsa.PrivateKey) (jwk.Key, jwk.Key, error) {
	pubKey, err := jwk.Import(&priv.PublicKey)
	if err != nil {
		return nil, nil, fmt.Errorf("auth: local issuer: import public key: %w", err)
	}
	thumb, err := pubKey.Thumbprint(crypto.SHA256)
	if err != nil {
		return nil, nil, fmt.Errorf("auth: local issuer: thumbprint: %w", err)
	}
	kid := base64.RawURLEncoding.EncodeToString(thumb)
	signKey, err := jwk.Import(priv)
	if err != nil {
		return nil, nil, fmt.Errorf("auth: local issuer: import private key: %w", err)
	}
	for _, kv := range []struct {
		key   jwk.Key
		name  string
		value any
	}{
		{signKey, jwk.KeyIDKey, kid},
		{signKey, jwk.AlgorithmKey, jwa.RS256()},
		{pubKey, jwk.KeyIDKey, kid},
		{pubKey, jwk.AlgorithmKey, jwa.RS256()},
		{pubKey, jwk.KeyUsageKey, jwk.ForSignature},
	} {
		if err := kv.key.Set(kv.name, kv.value); err != nil {
			return nil, nil, fmt.Errorf("auth: local issuer: set %s: %w", kv.name, err)
		}
	}
	return signKey, pubKey, nil
}

// Issuer returns the "iss" of minted tokens.
func (l *LocalIssuer) Issuer() string { return l.issuer }

// ClientID returns the "aud" of minted tokens.
func (l *LocalIssuer) ClientID() string { return l.clientID }

// KeySource returns the issuer's static public key set, for NewVerifier.
func (l *LocalIssuer) KeySource() KeySource { return l.keys }

// Config returns a verifier Config accepting this issuer's tokens, with the
// issuer's clock.
func (l *LocalIssuer) Config() Config {
	return Config{Issuer: l.issuer, ClientIDs: []string{l.clientID}, Now: l.now}
}

// JWKSHandler serves the public JWKS document, suitable for
// /.well-known/jwks.json (the server routes only GET and HEAD to it).
func (l *LocalIssuer) JWKSHandler() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.Header().Set("Cache-Control", "public, max-age=300")
		_, _ = w.Write(l.jwks)
	})
}

// Mint returns a signed id token shaped like a Cognito id token: header with
// kid and alg RS256; claims sub, iss, aud (the client id), token_use "id",
// cognito:username (= sub), cognito:groups (omitted when empty, as Cognito
// does), email and email_verified (when email is set), auth_time, iat, exp,
// jti, origin_jti and event_id. It returns an error if sub is empty, ttl is
// not positive, or signing fails.
func (l *LocalIssuer) Mint(sub string, groups []string, email string, ttl time.Duration) (string, error) {
	if sub == "" {
		return "", errors.New("auth: mint: empty sub")
	}
	if ttl <= 0 {
		return "", fmt.Errorf("auth: mint: non-positive ttl %s", ttl)
	}
	iat := l.now().Unix()
	claims := map[string]any{
		claimSubject:         sub,
		claimIssuer:          l.issuer,
		claimAudience:        l.clientID,
		claimTokenUse:        tokenUseID,
		claimCognitoUsername: sub,
		"auth_time":          iat,
		claimIssuedAt:        iat,
		claimExpiry:          iat + int64(ttl.Round(time.Second)/time.Second),
		"jti":                newUUID(),
		"origin_jti":         newUUID(),
		"event_id":           newUUID(),
	}
	if len(groups) > 0 {
		claims[claimGroups] = groups
	}
	if email != "" {
		claims[claimEmail] = email
		claims["email_verified"] = true
	}
	payload, err := json.Marshal(claims)
	if err != nil {
		return "", fmt.Errorf("auth: mint: encode claims: %w", err)
	}
	tok, err := jws.Sign(payload, jws.WithKey(jwa.RS256(), l.signKey))
	if err != nil {
		return "", fmt.Errorf("auth: mint: sign: %w", err)
	}
	return string(tok), nil
}

// newUUID returns a random (version 4) UUID string.
func newUUID() string {
	var b [16]byte
	_, _ = rand.Read(b[:]) // crypto/rand.Read never fails
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	return fmt.Sprintf("%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:16])
}
