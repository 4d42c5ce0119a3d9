package auth

import (
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"
)

// Defaults applied by Config.withDefaults.
const (
	DefaultLeeway             = 30 * time.Second
	DefaultHTTPTimeout        = 5 * time.Second
	DefaultMinRefreshInterval = time.Minute
	DefaultCacheSize          = 10000
)

// Config configures a Verifier. Zero values take the documented defaults.
type Config struct {
	// Issuer is the exact "iss" value tokens must carry, e.g.
	// https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_abc. Required.
	Issuer string
	// JWKSURL is where a RemoteKeySource fetches keys when NewVerifier is
	// given a nil KeySource. Default: Issuer + "/.well-known/jwks.json".
	JWKSURL string
	// ClientIDs are the allowed app client ids. An id token's "aud" must name
	// at least one of them and nothing else; an access token's "client_id"
	// must be one of them. Empty disables the check.
	ClientIDs []string
	// Leeway is the clock skew allowed for exp, nbf and iat. Default 30s;
	// negative is an error.
	Leeway time.Duration
	// Now is the clock. Default time.Now.
	Now func() time.Time
	// HTTPClient is used for JWKS fetches. Default: a client with a 5s timeout.
	HTTPClient *http.Client
	// MinRefreshInterval rate-limits JWKS refetches triggered by unknown kids.
	// Default 1 minute.
	MinRefreshInterval time.Duration
	// CacheSize bounds the number of verified tokens cached. Default 10000;
	// negative disables the cache.
	CacheSize int
}

// withDefaults returns a copy of c with defaults filled in, or an error if c
// is unusable (missing issuer, negative leeway).
func (c Config) withDefaults() (Config, error) {
	if c.Issuer == "" {
		return c, errors.New("auth: config: issuer is required")
	}
	if c.Leeway < 0 {
		return c, fmt.Errorf("auth: config: negative leeway %s", c.Leeway)
	}
	if c.Leeway == 0 {
		c.Leeway = DefaultLeeway
	}
	if c.JWKSURL == "" {
		c.JWKSURL = strings.TrimSuffix(c.Issuer, "/") + "/.well-known/jwks.json"
	}
	if c.Now == nil {
		c.Now = time.Now
	}
	if c.HTTPClient == nil {
		c.HTTPClient = &http.Client{Timeout: DefaultHTTPTimeout}
	}
	if c.MinRefreshInterval <= 0 {
		c.MinRefreshInterval = DefaultMinRefreshInterval
	}
	if c.CacheSize == 0 {
		c.CacheSize = DefaultCacheSize
	}
	c.ClientIDs = append([]string(nil), c.ClientIDs...)
	return c, nil
}
