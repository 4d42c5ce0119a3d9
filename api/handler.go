// Package api builds Dayline's GraphQL handler: the one place that wires the
// generated schema, resolvers, field authorization, per-operation loaders,
// limits, error presentation and transports. Every mode (standalone server,
// Lambda behind API Gateway, AppSync Direct Lambda) runs this handler.
package api

import (
	"bytes"
	"context"
	"encoding/json"
	"log/slog"
	"net/http"
	"runtime/debug"
	"time"

	"github.com/99designs/gqlgen/graphql"
	"github.com/99designs/gqlgen/graphql/handler"
	"github.com/99designs/gqlgen/graphql/handler/extension"
	"github.com/99designs/gqlgen/graphql/handler/lru"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/gqlerror"

	"github.com/dayline/dayline/app"
	"github.com/dayline/dayline/auth"
	"github.com/dayline/dayline/domain"
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
	// LoaderWait is how long a root field's loads (user(id:), schedule(id:),
	// agenda(userId:)) collect keys before a batched read, so aliased root
	// fields batch together. A document's lone root field and a mutation's
	// fields (which run one after another) have nothing to batch with and
	// read at once. Fields under a list never wait: batch resolvers read
	// all of a list's keys at once.
	LoaderWait time.Duration
	// Limits bound what one request may cost; zero fields take
	// DefaultLimits.
	Limits Limits
	// Introspection allows __schema and __type queries; without it they
	// answer null with an Unauthorized error.
	Introspection bool
	// IntrospectionGroups, when not empty, restricts introspection to
	// callers in one of these Cognito groups (others get the field
	// directive's Unauthorized error).
	IntrospectionGroups []string
	// Meter, when set, counts what each operation costs the store; the cost
	// is logged per operation.
	Meter UsageMeter
	// Debug adds each operation's store usage to the response extensions
	// (as "storeUsage").
	Debug bool
	// Directory, when set (OIDC mode with a user pool), is where the
	// Users service manages users' sign-ins (app.Users.WithDirectory).
	Directory app.Directory
	// Feed, when set, serves subscriptions (subscribe.Hub); without one
	// they are refused with BadRequest. Events publishes the services'
	// change events (a pubsub.Bus). A deletion's subscribers get the
	// deleted schedule from Store's tombstone (GetDeletedSchedule), so
	// subscribers on every instance get it.
	Feed   app.Feed
	Events app.Publisher
	// Streams, when set, serves subscriptions over WebSocket and
	// server-sent events (the standalone server).
	Streams *StreamConfig
}

// StoreUsage is what one operation cost the store.
type StoreUsage struct {
	Requests      int     `json:"requests"`
	CapacityUnits float64 `json:"capacityUnits"`
	// Rounds is the number of sequential rounds the requests ran in.
	Rounds int `json:"rounds"`
}

// UsageMeter starts counting the store usage of ctx's operation: the store
// must count into the returned context; read returns the totals so far.
type UsageMeter func(ctx context.Context) (_ context.Context, read func() StoreUsage)

// Handler is the GraphQL handler: an http.Handler (via its transports) and
// an executor other transports (Lambda, AppSync events) call directly.
type Handler struct {
	*handler.Server
	streams *streams // nil without Config.Streams
}

