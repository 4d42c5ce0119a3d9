package api

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"sync"
	"sync/atomic"
	"time"

	"github.com/99designs/gqlgen/graphql"
	"github.com/coder/websocket"
	"github.com/vektah/gqlparser/v2/ast"

	"github.com/dayline/dayline/auth"
	"github.com/dayline/dayline/domain"
	"github.com/dayline/dayline/subscribe"
)

// realtimeConn is one AppSync real-time connection: its session (user,
// limits, how it ends, shared with the other transports), its socket and
// its subscriptions by id.
type realtimeConn struct {
	streams   *streams
	session   *session
	conn      *wsConn
	exec      graphql.GraphExecutor
	headerErr error // the handshake's authorization header was malformed

	user string // the connection's user, once initialised

	mu  sync.Mutex
	ops map[string]*realtimeOp
	wg  sync.WaitGroup // subscriptions and the keepalive
}

// realtimeOp is one started subscription.
type realtimeOp struct {
	cancel  context.CancelFunc
	stopped atomic.Bool // the client sent stop: complete it
}

// inbound is what the reader passes on: a message, or why reading ended.
type inbound struct {
	msg realtimeInbound
	err error
}

// realtimeInbound is a client message; payload stays raw.
type realtimeInbound struct {
	Type    string          `json:"type"`
	ID      string          `json:"id"`
	Payload json.RawMessage `json:"payload"`
}

// serve runs the connection: it waits for connection_init (or a first
// start) within initTimeout, authenticates, then handles messages until
// the client leaves or the session ends it (shutdown, token expiry, slow
// consumer, lifetime); then it ends every subscription and closes.
func (c *realtimeConn) serve(ctx context.Context) {
	in := make(chan inbound)
	done := make(chan struct{})
	readerDone := make(chan struct{})
	go c.read(in, done, readerDone)
	defer func() { close(done); <-readerDone }()

	// A client that leaves ends the connection's context too (the
	// keepalive, every subscription).
	ctx, leave := context.WithCancel(ctx)
	defer leave()
	connCtx, ok := c.handshake(ctx, in)
	if !ok {
		return
	}
	for {
		select {
		case <-connCtx.Done():
			c.finish(true)
			return
		case m := <-in:
			if m.err != nil {
				leave()
				c.finish(false)
				return
			}
			c.handle(connCtx, m.msg)
		}
	}
}

// read passes each message on until the socket fails or closes.
func (c *realtimeConn) read(in chan<- inbound, done <-chan struct{}, finished chan<- struct{}) {
	defer close(finished)
	for {
		_, data, err := c.conn.conn.Read(context.Background())
		var m realtimeInbound
		if err == nil {
			dec := json.NewDecoder(bytes.NewReader(data))
			if dec.Decode(&m) != nil || m.Type == "" {
				_ = c.conn.conn.Close(websocket.StatusProtocolError, msgRealtimeMalformed)
				err = fmt.Errorf("malformed message")
			}
		}
		select {
		case in <- inbound{msg: m, err: err}:
		case <-done:
			return
		}
		if err != nil {
			return
		}
	}
}

// handshake waits for connection_init (acknowledged) or a first start
// (AppSync's connection_init is optional) and authenticates the
// connection. It returns the connection's context, or false once the
// connection was refused or ended.
func (c *realtimeConn) handshake(ctx context.Context, in <-chan inbound) (context.Context, bool) {
	timer := time.NewTimer(initTimeout)
	defer timer.Stop()
	for {
		select {
		case <-timer.C:
			_ = c.conn.conn.Close(websocket.StatusProtocolError, reasonRealtimeNoInit)
			return nil, false
		case m := <-in:
			if m.err != nil {
				return nil, false
			}
			switch m.msg.Type {
			case "connection_init", "start":
				connCtx, ok := c.authenticate(ctx)
				if !ok {
					return nil, false
				}
				if m.msg.Type == "connection_init" {
					c.send(realtimeMessage{Type: "connection_ack", Payload: map[string]int64{"connectionTimeoutMs": c.connectionTimeout().Milliseconds()}})
				}
				c.startKeepAlive(connCtx)
				if m.msg.Type == "start" {
					c.start(connCtx, m.msg)
				}
				return connCtx, true
			default:
				c.unsupported(m.msg)
			}
		}
	}
}

