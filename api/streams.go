package api

import (
	"context"
	"fmt"
	"sync"
	"time"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/gqlerror"

	"github.com/dayline/dayline/auth"
	"github.com/dayline/dayline/domain"
)

// StreamConfig configures the subscription transports of the standalone
// server: WebSocket (graphql-transport-ws and the legacy graphql-ws) and
// server-sent events (graphql-sse, distinct connections). Zero fields take
// the defaults below.
type StreamConfig struct {
	// Verifier checks a WebSocket's token (from connection_init's
	// Authorization, else the upgrade request's header): the verifier of
	// HTTP requests.
	Verifier *auth.Verifier
	// AllowedOrigins is the CORS allow-list ("*" for any): a browser's
	// WebSocket from another origin is refused with 403.
	AllowedOrigins []string
	// KeepAlive is how often a WebSocket gets a keepalive (legacy "ka",
	// graphql-transport-ws "ping": a client that answers no pong within
	// two intervals is disconnected) and an event stream a comment.
	KeepAlive time.Duration
	// WriteTimeout bounds each write to a subscriber; a client that does
	// not read within it is disconnected.
	WriteTimeout time.Duration
	// MaxSubscriptionsPerConnection bounds one WebSocket's subscriptions;
	// one more is refused with BadRequest.
	MaxSubscriptionsPerConnection int
	// MaxConnectionsPerUser bounds one user's WebSockets and event streams
	// on this instance; one more is refused (close code 4429, or HTTP 429).
	MaxConnectionsPerUser int
	// RealtimeLifetime is how long an AppSync real-time connection
	// (/graphql/realtime) lives; the server then closes it (1001) and the
	// client reconnects.
	RealtimeLifetime time.Duration
}

// streamOperationTimeout bounds a query or mutation sent over a
// subscription transport, as the server bounds one over HTTP (AppSync's
// 30 s).
const streamOperationTimeout = 30 * time.Second

// Defaults of StreamConfig.
const (
	DefaultKeepAlive                     = 15 * time.Second
	DefaultWriteTimeout                  = 10 * time.Second
	DefaultMaxSubscriptionsPerConnection = 20
	DefaultMaxConnectionsPerUser         = 10
	// initTimeout is how long a WebSocket may take to send connection_init.
	initTimeout = 10 * time.Second
)

func (c StreamConfig) withDefaults() StreamConfig {
	if c.KeepAlive <= 0 {
		c.KeepAlive = DefaultKeepAlive
	}
	if c.WriteTimeout <= 0 {
		c.WriteTimeout = DefaultWriteTimeout
	}
	if c.MaxSubscriptionsPerConnection <= 0 {
		c.MaxSubscriptionsPerConnection = DefaultMaxSubscriptionsPerConnection
	}
	if c.MaxConnectionsPerUser <= 0 {
		c.MaxConnectionsPerUser = DefaultMaxConnectionsPerUser
	}
	if c.RealtimeLifetime <= 0 {
		c.RealtimeLifetime = DefaultRealtimeLifetime
	}
	return c
}

// WebSocket close codes Dayline sends (besides gqlgen's 1002 for a
// malformed message or a missing connection_init). README.md documents
// them; graphql-ws clients retry after 1001 and CloseSlowConsumer, and
// give up after 4401 and 4429.
const (
	CloseNormal             = 1000 // the client ended the connection
	CloseGoingAway          = 1001 // the server is shutting down: reconnect
	CloseUnauthorized       = 4401 // missing or refused token, or the token expired
	CloseTooManyConnections = 4429 // the user has MaxConnectionsPerUser connections already
	CloseSlowConsumer       = 4008 // the client fell behind its subscription queue: reconnect and refetch
)

// Client-facing reasons and messages of the subscription transports.
const (
	reasonShutdown           = "server shutting down: reconnect"
	reasonTokenExpired       = "token expired: reconnect with a new token"
	reasonSlowConsumer       = "slow consumer: too many events waiting; reconnect and refetch"
	msgTooManyConnections    = "too many connections for this user (the limit is %d)"
	msgTooManySubscriptions  = "too many subscriptions on this connection (the limit is %d)"
	msgOriginNotAllowed      = "origin %s is not allowed"
	msgStreamsClosed         = "the server is shutting down: subscribe again"
	msgTokenExpired          = "Unauthorized: token expired"
	msgSubscriptionOverHTTP  = "subscriptions are served over WebSocket (graphql-transport-ws, graphql-ws) or server-sent events (Accept: text/event-stream)"
	msgEventStreamNeedsPOST  = "event streams take POST with Content-Type: application/json"
	msgEventStreamNotFlushed = "event streams need a connection that can be flushed"
)

