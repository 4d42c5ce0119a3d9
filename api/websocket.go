package api

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/99designs/gqlgen/graphql"
	"github.com/99designs/gqlgen/graphql/handler/transport"
	"github.com/vektah/gqlparser/v2/gqlerror"

	"github.com/dayline/dayline/auth"
	"github.com/dayline/dayline/domain"
	"github.com/dayline/dayline/subscribe"
)

// wsTransport serves subscriptions over WebSocket with gqlgen's transport
// (graphql-transport-ws, and the legacy graphql-ws of
// subscriptions-transport-ws) on Dayline's own connection adapter
// (wsconn.go: write deadlines, close codes, AppSync-shaped errors). Before
// the upgrade it checks the browser's origin against the CORS allow-list;
// connection_init must carry a token (its payload's Authorization, else
// the upgrade request's header), verified as HTTP requests' are.
type wsTransport struct {
	ws      transport.Websocket
	streams *streams
}

var _ graphql.Transport = wsTransport{}

func newWSTransport(st *streams) wsTransport {
	cfg := st.cfg
	t := wsTransport{streams: st}
	t.ws = transport.Websocket{
		Implementation:        wsAccepter{writeTimeout: cfg.WriteTimeout},
		InitFunc:              t.init,
		InitTimeout:           initTimeout,
		KeepAlivePingInterval: cfg.KeepAlive, // legacy graphql-ws: "ka"
		PingPongInterval:      cfg.KeepAlive, // graphql-transport-ws: ping, pong expected
	}
	return t
}

// Supports reports whether r is a WebSocket handshake (a GET).
func (wsTransport) Supports(r *http.Request) bool { return IsWebSocket(r) }

// IsWebSocket reports whether r asks to upgrade to a WebSocket: such
// requests are authenticated by the WebSocket transport (connection_init)
// and live as long as their connection.
func IsWebSocket(r *http.Request) bool {
	return r.Method == http.MethodGet && strings.EqualFold(r.Header.Get("Upgrade"), "websocket")
}

// Do serves one WebSocket connection until it ends.
func (t wsTransport) Do(w http.ResponseWriter, r *http.Request, exec graphql.GraphExecutor) {
	ctx := r.Context()
	if origin := r.Header.Get("Origin"); !originAllowed(origin, r.Host, t.streams.cfg.AllowedOrigins) {
		WriteHTTP(w, MediaJSON, http.StatusForbidden, exec.DispatchError(ctx, gqlerror.List{badRequest(fmt.Sprintf(msgOriginNotAllowed, origin))}))
		return
	}
	s := &session{streams: t.streams, header: r.Header.Get("Authorization")}
	if !t.streams.enter(s) {
		WriteHTTP(w, MediaJSON, http.StatusServiceUnavailable, exec.DispatchError(ctx, gqlerror.List{{Message: msgStreamsClosed, Err: errStreamsClosed}}))
		return
	}
	defer t.streams.leave(s)
	defer s.stop()
	// The server's read and write timeouts would cut the hijacked
	// connection: its writes have their own deadline (wsConn).
	rc := http.NewResponseController(w)
	_ = rc.SetReadDeadline(time.Time{})
	_ = rc.SetWriteDeadline(time.Time{})
	t.ws.Do(w, r.WithContext(withSession(ctx, s)), exec)
}

// init authenticates connection_init and admits the connection under its
// user's limit; a refusal closes it with CloseUnauthorized or
// CloseTooManyConnections, the reason in the close frame.
func (t wsTransport) init(ctx context.Context, payload transport.InitPayload) (context.Context, *transport.InitPayload, error) {
	s := sessionFrom(ctx)
	refuse := func(code int, reason string) (context.Context, *transport.InitPayload, error) {
		ctx = transport.WithWebsocketCloseCode(ctx, code)
		return transport.AppendCloseReason(ctx, reason), nil, errors.New(reason)
	}
	raw := auth.TokenFromHeader(payload.Authorization())
	if raw == "" {
		raw = auth.TokenFromHeader(s.header)
	}
	if raw == "" {
		return refuse(CloseUnauthorized, msgUnauthorized+auth.ReasonMissingToken)
	}
	id, err := t.streams.cfg.Verifier.Verify(ctx, raw)
	if err != nil {
		return refuse(CloseUnauthorized, msgUnauthorized+auth.ReasonOf(err))
	}
	if !t.streams.admit(s, id.Sub) {
		return refuse(CloseTooManyConnections, fmt.Sprintf(msgTooManyConnections, t.streams.cfg.MaxConnectionsPerUser))
	}
	ctx, cancel := context.WithCancel(ctx)
	ctx = auth.WithIdentity(ctx, id)
	ctx = subscribe.OnSlowConsumer(ctx, func() { s.end(CloseSlowConsumer, reasonSlowConsumer, true) })
	s.started(cancel, id.ExpiresAt)
	return ctx, nil, nil
}

