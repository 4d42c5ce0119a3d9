package e2e_test

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"strings"
	"sync"
	"testing"

	"github.com/coder/websocket"

	"github.com/dayline/dayline/api"
	"github.com/dayline/dayline/pubsub"
	"github.com/dayline/dayline/server"
	"github.com/dayline/dayline/store"
	"github.com/dayline/dayline/subscribe"
)

// subsOption changes the subscription settings of an env.
type subsOption func(*api.StreamConfig, *subsSetup)

type subsSetup struct {
	queue int
	// hub, when set, receives the env's hub; stop, how to stop it.
	hub  **subscribe.Hub
	stop *func()
	// wrap, when set, wraps the store the services and loaders use.
	wrap func(store.Store) store.Store
	// bus, when set, makes the bus instead of an in-process one.
	bus func() pubsub.Bus
}

// withSubscriptions serves subscriptions from an in-process bus, as
// `serve` does; the hub stops when the test ends.
func withSubscriptions(t testing.TB, opts ...subsOption) envOption {
	return func(a *api.Config, s *server.Config) {
		stream := api.StreamConfig{Verifier: s.Verifier}
		var setup subsSetup
		for _, o := range opts {
			o(&stream, &setup)
		}
		var bus pubsub.Bus = pubsub.NewLocal()
		if setup.bus != nil {
			bus = setup.bus()
		}
		hub := subscribe.New(bus, setup.queue)
		if setup.hub != nil {
			*setup.hub = hub
		}
		ctx, stop := context.WithCancel(context.Background())
		done := make(chan error, 1)
		go func() { done <- hub.Run(ctx) }()
		var once sync.Once
		stopHub := func() {
			once.Do(func() {
				stop()
				if err := <-done; err != nil {
					t.Errorf("hub: %v", err)
				}
			})
		}
		if setup.stop != nil {
			*setup.stop = stopHub
		}
		t.Cleanup(stopHub)
		if setup.wrap != nil {
			a.Store = setup.wrap(a.Store)
		}
		a.Feed, a.Events, a.Streams = hub, bus, &stream
		s.Streams, s.Fanout = true, hub.Status
	}
}

// hubInto stores the env's hub in *h.
func hubInto(h **subscribe.Hub) subsOption {
	return func(_ *api.StreamConfig, s *subsSetup) { s.hub = h }
}

// overBus makes the env's bus with newBus (a Redis bus, say).
func overBus(newBus func() pubsub.Bus) subsOption {
	return func(_ *api.StreamConfig, s *subsSetup) { s.bus = newBus }
}

// hubStop stores how to stop the env's hub in *f.
func hubStop(f *func()) subsOption {
	return func(_ *api.StreamConfig, s *subsSetup) { s.stop = f }
}

// queueSize sets the hub's queue per subscription.
func queueSize(n int) subsOption {
	return func(_ *api.StreamConfig, s *subsSetup) { s.queue = n }
}

// streamLimits sets the per-connection and per-user limits.
func streamLimits(subsPerConn, connsPerUser int) subsOption {
	return func(c *api.StreamConfig, _ *subsSetup) {
		c.MaxSubscriptionsPerConnection, c.MaxConnectionsPerUser = subsPerConn, connsPerUser
	}
}

// wrapStore wraps the store the GraphQL handler uses.
func wrapStore(w func(store.Store) store.Store) subsOption {
	return func(_ *api.StreamConfig, s *subsSetup) { s.wrap = w }
}

// wsMessage is one graphql-transport-ws (or graphql-ws) message.
type wsMessage struct {
	Type    string          `json:"type"`
	ID      string          `json:"id,omitempty"`
	Payload json.RawMessage `json:"payload,omitempty"`
}

// wsClient is a minimal graphql-transport-ws client for tests that need to
// see the protocol itself (close codes, errors); the npm clients are in
// clients_test.go.
type wsClient struct {
	t    testing.TB
	conn *websocket.Conn
}