// streams is the registry of open subscription connections: for the
// per-user limit, and to end them all at shutdown.
type streams struct {
	cfg StreamConfig

	mu      sync.Mutex
	perUser map[string]int
	open    map[*session]struct{}
	closing bool
	wg      sync.WaitGroup
}

func newStreams(cfg StreamConfig) *streams {
	return &streams{cfg: cfg.withDefaults(), perUser: map[string]int{}, open: map[*session]struct{}{}}
}

// enter registers s, or returns false once shutdown began.
func (st *streams) enter(s *session) bool {
	st.mu.Lock()
	defer st.mu.Unlock()
	if st.closing {
		return false
	}
	st.open[s] = struct{}{}
	st.wg.Add(1)
	return true
}

// leave unregisters s (and its user's count) when its connection ended.
func (st *streams) leave(s *session) {
	st.mu.Lock()
	delete(st.open, s)
	if s.user != "" {
		if st.perUser[s.user]--; st.perUser[s.user] <= 0 {
			delete(st.perUser, s.user)
		}
	}
	st.mu.Unlock()
	st.wg.Done()
}

// admit counts s as one of user's connections, or returns false when the
// user has MaxConnectionsPerUser already.
func (st *streams) admit(s *session, user string) bool {
	st.mu.Lock()
	defer st.mu.Unlock()
	if st.perUser[user] >= st.cfg.MaxConnectionsPerUser {
		return false
	}
	st.perUser[user]++
	s.user = user
	return true
}

// close ends every connection (WebSockets with CloseGoingAway, once their
// subscriptions have completed) and waits until they are gone or ctx
// ends; then it cuts the rest. New connections are refused from now on.
func (st *streams) close(ctx context.Context) error {
	st.mu.Lock()
	st.closing = true
	open := make([]*session, 0, len(st.open))
	for s := range st.open {
		open = append(open, s)
	}
	st.mu.Unlock()
	for _, s := range open {
		s.end(CloseGoingAway, reasonShutdown, false)
	}
	done := make(chan struct{})
	go func() { st.wg.Wait(); close(done) }()
	select {
	case <-done:
		return nil
	case <-ctx.Done():
		for _, s := range open {
			s.end(CloseGoingAway, reasonShutdown, true)
		}
		<-done
		return fmt.Errorf("subscriptions still open at the shutdown deadline were cut: %w", ctx.Err())
	}
}

// subscriptionLifetime wraps the responses of a subscription: it counts
// the subscription on its connection (refusing one over the limit, or on
// a connection that is ending) and ends it, with an Unauthorized error,
// when the caller's token expires.
func subscriptionLifetime(ctx context.Context, next graphql.OperationHandler) graphql.ResponseHandler {
	if s := sessionFrom(ctx); s != nil {
		if err := s.startSubscription(ctx); err != nil {
			return graphql.OneShot(&graphql.Response{Errors: gqlerror.List{err}})
		}
	}
	responses := next(ctx)
	id, err := auth.IdentityFrom(ctx)
	if err != nil || id.ExpiresAt.IsZero() {
		return responses
	}
	expired := false
	return func(ctx context.Context) *graphql.Response {
		if expired {
			return nil
		}
		eventCtx, cancel := context.WithDeadline(ctx, id.ExpiresAt)
		defer cancel()
		resp := responses(eventCtx)
		if resp == nil && ctx.Err() == nil && eventCtx.Err() != nil {
			expired = true
			return &graphql.Response{Errors: gqlerror.List{newError(codeUnauthenticated, msgTokenExpired)}}
		}
		return resp
	}
}

// isSubscription reports whether ctx's operation is a subscription.
func isSubscription(ctx context.Context) bool {
	if !graphql.HasOperationContext(ctx) {
		return false
	}
	op := graphql.GetOperationContext(ctx).Operation
	return op != nil && op.Operation == ast.Subscription
}

// errStreamsClosed refuses subscriptions once shutdown began.
var errStreamsClosed = domain.Unavailable(msgStreamsClosed)