// New returns the handler for cfg. Store, Now and NewID are required.
func New(cfg Config) *Handler {
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	limits := cfg.Limits.withDefaults()
	services := app.New(cfg.Store, app.Env{Now: cfg.Now, NewID: cfg.NewID, Events: cfg.Events, Logger: cfg.Logger})
	if cfg.Feed != nil {
		fresh := func() *loaders.Loaders { return loaders.NewImmediate(cfg.Store) }
		services.Subscriptions = app.NewSubscriptions(cfg.Feed, services.Users, fresh, cfg.Store)
	}
	services.Users = services.Users.WithDirectory(cfg.Directory, cfg.Logger)
	root := resolvers.New(services)
	gcfg := graph.Config{Resolvers: root}
	schema := graph.NewExecutableSchema(gcfg)
	cost := newCostLimit(schema.Schema(), limits.MaxComplexity)
	authorizer := resolvers.NewFieldAuthorizer(schema.Schema())
	authorizer.RestrictIntrospection(cfg.IntrospectionGroups)
	present := presentError(cfg.Logger)

	srv := handler.New(schema)
	srv.AddTransport(inProcess{}) // Execute's; serves no HTTP request
	var st *streams
	if cfg.Streams != nil {
		st = newStreams(*cfg.Streams)
		srv.AddTransport(realtimeTransport{streams: st}) // before wsTransport: only requests Realtime marked
		srv.AddTransport(newWSTransport(st))
		srv.AddTransport(sseTransport{streams: st})
	}
	srv.AddTransport(HTTPTransport{})
	srv.SetQueryCache(lru.New[*ast.QueryDocument](1000))
	// The shape limit counts tokens before anything is parsed; gqlgen's own
	// parse is capped too, so no document is ever parsed uncapped.
	srv.SetParserTokenLimit(limits.MaxTokens + 1)
	srv.SetErrorPresenter(present)
	srv.SetRecoverFunc(recoverPanic)
	// Introspection is switched off, or limited to groups, by the field
	// authorizer: a denied __schema answers like any denied field.
	srv.Use(extension.Introspection{})
	if !cfg.Introspection {
		authorizer.DisableIntrospection()
	}
	srv.Use(newShapeLimit(limits))
	srv.Use(cost)
	srv.Use(authorizer)
	// Last: its field middleware wraps the authorizer's, so denied fields
	// count towards the response size (see responseBudget).
	srv.Use(&responseBudget{max: int64(limits.MaxResponseBytes), present: present})
	// Mutation fields run one after another and each may change what the
	// next reads: each gets fresh loaders, so none reads a cached value an
	// earlier field of the same document made stale.
	srv.AroundRootFields(func(ctx context.Context, next graphql.RootResolver) graphql.Marshaler {
		if isMutation(ctx) {
			ctx = freshLoaders(ctx, cfg)
		}
		return next(ctx)
	})
	srv.AroundOperations(func(ctx context.Context, next graphql.OperationHandler) graphql.ResponseHandler {
		ctx = context.WithValue(ctx, operationRuns{}, true)
		if isSubscription(ctx) {
			// The subscription's resolver runs once, at the start: its own
			// loaders check that the caller may subscribe. Each event's
			// response gets fresh ones (withLoaders).
			return subscriptionLifetime(loaders.With(ctx, loaders.NewImmediate(cfg.Store)), next)
		}
		if s := sessionFrom(ctx); s != nil {
			// A query or mutation over a subscription transport: counted
			// as one of its connection's operations and bounded as over
			// HTTP, so one socket cannot run unbounded work.
			if err := s.startSubscription(ctx); err != nil {
				return graphql.OneShot(&graphql.Response{Errors: gqlerror.List{err}})
			}
			var cancel context.CancelFunc
			ctx, cancel = context.WithTimeout(ctx, streamOperationTimeout)
			context.AfterFunc(ctx, cancel)
		}
		return next(ctx)
	})
	// Loaders are created per response: once per query, and once per event
	// of a subscription, so cached reads never go stale.
	srv.AroundResponses(func(ctx context.Context, next graphql.ResponseHandler) *graphql.Response {
		ctx = withReports(ctx)
		if cfg.Meter != nil {
			return metered(ctx, cfg, withLoaders(next, cfg, root))
		}
		return withLoaders(next, cfg, root)(ctx)
	})
	return &Handler{Server: srv, streams: st}
}

// CloseStreams ends every subscription connection for shutdown: each
// WebSocket is closed with CloseGoingAway once its subscriptions have
// completed (the hub ends them when it stops), and new ones are refused.
// It returns once all are gone, or cuts the rest when ctx ends (and says
// so). Without Config.Streams it returns nil at once.
func (h *Handler) CloseStreams(ctx context.Context) error {
	if h.streams == nil {
		return nil
	}
	return h.streams.close(ctx)
}