// authenticate verifies the handshake's token and admits the connection
// under its user's limit; a refusal is a connection_error (errorCode 401
// or 429, which Amplify does not or does retry) and a close (4401, 4429).
func (c *realtimeConn) authenticate(ctx context.Context) (context.Context, bool) {
	refuse := func(code int, errorType, msg string, errorCode int) (context.Context, bool) {
		c.send(realtimeMessage{Type: "connection_error", Payload: oneError(errorType, msg, errorCode)})
		_ = c.conn.conn.Close(websocket.StatusCode(code), msg)
		return nil, false
	}
	if c.headerErr != nil {
		return refuse(CloseUnauthorized, codeUnauthenticated, msgUnauthorized+msgRealtimeHeader, http.StatusUnauthorized)
	}
	raw := auth.TokenFromHeader(c.session.header)
	if raw == "" {
		return refuse(CloseUnauthorized, codeUnauthenticated, msgUnauthorized+auth.ReasonMissingToken, http.StatusUnauthorized)
	}
	id, err := c.streams.cfg.Verifier.Verify(ctx, raw)
	if err != nil {
		return refuse(CloseUnauthorized, codeUnauthenticated, msgUnauthorized+auth.ReasonOf(err), http.StatusUnauthorized)
	}
	if !c.streams.admit(c.session, id.Sub) {
		msg := fmt.Sprintf(msgTooManyConnections, c.streams.cfg.MaxConnectionsPerUser)
		return refuse(CloseTooManyConnections, errorTypeLimitExceeded, msg, http.StatusTooManyRequests)
	}
	c.user = id.Sub
	s := c.session
	connCtx, cancel := context.WithCancel(ctx)
	connCtx = auth.WithIdentity(connCtx, id)
	connCtx = subscribe.OnSlowConsumer(connCtx, func() { s.end(CloseSlowConsumer, reasonSlowConsumer, true) })
	s.started(cancel, id.ExpiresAt)
	lifetime := time.AfterFunc(c.streams.cfg.RealtimeLifetime, func() { s.end(CloseGoingAway, reasonRealtimeLifetime, true) })
	context.AfterFunc(connCtx, func() { lifetime.Stop() })
	return connCtx, true
}

// connectionTimeout is connection_ack's connectionTimeoutMs: AppSync's,
// or two keepalive intervals when that is longer.
func (c *realtimeConn) connectionTimeout() time.Duration {
	return max(realtimeConnectionTimeout, 2*c.streams.cfg.KeepAlive)
}

// startKeepAlive sends "ka" at once (as AppSync does) and every KeepAlive
// until ctx ends.
func (c *realtimeConn) startKeepAlive(ctx context.Context) {
	c.wg.Add(1)
	go func() {
		defer c.wg.Done()
		tick := time.NewTicker(c.streams.cfg.KeepAlive)
		defer tick.Stop()
		for {
			if c.send(realtimeMessage{Type: "ka"}) != nil {
				return
			}
			select {
			case <-ctx.Done():
				return
			case <-tick.C:
			}
		}
	}()
}

// handle answers one message of an initialised connection.
func (c *realtimeConn) handle(ctx context.Context, m realtimeInbound) {
	switch m.Type {
	case "start":
		c.start(ctx, m)
	case "stop":
		c.stop(m.ID)
	case "connection_init":
		c.send(realtimeMessage{Type: "connection_ack", Payload: map[string]int64{"connectionTimeoutMs": c.connectionTimeout().Milliseconds()}})
	default:
		c.unsupported(m)
	}
}

// unsupported answers a message type the protocol does not have as AppSync
// does: an error naming it; the connection stays open.
func (c *realtimeConn) unsupported(m realtimeInbound) {
	c.send(realtimeMessage{Type: "error", ID: m.ID, Payload: oneError(errorTypeUnsupported, fmt.Sprintf(msgRealtimeUnsupported, m.Type), 0)})
}

// refuseStart answers a start that does not begin a subscription.
func (c *realtimeConn) refuseStart(id string, payload realtimeErrors) {
	c.send(realtimeMessage{Type: "error", ID: id, Payload: payload})
}

// send writes m (with the session's write deadline); an error means the
// connection is gone.
func (c *realtimeConn) send(m realtimeMessage) error {
	return c.conn.writeMessage(m)
}

// stop ends subscription id; its pump then sends complete (and does so for
// an id that is not running, at once).
func (c *realtimeConn) stop(id string) {
	c.mu.Lock()
	op, ok := c.ops[id]
	c.mu.Unlock()
	if !ok {
		c.send(realtimeMessage{Type: "complete", ID: id})
		return
	}
	op.stopped.Store(true)
	op.cancel()
}

// finish ends every subscription, waits for them (each completes when the
// session ends cleanly: shutdown, token expiry, lifetime) and the
// keepalive, and closes the socket: with the session's code when the
// server ends the connection, at once when the client left.
func (c *realtimeConn) finish(serverEnded bool) {
	c.mu.Lock()
	for _, op := range c.ops {
		op.cancel()
	}
	c.mu.Unlock()
	c.wg.Wait()
	if serverEnded {
		_ = c.conn.WriteClose(CloseNormal, "")
		return
	}
	_ = c.conn.Close()
}

// isDataless reports whether resp carries only errors (a refusal or the
// token's expiry) rather than an event.
func isDataless(resp *graphql.Response) bool { return len(resp.Data) == 0 && len(resp.Errors) > 0 }

// isSubscriptionOp reports whether oc's operation is a subscription.
func isSubscriptionOp(oc *graphql.OperationContext) bool {
	return oc.Operation != nil && oc.Operation.Operation == ast.Subscription
}

// badStart is the payload of a start refused as malformed.
func badStart(msg string) realtimeErrors { return oneError(string(domain.CodeBadRequest), msg, 0) }
