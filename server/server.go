// Package server is Dayline's standalone HTTP transport: GraphQL over HTTP at
// /graphql (POST and GET, token required; with Config.Streams also its
// subscriptions, and AppSync's real-time protocol at /graphql/realtime),
// a GraphiQL playground at /, a
// health check at /healthz and, in dev mode, the local issuer's JWKS at
// /.well-known/jwks.json. It adds request ids, JSON access logs, a body
// limit, a CORS allow-list and panic recovery, and shuts down gracefully.
package server

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"time"

	"github.com/dayline/dayline/api"
	"github.com/dayline/dayline/auth"
	"github.com/dayline/dayline/pubsub"
)

// Config configures the HTTP handler.
type Config struct {
	// GraphQL serves /graphql (api.Handler).
	GraphQL http.Handler
	// Verifier authenticates every /graphql request.
	Verifier *auth.Verifier
	// JWKS, when set, is served at /.well-known/jwks.json (dev mode).
	JWKS http.Handler
	// Logger receives one JSON line per request.
	Logger *slog.Logger
	// AllowedOrigins lists browser origins allowed by CORS ("*" allows any).
	AllowedOrigins []string
	// MaxBodyBytes limits request bodies (default 1 MiB).
	MaxBodyBytes int64
	// Playground serves GraphiQL at /.
	Playground bool
	// RequestTimeout bounds one GraphQL request, as AppSync's 30 s limit
	// does (default 30 s): store calls still running then are cancelled.
	RequestTimeout time.Duration
	// Streams says GraphQL serves subscriptions (api.StreamConfig): a
	// WebSocket handshake reaches it unauthenticated (its transport checks
	// connection_init's token) and, like an event stream, without the
	// request timeout, since it lives as long as its subscriptions; the
	// AppSync real-time protocol is served at /graphql/realtime.
	Streams bool
	// Fanout, when set, reports the subscription fan-out's health in
	// /healthz ("fanout": "ok" or "degraded", with "fanoutDetail").
	Fanout func() pubsub.Status
	// Subscriptions, when set, counts the subscriptions this instance
	// serves, for /healthz ("subscriptions").
	Subscriptions func() int
}

// Defaults for Config.
const (
	DefaultMaxBodyBytes   = 1 << 20
	DefaultRequestTimeout = 30 * time.Second
)

// New returns the HTTP handler for cfg.
func New(cfg Config) http.Handler {
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	if cfg.MaxBodyBytes <= 0 {
		cfg.MaxBodyBytes = DefaultMaxBodyBytes
	}
	if cfg.RequestTimeout <= 0 {
		cfg.RequestTimeout = DefaultRequestTimeout
	}
	mux := http.NewServeMux()
	mux.Handle("/graphql", graphQLRoute(cfg))
	if cfg.Streams {
		// AppSync's real-time protocol (Amplify clients): authenticated by
		// its transport, as a WebSocket handshake on /graphql is.
		mux.Handle("/graphql/realtime", api.Realtime(cfg.GraphQL))
	}
	handleGet(mux, "/healthz", healthz(cfg.Fanout, cfg.Subscriptions))
	if cfg.JWKS != nil {
		handleGet(mux, "/.well-known/jwks.json", cfg.JWKS)
	}
	if cfg.Playground {
		handlePlayground(mux)
	}
	// Every other path is a 404, in the same error body as every other
	// error (the mux's own 404 and 405 are plain text).
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		api.WriteNoRoute(w, http.StatusNotFound, r.Method, r.URL.Path)
	})
	var h http.Handler = mux
	h = limitBody(cfg.MaxBodyBytes, h)
	h = cors(cfg.AllowedOrigins, h)
	h = recoverPanics(cfg.Logger, h)
	h = logRequests(cfg.Logger, h)
	h = withRequestID(h)
	return h
}

// graphQLRoute authenticates and times GraphQL requests, except that a
// WebSocket handshake is authenticated by its transport and streams have
// no request timeout (with cfg.Streams).
func graphQLRoute(cfg Config) http.Handler {
	requests := withTimeout(cfg.RequestTimeout, authenticate(cfg.Verifier, cfg.GraphQL))
	if !cfg.Streams {
		return requests
	}
	eventStreams := authenticate(cfg.Verifier, cfg.GraphQL)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch {
		case api.IsWebSocket(r):
			cfg.GraphQL.ServeHTTP(w, r)
		case api.IsEventStream(r):
			eventStreams.ServeHTTP(w, r)
		default:
			requests.ServeHTTP(w, r)
		}
	})
}

// healthz answers {"status":"ok"}, with the fan-out's health and the
// number of subscriptions served when known: a degraded fan-out (other
// instances' subscribers miss events) leaves the instance serving, so the
// status stays ok.
func healthz(fanout func() pubsub.Status, subscriptions func() int) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		doc := map[string]any{"status": "ok"}
		if fanout != nil {
			doc["fanout"] = "ok"
			if s := fanout(); s.Degraded {
				doc["fanout"], doc["fanoutDetail"] = "degraded", s.Detail
			}
		}
		if subscriptions != nil {
			doc["subscriptions"] = subscriptions()
		}
		body, _ := json.Marshal(doc) // strings and an int always encode
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write(body)
	})
}

// Run serves h on addr until ctx is done, then stops accepting connections
// and waits up to drain for in-flight requests. ready, if not nil, receives
// the bound address once listening. It returns nil after a clean shutdown.
func Run(ctx context.Context, addr string, h http.Handler, drain time.Duration, ready func(net.Addr)) error {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return fmt.Errorf("listen on %s: %w", addr, err)
	}
	if ready != nil {
		ready(ln.Addr())
	}
	return serve(ctx, ln, h, drain)
}

// serve is Run on a listener it owns (and closes).
func serve(ctx context.Context, ln net.Listener, h http.Handler, drain time.Duration) error {
	srv := &http.Server{
		Handler:           h,
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       30 * time.Second,
		WriteTimeout:      35 * time.Second,
		IdleTimeout:       120 * time.Second,
	}
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case err := <-errc:
		return fmt.Errorf("serve: %w", err)
	case <-ctx.Done():
	}
	shutdownCtx, cancel := context.WithTimeout(context.Background(), drain)
	defer cancel()
	if err := srv.Shutdown(shutdownCtx); err != nil {
		_ = srv.Close() // drain timed out: cut the remaining connections
		return fmt.Errorf("shutdown: %w", err)
	}
	if err := <-errc; err != nil && !errors.Is(err, http.ErrServerClosed) {
		return fmt.Errorf("serve: %w", err)
	}
	return nil
}

// handleGet serves h at path for GET and HEAD; other methods get a 405
// with Allow, in Dayline's error body.
func handleGet(mux *http.ServeMux, path string, h http.Handler) {
	mux.Handle("GET "+path, h)
	mux.HandleFunc(path, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Allow", "GET, HEAD")
		api.WriteNoRoute(w, http.StatusMethodNotAllowed, r.Method, r.URL.Path)
	})
}