// withLoaders gives the response fresh loaders (a mutation's fields get
// their own, see New, so its response-level ones read nothing), and runs
// a query's Prefetch with them.
// A response that only carries a refusal (gqlgen's DispatchError) runs
// nothing, so it gets no loaders and reads nothing.
func withLoaders(next graphql.ResponseHandler, cfg Config, r prefetcher) graphql.ResponseHandler {
	return func(ctx context.Context) *graphql.Response {
		switch {
		case ctx.Value(operationRuns{}) == nil:
			return next(ctx)
		case isMutation(ctx):
			return next(loaders.With(ctx, loaders.NewImmediate(cfg.Store)))
		case isSubscription(ctx):
			// Made before the event arrives, these loaders read nothing
			// until it has: the caller too is read at the event.
			return next(loaders.With(ctx, loaders.NewImmediate(cfg.Store)))
		}
		ctx = loaders.With(ctx, newLoaders(ctx, cfg))
		prefetch(ctx, r)
		return next(withCaller(ctx))
	}
}

// operationRuns marks the context of an operation gqlgen dispatches (its
// responses run resolvers), as opposed to a refusal.
type operationRuns struct{}

// isMutation reports whether ctx's operation is a mutation.
func isMutation(ctx context.Context) bool {
	if !graphql.HasOperationContext(ctx) {
		return false
	}
	op := graphql.GetOperationContext(ctx).Operation
	return op != nil && op.Operation == ast.Mutation
}

// freshLoaders returns ctx with new loaders that have read the caller.
func freshLoaders(ctx context.Context, cfg Config) context.Context {
	return withCaller(loaders.With(ctx, newLoaders(ctx, cfg)))
}

// withCaller reads the caller (the resolvers' first need) into ctx's
// loaders, unless read already, and returns ctx. The outcome is kept:
// errors surface where the resolvers load the caller.
func withCaller(ctx context.Context) context.Context {
	id, err := auth.IdentityFrom(ctx)
	if err != nil {
		return ctx
	}
	if l, err := loaders.From(ctx); err == nil {
		_, _ = l.Users().LoadNow(ctx, id.Sub)
	}
	return ctx
}

// newLoaders returns loaders for ctx's operation. Their Loads wait to
// collect a batch (Config.LoaderWait) only when several root fields run at
// the same time and may ask together; a mutation runs its fields one after
// another (each with its own loaders), and a lone root field has nothing
// to batch with, so their Loads read at once.
func newLoaders(ctx context.Context, cfg Config) *loaders.Loaders {
	if graphql.HasOperationContext(ctx) {
		op := graphql.GetOperationContext(ctx).Operation
		if op != nil && (op.Operation == ast.Mutation || loneRootField(op.SelectionSet)) {
			return loaders.NewImmediate(cfg.Store)
		}
	}
	return loaders.New(cfg.Store, cfg.LoaderWait)
}

// loneRootField reports whether set selects at most one field besides
// __typename, and no fragment.
func loneRootField(set ast.SelectionSet) bool {
	n := 0
	for _, sel := range set {
		f, ok := sel.(*ast.Field)
		if !ok {
			return false
		}
		if f.Name != "__typename" {
			n++
		}
	}
	return n <= 1
}

// metered runs one response with its store usage counted, logs the usage
// and, in debug mode, returns it in the extensions.
func metered(ctx context.Context, cfg Config, next graphql.ResponseHandler) *graphql.Response {
	ctx, read := cfg.Meter(ctx)
	resp := next(ctx)
	u := read()
	op := ""
	if graphql.HasOperationContext(ctx) {
		op = graphql.GetOperationContext(ctx).OperationName
	}
	cfg.Logger.LogAttrs(ctx, slog.LevelInfo, "operation",
		slog.String("request_id", RequestID(ctx)), slog.String("operation", op),
		slog.Int("store_requests", u.Requests), slog.Float64("store_capacity_units", u.CapacityUnits),
		slog.Int("store_rounds", u.Rounds))
	if cfg.Debug && resp != nil {
		if resp.Extensions == nil {
			resp.Extensions = map[string]any{}
		}
		resp.Extensions["storeUsage"] = u
	}
	return resp
}