// originAllowed: no Origin (not a browser), the server's own host, or an
// origin of the CORS allow-list ("*": any).
func originAllowed(origin, host string, allowed []string) bool {
	if origin == "" || slices.Contains(allowed, "*") || slices.Contains(allowed, origin) {
		return true
	}
	u, err := url.Parse(origin)
	return err == nil && strings.EqualFold(u.Host, host)
}

// session is one WebSocket connection: its user, its subscriptions, and
// how it is to be closed.
type session struct {
	streams *streams
	header  string // the upgrade request's Authorization
	user    string // set by streams.admit

	mu     sync.Mutex
	conn   *wsConn
	cancel context.CancelFunc // ends the connection once initialised
	expiry *time.Timer
	active int
	ending bool
	code   int
	reason string
}

type sessionKey struct{}

func withSession(ctx context.Context, s *session) context.Context {
	return context.WithValue(ctx, sessionKey{}, s)
}

// sessionFrom returns ctx's WebSocket session, or nil outside one.
func sessionFrom(ctx context.Context) *session {
	s, _ := ctx.Value(sessionKey{}).(*session)
	return s
}

// started records the initialised connection's cancel and ends the
// connection (CloseUnauthorized) when its token expires.
func (s *session) started(cancel context.CancelFunc, expires time.Time) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.cancel = cancel
	if !expires.IsZero() {
		s.expiry = time.AfterFunc(time.Until(expires), func() { s.end(CloseUnauthorized, reasonTokenExpired, false) })
	}
	if s.ending {
		s.closeLocked()
	}
}

// stop releases the session's timer once the connection ended, and the
// socket itself: gqlgen returns without closing it on some refusals (a
// connection_init whose payload is no JSON object), which would leave it
// open until garbage collection.
func (s *session) stop() {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.expiry != nil {
		s.expiry.Stop()
	}
	if s.cancel != nil {
		s.cancel()
	}
	if s.conn != nil {
		s.conn.closeNow()
	}
}

// startSubscription counts one more subscription of ctx's operation until
// ctx ends; an error refuses it (over the limit, or the connection is
// ending).
func (s *session) startSubscription(ctx context.Context) *gqlerror.Error {
	s.mu.Lock()
	defer s.mu.Unlock()
	switch {
	case s.expiredLocked():
		return newError(codeUnauthenticated, msgTokenExpired)
	case s.ending:
		return newError(string(domain.CodeUnavailable), msgStreamsClosed)
	}
	if max := s.streams.cfg.MaxSubscriptionsPerConnection; s.active >= max {
		return newError(string(domain.CodeBadRequest), fmt.Sprintf(msgTooManySubscriptions, max))
	}
	s.active++
	context.AfterFunc(ctx, s.endSubscription)
	return nil
}

// tokenExpired reports whether s (nil: no session) is ending because its
// token expired.
func (s *session) tokenExpired() bool {
	if s == nil {
		return false
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.expiredLocked()
}

func (s *session) expiredLocked() bool { return s.ending && s.code == CloseUnauthorized }

// endSubscription: one subscription has completed (its last message is
// written); an ending connection closes once none is left.
func (s *session) endSubscription() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.active--
	if s.ending && s.active == 0 {
		s.closeLocked()
	}
}

// end closes the connection with code and reason (the first end decides
// them): at once when now is set or no subscription is open, else once
// the open ones have completed.
func (s *session) end(code int, reason string, now bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if !s.ending {
		s.ending, s.code, s.reason = true, code, reason
	}
	if now || s.active == 0 {
		s.closeLocked()
	}
}

// closeLocked ends the connection: through its context once initialised
// (gqlgen then closes it, with the session's code, see wsConn.WriteClose),
// else by dropping the socket (a client that never sent connection_init
// gets no close frame).
func (s *session) closeLocked() {
	switch {
	case s.cancel != nil:
		s.cancel()
	case s.conn != nil:
		s.conn.closeNow()
	}
}

// closeCode returns the code and reason to close with: the session's once
// it decided them, else the given ones.
func (s *session) closeCode(code int, reason string) (int, string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.ending {
		return s.code, s.reason
	}
	return code, reason
}

func (s *session) setConn(c *wsConn) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.conn = c
	if s.ending && s.cancel == nil {
		c.closeNow()
	}
}

// endedCleanly reports whether the connection is ending for a reason that
// completes its subscriptions (shutdown, token expiry) rather than cuts
// them (slow consumer).
func (s *session) endedCleanly() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.ending && s.code != CloseSlowConsumer
}
