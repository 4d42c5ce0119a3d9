package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"time"

	"github.com/dayline/dayline/api"
	"github.com/dayline/dayline/app"
	"github.com/dayline/dayline/demo"
	"github.com/dayline/dayline/server"
)

// demoTokenTTL is how long the tokens printed by `serve --demo` stay valid.
const demoTokenTTL = 12 * time.Hour

// serve runs the server until ctx is done.
func serve(ctx context.Context, cfg config, stdout, stderr io.Writer, env func(string) (string, bool)) error {
	logger, err := newLogger(cfg.LogLevel, stderr)
	if err != nil {
		return err
	}
	st, err := openStore(ctx, cfg, env, checkTable)
	if err != nil {
		return err
	}
	defer st.close()
	an, err := newAuthn(cfg)
	if err != nil {
		return err
	}
	if cfg.Demo {
		if err := seedDemo(ctx, st, logger); err != nil {
			return err
		}
	}
	dir, err := newDirectory(cfg, env)
	if err != nil {
		return err
	}
	subs, err := startSubscriptions(ctx, cfg, an, logger)
	if err != nil {
		return err
	}
	gql := newGraphQL(cfg, st, dir, logger, subs)
	h := newHTTPHandler(cfg, gql, an, logger, subs)
	ready := func(addr net.Addr) {
		printBanner(stdout, cfg, addr, an)
		logger.Info("listening", "addr", addr.String(), "store", cfg.Store, "dev_mode", an.local != nil)
	}
	// On SIGTERM every subscription completes and every WebSocket closes
	// while the HTTP server drains its requests (event streams end with
	// their subscription).
	ctx, stop := context.WithCancel(ctx)
	defer stop()
	streamsClosed := make(chan error, 1)
	go func() {
		<-ctx.Done()
		drain, cancel := context.WithTimeout(context.Background(), cfg.ShutdownTimeout)
		defer cancel()
		streamsClosed <- subs.shutdown(drain, gql)
	}()
	runErr := server.Run(ctx, cfg.Addr, h, cfg.ShutdownTimeout, ready)
	stop()
	if err := <-streamsClosed; err != nil {
		logger.Warn("subscriptions", "error", err.Error())
	}
	if err := subs.closeBus(); err != nil {
		logger.Warn("subscriptions: close the fan-out bus", "error", err.Error())
	}
	if runErr != nil {
		return runErr
	}
	logger.Info("stopped")
	return nil
}

func printBanner(w io.Writer, cfg config, addr net.Addr, an authn) {
	base := "http://" + addr.String()
	fmt.Fprintf(w, "Dayline is running.\n  GraphQL:    %s/graphql\n", base)
	if cfg.Playground {
		fmt.Fprintf(w, "  Playground: %s/  (paste a token to start)\n", base)
	}
	if !cfg.Demo || an.local == nil {
		return
	}
	fmt.Fprintf(w, "\nDemo tokens (valid %s), send as \"Authorization: Bearer <token>\":\n", demoTokenTTL)
	for _, u := range demo.Users(time.Now()) {
		tok, err := an.local.Mint(u.ID, []string{u.Role.Group()}, string(u.Email), demoTokenTTL)
		if err != nil {
			fmt.Fprintf(w, "  %s: cannot mint token: %v\n", u.ID, err)
			continue
		}
		fmt.Fprintf(w, "\n  %-10s %-15s %s\n  %s\n", u.Role, u.ID, u.Email, tok)
	}
	fmt.Fprintln(w)
}

// newGraphQL is Dayline's GraphQL handler for cfg over st, managing
// users' sign-ins in dir (nil: none): the one every mode runs (serve,
// lambda's HTTP events and AppSync events). With subs (serve) it serves
// subscriptions too.
func newGraphQL(cfg config, st openedStore, dir app.Directory, logger *slog.Logger, subs *subscriptions) *api.Handler {
	c := api.Config{
		Store: st, Logger: logger, Now: now, NewID: newID, LoaderWait: cfg.LoaderWait,
		Limits:        api.Limits{MaxDepth: cfg.MaxDepth, MaxComplexity: cfg.MaxComplexity, MaxResponseBytes: cfg.MaxResponse},
		Introspection: cfg.Introspection, IntrospectionGroups: cfg.introspectionGroups(),
		Meter: st.meter, Debug: cfg.Debug, Directory: dir,
	}
	if subs != nil {
		subs.apply(&c)
	}
	return api.New(c)
}

// newHTTPHandler is Dayline's HTTP handler (GraphQL, auth, limits, errors,
// CORS, /healthz) around gql: the one every HTTP mode serves (serve,
// lambda).
func newHTTPHandler(cfg config, gql *api.Handler, an authn, logger *slog.Logger, subs *subscriptions) http.Handler {
	c := server.Config{
		GraphQL: gql, Verifier: an.verifier, JWKS: an.jwks, Logger: logger,
		AllowedOrigins: splitList(cfg.CORSOrigins), MaxBodyBytes: cfg.MaxBodyBytes, Playground: cfg.Playground,
	}
	if subs != nil {
		c.Streams, c.Fanout, c.Subscriptions = true, subs.hub.Status, subs.hub.Subscriptions
	}
	return server.New(c)
}
