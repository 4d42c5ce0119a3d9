package api

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/99designs/gqlgen/graphql"
	"github.com/coder/websocket"
	"github.com/vektah/gqlparser/v2/gqlerror"
)

// The AppSync real-time protocol ("Building a real-time WebSocket client",
// AWS AppSync docs), which Amplify clients and aws-appsync-subscription-link
// speak: the WebSocket subprotocol graphql-ws (AppSync's, not Apollo's
// protocol of that name), the authorization header at the handshake,
// connection_init -> connection_ack {connectionTimeoutMs} -> "ka" every
// StreamConfig.KeepAlive; start {id, payload: {data: "<JSON of query and
// variables>", extensions: {authorization}}} -> start_ack -> data ...;
// stop -> complete; failures as connection_error (the handshake's token)
// and error (a refused start, an unsupported message). It carries the same
// subscriptions as the other transports: same executor, hub, per-subscriber
// authorization, limits (streams) and close codes.
const (
	realtimeSubprotocol  = "graphql-ws"
	realtimeHeaderPrefix = "header-"
	// DefaultRealtimeLifetime is how long an AppSync real-time connection
	// lives before the server closes it; clients reconnect. 24 hours is
	// AppSync's connection duration quota as commonly reported
	// (unverified: no primary source was at hand), a safe bound either way.
	DefaultRealtimeLifetime = 24 * time.Hour
	// realtimeConnectionTimeout is the connectionTimeoutMs of
	// connection_ack, AppSync's 5 minutes: a client that gets no "ka"
	// within it reconnects. It is at least two keepalive intervals.
	realtimeConnectionTimeout = 5 * time.Minute
)

// AppSync's error types for what only this protocol refuses.
const (
	errorTypeUnsupported   = "UnsupportedOperation"
	errorTypeLimitExceeded = "LimitExceededError"
)

// Client-facing messages of the AppSync real-time transport.
const (
	msgRealtimeUpgrade     = "the AppSync real-time endpoint takes WebSocket upgrades with the subprotocol graphql-ws"
	msgRealtimeHeader      = "the authorization header (the header query parameter or the header- subprotocol) is not base64 JSON"
	msgRealtimeUnsupported = "%s not supported through the realtime channel"
	msgRealtimeNoID        = "a start or stop message needs an id"
	msgRealtimeDuplicateID = "subscription id %q is already in use on this connection"
	msgRealtimeStartData   = "start's payload.data must be a JSON string of {query, variables}"
	msgRealtimeOtherUser   = "the start's authorization names another user than the connection's"
	msgRealtimeMalformed   = "messages are JSON objects with a type"
	reasonRealtimeLifetime = "connection lifetime reached: reconnect"
	reasonRealtimeNoInit   = "connection_init (or start) did not arrive in time"
)

// realtimeKey marks a request Realtime routed to the AppSync transport.
type realtimeKey struct{}

// Realtime returns next (the GraphQL handler) for the AppSync real-time
// endpoint, /graphql/realtime: its requests are served by the AppSync
// real-time transport, which authenticates them itself (a refused token is
// a connection_error, not a 401). A request that is not a WebSocket
// upgrade offering graphql-ws answers 400.
func Realtime(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		next.ServeHTTP(w, r.WithContext(context.WithValue(r.Context(), realtimeKey{}, true)))
	})
}

// realtimeTransport serves the AppSync real-time protocol on requests
// Realtime marked.
type realtimeTransport struct {
	streams *streams
}

var _ graphql.Transport = realtimeTransport{}

func (realtimeTransport) Supports(r *http.Request) bool {
	marked, _ := r.Context().Value(realtimeKey{}).(bool)
	return marked
}

// Do serves one AppSync real-time connection until it ends.
func (t realtimeTransport) Do(w http.ResponseWriter, r *http.Request, exec graphql.GraphExecutor) {
	ctx := r.Context()
	if !IsWebSocket(r) || !slices.Contains(offeredSubprotocols(r), realtimeSubprotocol) {
		WriteHTTP(w, MediaJSON, http.StatusBadRequest, exec.DispatchError(ctx, gqlerror.List{badRequest(msgRealtimeUpgrade)}))
		return
	}
	if origin := r.Header.Get("Origin"); !originAllowed(origin, r.Host, t.streams.cfg.AllowedOrigins) {
		WriteHTTP(w, MediaJSON, http.StatusForbidden, exec.DispatchError(ctx, gqlerror.List{badRequest(fmt.Sprintf(msgOriginNotAllowed, origin))}))
		return
	}
	authorization, headerErr := realtimeAuthorization(r)
	s := &session{streams: t.streams, header: authorization}
	if !t.streams.enter(s) {
		WriteHTTP(w, MediaJSON, http.StatusServiceUnavailable, exec.DispatchError(ctx, gqlerror.List{{Message: msgStreamsClosed, Err: errStreamsClosed}}))
		return
	}
	defer t.streams.leave(s)
	defer s.stop()
	rc := http.NewResponseController(w)
	_ = rc.SetReadDeadline(time.Time{})
	_ = rc.SetWriteDeadline(time.Time{})
	ws, err := websocket.Accept(w, r, &websocket.AcceptOptions{
		Subprotocols:       []string{realtimeSubprotocol},
		InsecureSkipVerify: true, // the origin was checked above
	})
	if err != nil {
		return // Accept answered the client
	}
	conn := &wsConn{conn: ws, session: s, writeTimeout: t.streams.cfg.WriteTimeout}
	s.setConn(conn)
	c := &realtimeConn{streams: t.streams, session: s, conn: conn, exec: exec, headerErr: headerErr, ops: map[string]*realtimeOp{}}
	c.serve(withSession(ctx, s))
}