// Execute runs one GraphQL operation in process, on the executor that
// serves HTTP and with all of its extensions (limits, field authorization,
// response budget, error presenter, per-operation loaders): the AppSync
// adapter's way in. ctx carries the caller (auth.WithIdentity) and the
// request id (WithRequestID). Errors are in the response, presented as
// over HTTP (extensions.code); a request refused before it ran (parse,
// validation, limits) answers errors and no data.
func (h *Handler) Execute(ctx context.Context, params *graphql.RawParams) *graphql.Response {
	call := &inProcessCall{params: params}
	r, err := http.NewRequestWithContext(context.WithValue(ctx, inProcessKey{}, call), http.MethodPost, "/", http.NoBody)
	if err != nil { // only for a bad method or URL, which are constants
		panic(err)
	}
	w := &capturedWriter{header: http.Header{}}
	h.ServeHTTP(w, r)
	if call.resp == nil {
		// handler.Server recovered a panic outside the resolvers and wrote
		// its presented error (logged by the presenter) to w.
		resp := &graphql.Response{}
		if err := json.Unmarshal(w.body.Bytes(), resp); err != nil || len(resp.Errors) == 0 {
			resp = &graphql.Response{Errors: gqlerror.List{newError(string(domain.CodeInternal), internalMessage(RequestID(ctx)))}}
		}
		return resp
	}
	return call.resp
}

// ReportPanic logs p, a panic recovered outside the executor by another
// transport (the AppSync adapter), once with its stack and ctx's request
// id, and returns the message the client sees: "internal error" and that
// request id. WritePanic is its HTTP counterpart.
func ReportPanic(ctx context.Context, logger *slog.Logger, p any) string {
	return reportInternal(ctx, logger, &panicError{value: p, stack: debug.Stack()})
}

// inProcess is the transport of Execute: it serves only the requests
// Execute makes (marked in their context) and runs them as HTTPTransport
// runs a decoded request.
type inProcess struct{}

type inProcessKey struct{}

// inProcessCall is one Execute call: its parameters and, once run, its
// response.
type inProcessCall struct {
	params *graphql.RawParams
	resp   *graphql.Response
}

func (inProcess) Supports(r *http.Request) bool {
	_, ok := r.Context().Value(inProcessKey{}).(*inProcessCall)
	return ok
}

func (inProcess) Do(_ http.ResponseWriter, r *http.Request, exec graphql.GraphExecutor) {
	ctx := r.Context()
	call := ctx.Value(inProcessKey{}).(*inProcessCall)
	params := *call.params
	params.ReadTime = graphql.TraceTiming{Start: graphql.Now(), End: graphql.Now()}
	oc, errs := exec.CreateOperationContext(ctx, &params)
	if errs != nil {
		call.resp = exec.DispatchError(graphql.WithOperationContext(ctx, oc), errs)
		return
	}
	if oc.Operation.Operation == ast.Subscription {
		call.resp = exec.DispatchError(graphql.WithOperationContext(ctx, oc), gqlerror.List{badRequest(msgSubscriptionOverHTTP)})
		return
	}
	responses, ctx := exec.DispatchOperation(ctx, oc)
	call.resp = responses(ctx)
	if call.resp == nil { // the context ended before the response was made
		call.resp = exec.DispatchError(ctx, gqlerror.List{{Message: unavailable().Message, Err: unavailable()}})
	}
}

// capturedWriter keeps what handler.Server writes when it recovers a
// panic outside the resolvers.
type capturedWriter struct {
	header http.Header
	body   bytes.Buffer
}

func (w *capturedWriter) Header() http.Header         { return w.header }
func (w *capturedWriter) Write(b []byte) (int, error) { return w.body.Write(b) }
func (w *capturedWriter) WriteHeader(int)             {}