// dialWS opens a WebSocket to e's /graphql with protocol (header: extra
// request headers, in pairs).
func dialWS(t testing.TB, e *env, protocol string, header ...string) (*wsClient, *http.Response, error) {
	t.Helper()
	h := http.Header{}
	for i := 0; i+1 < len(header); i += 2 {
		h.Set(header[i], header[i+1])
	}
	url := "ws" + strings.TrimPrefix(e.URL, "http") + "/graphql"
	c, res, err := websocket.Dial(t.Context(), url, &websocket.DialOptions{Subprotocols: []string{protocol}, HTTPHeader: h})
	if err != nil {
		return nil, res, err
	}
	t.Cleanup(func() { _ = c.CloseNow() })
	return &wsClient{t: t, conn: c}, res, nil
}

// connect dials and initialises a graphql-transport-ws connection as
// userID (token in connection_init), waiting for the ack.
func connect(t testing.TB, e *env, userID string) *wsClient {
	t.Helper()
	c, _, err := dialWS(t, e, "graphql-transport-ws")
	if err != nil {
		t.Fatalf("dial: %v", err)
	}
	c.send(wsMessage{Type: "connection_init", Payload: wsJSON(t, map[string]string{"Authorization": "Bearer " + e.token(userID)})})
	if m := c.read(); m.Type != "connection_ack" {
		t.Fatalf("after connection_init: %+v, want connection_ack", m)
	}
	return c
}

func wsJSON(t testing.TB, v any) json.RawMessage {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func (c *wsClient) send(m wsMessage) {
	c.t.Helper()
	b, err := json.Marshal(m)
	if err != nil {
		c.t.Fatal(err)
	}
	if err := c.conn.Write(c.t.Context(), websocket.MessageText, b); err != nil {
		c.t.Fatalf("write %s: %v", m.Type, err)
	}
}

// subscribe starts subscription id.
func (c *wsClient) subscribe(id, query string, vars map[string]any) {
	c.t.Helper()
	c.send(wsMessage{Type: "subscribe", ID: id, Payload: wsJSON(c.t, map[string]any{"query": query, "variables": vars})})
}

// read returns the next message other than a ping (answered) or pong.
func (c *wsClient) read() wsMessage {
	c.t.Helper()
	m, err := c.next()
	if err != nil {
		c.t.Fatalf("read: %v", err)
	}
	return m
}

func (c *wsClient) next() (wsMessage, error) {
	for {
		_, b, err := c.conn.Read(c.t.Context())
		if err != nil {
			return wsMessage{}, err
		}
		var m wsMessage
		if err := json.Unmarshal(b, &m); err != nil {
			return wsMessage{}, err
		}
		switch m.Type {
		case "ping":
			pong, _ := json.Marshal(wsMessage{Type: "pong"})
			if err := c.conn.Write(c.t.Context(), websocket.MessageText, pong); err != nil {
				return wsMessage{}, err
			}
			continue
		case "pong", "ka":
			continue
		}
		return m, nil
	}
}

// closed reads until the connection closes and returns its close code
// and reason; messages before are returned too. A connection that ends
// without a close frame returns code -1.
func (c *wsClient) closed() (websocket.StatusCode, string, []wsMessage) {
	return untilClosed(c.next)
}

// untilClosed reads messages with next until the connection closes, and
// returns its close code and reason (-1 and the error for an end without
// a close frame) and the messages before.
func untilClosed[M any](next func() (M, error)) (websocket.StatusCode, string, []M) {
	var before []M
	for {
		m, err := next()
		if err == nil {
			before = append(before, m)
			continue
		}
		var ce websocket.CloseError
		if errors.As(err, &ce) {
			return ce.Code, ce.Reason, before
		}
		return -1, err.Error(), before
	}
}

// nextPayload reads subscription id's next message and decodes its
// response.
func nextPayload[D any](c *wsClient, id string) (D, []gqlError) {
	c.t.Helper()
	m := c.read()
	if m.Type != "next" || m.ID != id {
		c.t.Fatalf("got %s %s %s, want next for %s", m.Type, m.ID, m.Payload, id)
	}
	var body responseBody[D]
	if err := json.Unmarshal(m.Payload, &body); err != nil {
		c.t.Fatalf("decode %s: %v", m.Payload, err)
	}
	var zero D
	if body.Data == nil {
		return zero, body.Errors
	}
	return *body.Data, body.Errors
}
