// Package api builds Dayline's GraphQL handler: the one place that wires the
// generated schema, resolvers, field authorization, per-operation loaders,
// limits, error presentation and transports. Every mode (standalone server,
// Lambda behind API Gateway, AppSync Direct Lambda) runs this handler.
package api

import (
	"context"
	"log/slog"
	"time"

	"github.com/99designs/gqlgen/graphql"
	"github.com/99designs/gqlgen/graphql/handler"
	"github.com/99designs/gqlgen/graphql/handler/extension"
	"github.com/99designs/gqlgen/graphql/handler/lru"
	"github.com/vektah/gqlparser/v2/ast"

	"github.com/dayline/dayline/graph"
	"github.com/dayline/dayline/loaders"
	"github.com/dayline/dayline/resolvers"
	"github.com/dayline/dayline/store"
)

// Config configures the GraphQL handler. Zero limits take the defaults.
type Config struct {
	Store  store.Store
	Logger *slog.Logger
	Now    func() time.Time
	NewID  func() string
	// LoaderWait is how long loaders collect keys before a batched read.
	LoaderWait time.Duration
	// MaxDepth limits selection nesting (introspection subtrees excluded).
	MaxDepth int
	// MaxComplexity limits the operation's complexity (list fields count
	// their limit times their selection).
	MaxComplexity int
	// Introspection allows __schema and __type queries.
	Introspection bool
}

// Defaults for Config's limits.
const (
	DefaultMaxDepth      = 12
	DefaultMaxComplexity = 20000
)

// Handler is the GraphQL handler: an http.Handler (via its transports) and
// an executor other transports (Lambda, AppSync events) call directly.
type Handler struct {
	*handler.Server
	logger *slog.Logger
}

// New returns the handler for cfg. Store, Now and NewID are required.
func New(cfg Config) *Handler {
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	if cfg.MaxDepth <= 0 {
		cfg.MaxDepth = DefaultMaxDepth
	}
	if cfg.MaxComplexity <= 0 {
		cfg.MaxComplexity = DefaultMaxComplexity
	}
	gcfg := graph.Config{Resolvers: &resolvers.Resolver{Store: cfg.Store, Now: cfg.Now, NewID: cfg.NewID}}
	setComplexity(&gcfg.Complexity)
	schema := graph.NewExecutableSchema(gcfg)
	authorizer := resolvers.NewFieldAuthorizer(schema.Schema())

	srv := handler.New(schema)
	srv.AddTransport(HTTPTransport{})
	srv.SetQueryCache(lru.New[*ast.QueryDocument](1000))
	srv.SetErrorPresenter(presentError(cfg.Logger))
	srv.SetRecoverFunc(recoverPanic(cfg.Logger))
	if cfg.Introspection {
		srv.Use(extension.Introspection{})
	}
	srv.Use(depthLimit{max: cfg.MaxDepth})
	srv.Use(extension.FixedComplexityLimit(cfg.MaxComplexity))
	srv.AroundFields(authorizer.Middleware)
	// Loaders are created per response: once per query or mutation, and once
	// per event of a subscription, so cached reads never go stale.
	srv.AroundResponses(func(ctx context.Context, next graphql.ResponseHandler) *graphql.Response {
		return next(loaders.With(ctx, loaders.New(cfg.Store, cfg.LoaderWait)))
	})
	return &Handler{Server: srv, logger: cfg.Logger}
}

// setComplexity makes list fields cost their page size times their selection.
func setComplexity(c *graph.ComplexityRoot) {
	page := func(child int, limit *int) int {
		n := 20
		if limit != nil && *limit > 0 {
			n = *limit
		}
		return 1 + n*child
	}
	c.Organisation.Members = func(child int, limit *int, _ *string) int { return page(child, limit) }
	c.Query.ListMembers = func(child int, _ string, limit *int, _ *string) int { return page(child, limit) }
	c.Query.ListSchedules = func(child int, _ string, limit *int, _ *string) int { return page(child, limit) }
}