// offeredSubprotocols lists the WebSocket subprotocols r offers.
func offeredSubprotocols(r *http.Request) []string {
	var out []string
	for _, v := range r.Header.Values("Sec-WebSocket-Protocol") {
		for p := range strings.SplitSeq(v, ",") {
			if p = strings.TrimSpace(p); p != "" {
				out = append(out, p)
			}
		}
	}
	return out
}

// realtimeAuthorization returns the handshake's Authorization, from the
// first place that has one: a header-<base64url JSON> subprotocol (Amplify
// JS v6), the header query parameter (base64 JSON, beside payload=e30=),
// the request's Authorization header. The JSON is AppSync's authorization
// header object ({"Authorization": "<token>", "host": ...}). An error says
// a header was there but not base64 JSON.
func realtimeAuthorization(r *http.Request) (string, error) {
	var encoded []string
	for _, p := range offeredSubprotocols(r) {
		if rest, ok := strings.CutPrefix(p, realtimeHeaderPrefix); ok {
			encoded = append(encoded, rest)
		}
	}
	if q := r.URL.Query().Get("header"); q != "" {
		encoded = append(encoded, q)
	}
	for _, e := range encoded {
		header, err := decodeRealtimeHeader(e)
		if err != nil {
			return "", err
		}
		if a := authorizationOf(header); a != "" {
			return a, nil
		}
	}
	return r.Header.Get("Authorization"), nil
}

var errRealtimeHeader = errors.New(msgRealtimeHeader)

// decodeRealtimeHeader decodes base64 (standard or URL alphabet, padded or
// not) JSON of an object.
func decodeRealtimeHeader(s string) (map[string]any, error) {
	s = strings.TrimRight(s, "=")
	raw, err := base64.RawURLEncoding.DecodeString(s)
	if err != nil {
		raw, err = base64.RawStdEncoding.DecodeString(s)
	}
	var header map[string]any
	if err != nil || json.Unmarshal(raw, &header) != nil {
		return nil, errRealtimeHeader
	}
	return header, nil
}

// authorizationOf returns the Authorization entry of an AppSync
// authorization object (its name in any case), or "".
func authorizationOf(header map[string]any) string {
	for k, v := range header {
		if s, ok := v.(string); ok && strings.EqualFold(k, "Authorization") {
			return s
		}
	}
	return ""
}

// realtimeMessage is one message of the protocol, either way.
type realtimeMessage struct {
	Type    string `json:"type"`
	ID      string `json:"id,omitempty"`
	Payload any    `json:"payload,omitempty"`
}

// realtimeError is an error in AppSync's real-time shape: errorType and
// message (and, for connection_error, AppSync's errorCode, which clients
// read to stop retrying), with extensions.code as over HTTP.
type realtimeError struct {
	Error
	ErrorCode int `json:"errorCode,omitempty"`
}

// realtimeErrors is the payload of error and connection_error.
type realtimeErrors struct {
	Errors []realtimeError `json:"errors"`
}

// errorsPayload converts a response's errors (presented: extensions.code
// set) into an error message's payload.
func errorsPayload(resp *graphql.Response) realtimeErrors {
	out := realtimeErrors{Errors: []realtimeError{}}
	for _, e := range NewResponse(resp).Errors {
		out.Errors = append(out.Errors, realtimeError{Error: e})
	}
	return out
}

// oneError is the payload of one error of code (its errorType) and msg.
func oneError(code, msg string, errorCode int) realtimeErrors {
	e := NewResponse(&graphql.Response{Errors: gqlerror.List{newError(code, msg)}}).Errors[0]
	return realtimeErrors{Errors: []realtimeError{{Error: e, ErrorCode: errorCode}}}
}
