package api

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"sync"
	"time"

	"github.com/99designs/gqlgen/graphql/handler/transport"
	"github.com/coder/websocket"
)

// wsAccepter accepts WebSockets for gqlgen's transport with
// github.com/coder/websocket; the origin was checked before (wsTransport).
type wsAccepter struct {
	writeTimeout time.Duration
}

var _ transport.WebsocketImplementation = wsAccepter{}

func (a wsAccepter) Accept(w http.ResponseWriter, r *http.Request, opts transport.WebsocketAcceptOptions) (transport.WebsocketConn, error) {
	for k, vs := range opts.ResponseHeader {
		for _, v := range vs {
			w.Header().Add(k, v)
		}
	}
	c, err := websocket.Accept(w, r, &websocket.AcceptOptions{
		Subprotocols:       opts.Subprotocols,
		InsecureSkipVerify: true, // wsTransport checked the origin against the allow-list
	})
	if err != nil {
		return nil, err
	}
	conn := &wsConn{conn: c, session: sessionFrom(r.Context()), writeTimeout: a.writeTimeout}
	if conn.session != nil {
		conn.session.setConn(conn)
	}
	return conn, nil
}

// wsConn is one accepted WebSocket as gqlgen's transport uses it. Every
// write has a deadline (a client that stops reading is disconnected, not
// waited for); the close code is the session's when it decided one (token
// expired, slow consumer, shutdown); errors in messages are rewritten in
// AppSync's shape (errorType at the top level), as over HTTP.
type wsConn struct {
	conn         *websocket.Conn
	session      *session
	writeTimeout time.Duration

	mu       sync.Mutex
	deadline *time.Timer
	closed   bool
}

var (
	_ transport.WebsocketConn          = (*wsConn)(nil)
	_ transport.WebsocketReadLimiter   = (*wsConn)(nil)
	_ transport.WebsocketReadDeadliner = (*wsConn)(nil)
)

func (c *wsConn) NextReader() (int, io.Reader, error) {
	typ, data, err := c.conn.Read(context.Background())
	if err != nil {
		switch websocket.CloseStatus(err) {
		case websocket.StatusNormalClosure, websocket.StatusNoStatusRcvd, websocket.StatusGoingAway:
			return int(typ), nil, transport.ErrWebsocketClosed
		}
		return int(typ), nil, err
	}
	return int(typ), bytes.NewReader(data), nil
}

func (c *wsConn) WriteJSON(v any) error {
	data, err := json.Marshal(v)
	if err != nil {
		return err
	}
	return c.write(appSyncErrors(data))
}

// writeMessage writes v, whose errors are in AppSync's shape already (the
// AppSync real-time transport's messages).
func (c *wsConn) writeMessage(v any) error {
	data, err := json.Marshal(v)
	if err != nil {
		return err
	}
	return c.write(data)
}

// write sends one text message; one that misses the write deadline closes
// the connection.
func (c *wsConn) write(data []byte) error {
	ctx, cancel := context.WithTimeout(context.Background(), c.writeTimeout)
	defer cancel()
	return c.conn.Write(ctx, websocket.MessageText, data)
}

// WriteClose sends the close frame (once) and waits for the client's, at
// most 5 seconds (coder/websocket's handshake).
func (c *wsConn) WriteClose(code int, reason string) error {
	c.mu.Lock()
	if c.closed {
		c.mu.Unlock()
		return nil
	}
	c.closed = true
	c.stopDeadline()
	c.mu.Unlock()
	if c.session != nil {
		code, reason = c.session.closeCode(code, reason)
	}
	return c.conn.Close(websocket.StatusCode(code), reason)
}

func (c *wsConn) Close() error {
	c.mu.Lock()
	c.closed = true
	c.stopDeadline()
	c.mu.Unlock()
	return c.conn.CloseNow()
}

func (c *wsConn) closeNow() { _ = c.conn.CloseNow() }

func (c *wsConn) Subprotocol() string { return c.conn.Subprotocol() }

func (c *wsConn) SetReadLimit(n int64) { c.conn.SetReadLimit(n) }

// SetReadDeadline drops the connection at t unless moved (gqlgen's
// ping/pong: a client that answers no pong is gone); zero clears it.
func (c *wsConn) SetReadDeadline(t time.Time) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.stopDeadline()
	if !t.IsZero() && !c.closed {
		c.deadline = time.AfterFunc(time.Until(t), c.closeNow)
	}
	return nil
}

func (c *wsConn) stopDeadline() {
	if c.deadline != nil {
		c.deadline.Stop()
		c.deadline = nil
	}
}

// appSyncErrors rewrites the errors of a protocol message ({"type", "id",
// "payload"}: a response with "errors", or a list of errors) in AppSync's
// shape, errorType beside message; other messages pass unchanged.
func appSyncErrors(msg []byte) []byte {
	if !bytes.Contains(msg, []byte(`"extensions"`)) {
		return msg
	}
	var m struct {
		Type    string          `json:"type"`
		ID      string          `json:"id,omitempty"`
		Payload json.RawMessage `json:"payload,omitempty"`
	}
	if err := json.Unmarshal(msg, &m); err != nil || len(m.Payload) == 0 {
		return msg
	}
	var payload any
	if m.Payload[0] == '[' {
		var errs []Error
		if json.Unmarshal(m.Payload, &errs) != nil {
			return msg
		}
		payload = withErrorTypes(errs)
	} else {
		var r Response
		if json.Unmarshal(m.Payload, &r) != nil {
			return msg
		}
		r.Errors = withErrorTypes(r.Errors)
		payload = r
	}
	b, err := json.Marshal(payload)
	if err != nil {
		return msg
	}
	m.Payload = b
	out, err := json.Marshal(m)
	if err != nil {
		return msg
	}
	return out
}

// withErrorTypes sets each error's errorType from its extensions.code.
func withErrorTypes(errs []Error) []Error {
	for i, e := range errs {
		if code, ok := e.Extensions["code"].(string); ok && e.ErrorType == "" {
			errs[i].ErrorType = code
		}
	}
	return errs
}
