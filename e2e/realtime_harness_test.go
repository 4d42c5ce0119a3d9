package e2e_test

import (
	"encoding/base64"
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/coder/websocket"

	"github.com/dayline/dayline/api"
)

// rtMessage is one AppSync real-time protocol message.
type rtMessage struct {
	Type    string          `json:"type"`
	ID      string          `json:"id,omitempty"`
	Payload json.RawMessage `json:"payload,omitempty"`
}

// rtErrors is the payload of error and connection_error.
type rtErrors struct {
	Errors []struct {
		ErrorType string `json:"errorType"`
		Message   string `json:"message"`
		ErrorCode int    `json:"errorCode"`
	} `json:"errors"`
}

// rtClient is a minimal AppSync real-time client for tests that look at
// the protocol itself; the npm clients are in appsync_clients_test.go.
type rtClient struct {
	t    testing.TB
	conn *websocket.Conn
}

// rtAuth says how a dial passes the token.
type rtAuth int

const (
	authQueryParam  rtAuth = iota // ?header=<base64 JSON>&payload=e30=
	authSubprotocol               // header-<base64url JSON> subprotocol (Amplify JS v6)
	authHTTPHeader                // Authorization header of the upgrade request
)

// rtHeader is AppSync's authorization header object for token.
func rtHeader(e *env, token string) []byte {
	u, _ := url.Parse(e.URL)
	b, _ := json.Marshal(map[string]string{"Authorization": token, "host": u.Host})
	return b
}

// dialRealtime opens /graphql/realtime with token passed as how says.
func dialRealtime(t testing.TB, e *env, token string, how rtAuth) (*rtClient, *http.Response, error) {
	t.Helper()
	u := "ws" + strings.TrimPrefix(e.URL, "http") + "/graphql/realtime"
	opts := &websocket.DialOptions{Subprotocols: []string{"graphql-ws"}, HTTPHeader: http.Header{}}
	switch how {
	case authQueryParam:
		u += "?header=" + url.QueryEscape(base64.StdEncoding.EncodeToString(rtHeader(e, token))) + "&payload=e30="
	case authSubprotocol:
		opts.Subprotocols = append(opts.Subprotocols, "header-"+base64.RawURLEncoding.EncodeToString(rtHeader(e, token)))
	case authHTTPHeader:
		opts.HTTPHeader.Set("Authorization", token)
	}
	c, res, err := websocket.Dial(t.Context(), u, opts)
	if err != nil {
		return nil, res, err
	}
	t.Cleanup(func() { _ = c.CloseNow() })
	return &rtClient{t: t, conn: c}, res, nil
}

// connectRealtime dials as userID (token in the header query parameter)
// and waits for connection_ack.
func connectRealtime(t testing.TB, e *env, userID string) *rtClient {
	t.Helper()
	c, _, err := dialRealtime(t, e, e.token(userID), authQueryParam)
	if err != nil {
		t.Fatalf("dial: %v", err)
	}
	c.send(rtMessage{Type: "connection_init"})
	if m := c.read(); m.Type != "connection_ack" {
		t.Fatalf("after connection_init: %s %s, want connection_ack", m.Type, m.Payload)
	}
	return c
}

func (c *rtClient) send(m rtMessage) {
	c.t.Helper()
	b, err := json.Marshal(m)
	if err != nil {
		c.t.Fatal(err)
	}
	if err := c.conn.Write(c.t.Context(), websocket.MessageText, b); err != nil {
		c.t.Fatalf("write %s: %v", m.Type, err)
	}
}

// start sends a start message for query and vars, as Amplify does: data is
// their JSON string; extensions.authorization carries token unless empty.
func (c *rtClient) start(id, query string, vars map[string]any, token string) {
	c.t.Helper()
	data, _ := json.Marshal(map[string]any{"query": query, "variables": vars})
	payload := map[string]any{"data": string(data), "extensions": map[string]any{}}
	if token != "" {
		payload["extensions"] = map[string]any{"authorization": map[string]string{"Authorization": token}}
	}
	c.send(rtMessage{Type: "start", ID: id, Payload: wsJSON(c.t, payload)})
}

// read returns the next message other than "ka".
func (c *rtClient) read() rtMessage {
	c.t.Helper()
	m, err := c.next()
	if err != nil {
		c.t.Fatalf("read: %v", err)
	}
	return m
}

func (c *rtClient) next() (rtMessage, error) {
	for {
		m, err := c.nextAny()
		if err != nil || m.Type != "ka" {
			return m, err
		}
	}
}

// nextAny returns the next message, "ka" included.
func (c *rtClient) nextAny() (rtMessage, error) {
	_, b, err := c.conn.Read(c.t.Context())
	if err != nil {
		return rtMessage{}, err
	}
	var m rtMessage
	err = json.Unmarshal(b, &m)
	return m, err
}

// closed reads until the connection closes and returns its close code and
// reason, and the messages before.
func (c *rtClient) closed() (websocket.StatusCode, string, []rtMessage) {
	return untilClosed(c.next)
}

// errorTypes decodes an error message's payload into its error types.
func errorTypes(t testing.TB, m rtMessage) []string {
	t.Helper()
	var p rtErrors
	if err := json.Unmarshal(m.Payload, &p); err != nil {
		t.Fatalf("decode %s: %v", m.Payload, err)
	}
	var out []string
	for _, e := range p.Errors {
		out = append(out, e.ErrorType)
	}
	return out
}

// rtData decodes a data message's payload.
func rtData[D any](t testing.TB, m rtMessage, id string) (D, []gqlError) {
	t.Helper()
	if m.Type != "data" || m.ID != id {
		t.Fatalf("got %s %s %s, want data for %s", m.Type, m.ID, m.Payload, id)
	}
	var body responseBody[D]
	if err := json.Unmarshal(m.Payload, &body); err != nil {
		t.Fatalf("decode %s: %v", m.Payload, err)
	}
	var zero D
	if body.Data == nil {
		return zero, body.Errors
	}
	return *body.Data, body.Errors
}

// realtimeLifetime sets how long AppSync real-time connections live.
func realtimeLifetime(d time.Duration) subsOption {
	return func(c *api.StreamConfig, _ *subsSetup) { c.RealtimeLifetime = d }
}
