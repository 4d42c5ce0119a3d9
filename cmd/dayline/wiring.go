package main

import (
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/oklog/ulid/v2"

	"github.com/dayline/dayline/auth"
	"github.com/dayline/dayline/store"
	"github.com/dayline/dayline/store/bolt"
)

// Dev mode's issuer and client id: tokens minted by `dayline token` and by
// `serve --demo` carry these, and the dev verifier accepts only these.
const (
	devIssuer   = "dayline-dev"
	devClientID = "dayline-dev"
)

func newLogger(level string, w io.Writer) (*slog.Logger, error) {
	var l slog.Level
	if err := l.UnmarshalText([]byte(level)); err != nil {
		return nil, fmt.Errorf("log level %q: want debug, info, warn or error", level)
	}
	return slog.New(slog.NewJSONHandler(w, &slog.HandlerOptions{Level: l})), nil
}

func newID() string { return ulid.Make().String() }

// now is the clock of stored times: UTC, so that what a mutation answers and
// what either store reads back agree whatever the host's timezone.
func now() time.Time { return time.Now().UTC() }

// openEmbeddedStore opens the bbolt store at cfg.Data, with the page-token
// secret from cfg or from a file beside the database.
func openEmbeddedStore(cfg config) (*bolt.Store, error) {
	secret, err := pageTokenSecret(cfg)
	if err != nil {
		return nil, err
	}
	st, err := bolt.Open(cfg.Data, store.NewPageTokens(secret))
	if err != nil {
		return nil, fmt.Errorf("open database %s: %w", cfg.Data, err)
	}
	return st, nil
}

func dataDir(cfg config) string { return filepath.Dir(cfg.Data) }

// loadOrCreateSecret reads a hex secret from path, creating it if missing.
func loadOrCreateSecret(path string) ([]byte, error) {
	b, err := os.ReadFile(path)
	if err == nil {
		return []byte(strings.TrimSpace(string(b))), nil
	}
	if !errors.Is(err, fs.ErrNotExist) {
		return nil, fmt.Errorf("read %s: %w", path, err)
	}
	var raw [32]byte
	if _, err := rand.Read(raw[:]); err != nil {
		return nil, fmt.Errorf("generate secret: %w", err)
	}
	secret := hex.EncodeToString(raw[:])
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return nil, fmt.Errorf("create %s: %w", filepath.Dir(path), err)
	}
	if err := os.WriteFile(path, []byte(secret+"\n"), 0o600); err != nil {
		return nil, fmt.Errorf("write %s: %w", path, err)
	}
	return []byte(secret), nil
}

// authn is the configured authentication: a verifier, plus the local issuer
// and its JWKS endpoint in dev mode.
type authn struct {
	verifier *auth.Verifier
	local    *auth.LocalIssuer // nil in OIDC mode
	jwks     http.Handler      // nil in OIDC mode
}

// newAuthn selects OIDC mode when an issuer is configured, else dev mode.
func newAuthn(cfg config) (authn, error) {
	if cfg.Issuer == "" {
		local, err := auth.OpenLocalIssuer(dataDir(cfg), devIssuer, devClientID, time.Now)
		if err != nil {
			return authn{}, fmt.Errorf("dev token issuer: %w", err)
		}
		v, err := auth.NewVerifier(local.Config(), local.KeySource())
		if err != nil {
			return authn{}, fmt.Errorf("dev token verifier: %w", err)
		}
		return authn{verifier: v, local: local, jwks: local.JWKSHandler()}, nil
	}
	acfg := auth.Config{Issuer: cfg.Issuer, JWKSURL: cfg.JWKSURL, ClientIDs: splitList(cfg.ClientIDs)}
	if len(acfg.ClientIDs) == 0 {
		return authn{}, fmt.Errorf("--issuer needs %s: without it tokens of every app client of the issuer would be accepted", named("client-ids"))
	}
	jwksURL := acfg.JWKSURL
	if jwksURL == "" {
		jwksURL = strings.TrimSuffix(cfg.Issuer, "/") + "/.well-known/jwks.json"
	}
	keys := auth.NewRemoteKeySource(jwksURL, &http.Client{Timeout: 5 * time.Second}, time.Minute, time.Now)
	v, err := auth.NewVerifier(acfg, keys)
	if err != nil {
		return authn{}, fmt.Errorf("OIDC verifier: %w", err)
	}
	return authn{verifier: v}, nil
}
