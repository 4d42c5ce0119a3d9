package e2e_test

import (
	"encoding/json"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/dayline/dayline/api"
	"github.com/dayline/dayline/subscribe"
)

// TestRealtimeProtocol: AppSync's real-time protocol on /graphql/realtime,
// with the token in each of its three places: connection_ack with
// connectionTimeoutMs, "ka", start -> start_ack -> data (the subscriber's
// own selection) for a caregiver's change over HTTP, stop -> complete.
func TestRealtimeProtocol(t *testing.T) {
	forEachStore(t, func(t *testing.T, open opener) {
		for name, how := range map[string]rtAuth{"header query parameter": authQueryParam, "header subprotocol": authSubprotocol, "HTTP header": authHTTPHeader} {
			t.Run(name, func(t *testing.T) {
				var hub *subscribe.Hub
				e := newEnv(t, open, withSubscriptions(t, hubInto(&hub)))
				c, res, err := dialRealtime(t, e, e.token("a-member-1"), how)
				if err != nil {
					t.Fatalf("dial: %v", err)
				}
				if got := res.Header.Get("Sec-WebSocket-Protocol"); got != "graphql-ws" {
					t.Errorf("subprotocol %q, want graphql-ws", got)
				}
				c.send(rtMessage{Type: "connection_init"})
				ack := c.read()
				var ackPayload struct{ ConnectionTimeoutMs int64 }
				if err := json.Unmarshal(ack.Payload, &ackPayload); err != nil || ack.Type != "connection_ack" || ackPayload.ConnectionTimeoutMs != 300000 {
					t.Fatalf("got %s %s, want connection_ack with connectionTimeoutMs 300000", ack.Type, ack.Payload)
				}
				if m, err := c.nextAny(); err != nil || m.Type != "ka" {
					t.Fatalf("after the ack: %+v %v, want ka", m, err)
				}
				c.start("w1", watchSubscription, map[string]any{"owner": "a-member-1"}, e.token("a-member-1"))
				if m := c.read(); m.Type != "start_ack" || m.ID != "w1" {
					t.Fatalf("after start: %s %s %s, want start_ack w1", m.Type, m.ID, m.Payload)
				}
				registered(t, hub, 1)
				retitle(t, e, "a-caregiver", "a-member-1-sched", 1, "Changed by the caregiver")
				got, errs := rtData[scheduleEvent](t, c.read(), "w1")
				s := got.OnScheduleChanged
				if len(errs) > 0 || s == nil || s.ID != "a-member-1-sched" || s.Version != 2 || s.Title != "Changed by the caregiver" || s.Owner == nil || s.Owner.Name == "" {
					t.Fatalf("data %+v %+v", s, errs)
				}
				c.send(rtMessage{Type: "stop", ID: "w1"})
				if m := c.read(); m.Type != "complete" || m.ID != "w1" {
					t.Fatalf("after stop: %s %s, want complete w1", m.Type, m.ID)
				}
				registered(t, hub, 0)
			})
		}
	})
}

// TestRealtimeRefusedConnection: a missing, bad or malformed token is a
// connection_error (UnauthorizedException, errorCode 401: Amplify does not
// retry) and a close with 4401.
func TestRealtimeRefusedConnection(t *testing.T) {
	e := newEnv(t, openBolt, withSubscriptions(t))
	for name, token := range map[string]string{"no token": "", "bad token": "not-a-token"} {
		t.Run(name, func(t *testing.T) {
			c, _, err := dialRealtime(t, e, token, authSubprotocol)
			if err != nil {
				t.Fatal(err)
			}
			c.send(rtMessage{Type: "connection_init"})
			code, reason, before := c.closed()
			if len(before) != 1 || before[0].Type != "connection_error" {
				t.Fatalf("before the close: %+v, want one connection_error", before)
			}
			var p rtErrors
			if err := json.Unmarshal(before[0].Payload, &p); err != nil || len(p.Errors) != 1 ||
				p.Errors[0].ErrorType != "UnauthorizedException" || p.Errors[0].ErrorCode != 401 || !strings.HasPrefix(p.Errors[0].Message, "Unauthorized: ") {
				t.Errorf("connection_error %s", before[0].Payload)
			}
			if code != api.CloseUnauthorized || !strings.HasPrefix(reason, "Unauthorized: ") {
				t.Errorf("closed %d %q, want %d", code, reason, api.CloseUnauthorized)
			}
		})
	}
	t.Run("not an upgrade", func(t *testing.T) {
		res, err := http.Get(e.URL + "/graphql/realtime")
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		var body responseBody[struct{}]
		if err := json.NewDecoder(res.Body).Decode(&body); err != nil || res.StatusCode != http.StatusBadRequest || len(body.Errors) != 1 || body.Errors[0].ErrorType != "BadRequest" {
			t.Errorf("status %d, %+v (%v), want 400 BadRequest", res.StatusCode, body, err)
		}
	})
}

// TestRealtimeRefusedStart: a subscription its caller may not make is an
// error message for its id with the errorType the matching query gets;
// a query is UnsupportedOperation, as on AppSync. The connection stays
// usable.
func TestRealtimeRefusedStart(t *testing.T) {
	cases := []struct {
		name, user, query string
		vars              map[string]any
		token             string // the start's own authorization: "" none, "other" another user's
		want              string
	}{
		{"member names another member", "a-member-1", watchSubscription, map[string]any{"owner": "a-member-2"}, "", "Unauthorized"},
		{"other organisation's owner", "b-admin", watchSubscription, map[string]any{"owner": "a-member-1"}, "", "NotFound"},
		{"other organisation's completions", "b-admin", `subscription { onTaskCompleted(ownerId: "a-member-1") { taskId } }`, nil, "", "NotFound"},
		{"a query", "a-member-1", `query { me { id } }`, nil, "", "UnsupportedOperation"},
		{"a document that does not validate", "a-member-1", `subscription { nope }`, nil, "", "BadRequest"},
		{"the start's token is another user's", "a-member-1", watchSubscription, nil, "other", "Unauthorized"},
		{"the start's token is bad", "a-member-1", watchSubscription, nil, "not-a-token", "UnauthorizedException"},
	}
	forEachStore(t, func(t *testing.T, open opener) {
		var hub *subscribe.Hub
		e := newEnv(t, open, withSubscriptions(t, hubInto(&hub)))
		for _, tc := range cases {
			t.Run(tc.name, func(t *testing.T) {
				c := connectRealtime(t, e, tc.user)
				token := tc.token
				if token == "other" {
					token = e.token("a-member-2")
				}
				c.start("r", tc.query, tc.vars, token)
				m := c.read()
				if m.Type != "error" || m.ID != "r" {
					t.Fatalf("got %s %s %s, want error for r", m.Type, m.ID, m.Payload)
				}
				if got := errorTypes(t, m); len(got) != 1 || got[0] != tc.want {
					t.Errorf("errors %v, want [%s]", got, tc.want)
				}
				// Still usable: a subscription it may make starts.
				c.start("ok", watchSubscription, nil, "")
				if m := c.read(); m.Type != "start_ack" || m.ID != "ok" {
					t.Fatalf("after the refusal: %s %s %s, want start_ack", m.Type, m.ID, m.Payload)
				}
			})
		}
	})
}

// TestRealtimeMessages: an unknown message type is an UnsupportedOperation
// error and the connection goes on; a start before connection_init is
// served (AppSync's connection_init is optional); a stop of an unknown id
// completes; a start beyond the per-connection limit is a BadRequest.
func TestRealtimeMessages(t *testing.T) {
	var hub *subscribe.Hub
	e := newEnv(t, openBolt, withSubscriptions(t, hubInto(&hub), streamLimits(1, 10)))
	c, _, err := dialRealtime(t, e, e.token("a-member-1"), authQueryParam)
	if err != nil {
		t.Fatal(err)
	}
	c.start("w", watchSubscription, nil, "")
	if m := c.read(); m.Type != "start_ack" || m.ID != "w" {
		t.Fatalf("start before connection_init: %s %s %s, want start_ack", m.Type, m.ID, m.Payload)
	}
	registered(t, hub, 1)
	c.send(rtMessage{Type: "subscribe", ID: "x"})
	m := c.read()
	if got := errorTypes(t, m); m.Type != "error" || !slices.Equal(got, []string{"UnsupportedOperation"}) || !strings.Contains(string(m.Payload), "subscribe not supported through the realtime channel") {
		t.Errorf("unknown type: %s %s", m.Type, m.Payload)
	}
	c.start("w2", watchSubscription, nil, "")
	if m := c.read(); m.Type != "error" || !slices.Equal(errorTypes(t, m), []string{"BadRequest"}) || !strings.Contains(string(m.Payload), "too many subscriptions") {
		t.Errorf("start over the limit: %s %s %s", m.Type, m.ID, m.Payload)
	}
	c.start("w", watchSubscription, nil, "")
	if m := c.read(); m.Type != "error" || m.ID != "w" || !slices.Equal(errorTypes(t, m), []string{"BadRequest"}) {
		t.Errorf("start with an id in use: %s %s %s", m.Type, m.ID, m.Payload)
	}
	c.send(rtMessage{Type: "stop", ID: "nope"})
	if m := c.read(); m.Type != "complete" || m.ID != "nope" {
		t.Errorf("stop of an unknown id: %s %s", m.Type, m.ID)
	}
	retitle(t, e, "a-caregiver", "a-member-1-sched", 1, "Still delivered")
	if got, _ := rtData[scheduleEvent](t, c.read(), "w"); got.OnScheduleChanged == nil || got.OnScheduleChanged.Title != "Still delivered" {
		t.Errorf("data %+v", got.OnScheduleChanged)
	}
}

// TestRealtimeLifetime: a connection is closed (1001) when its lifetime
// ends, its subscriptions completed first; the client reconnects.
func TestRealtimeLifetime(t *testing.T) {
	noLeaks(t)
	e := newEnv(t, openBolt, withSubscriptions(t, realtimeLifetime(time.Nanosecond)))
	c := connectRealtime(t, e, "a-member-1")
	code, reason, _ := c.closed()
	if code != api.CloseGoingAway || !strings.Contains(reason, "lifetime") {
		t.Errorf("closed %d %q, want %d lifetime", code, reason, api.CloseGoingAway)
	}
}

// TestRealtimeShutdown: at shutdown each subscription completes, then the
// connection closes with 1001; no goroutine is left.
func TestRealtimeShutdown(t *testing.T) {
	noLeaks(t)
	var hub *subscribe.Hub
	var stopHub func()
	e := newEnv(t, openBolt, withSubscriptions(t, hubInto(&hub), hubStop(&stopHub)))
	c := connectRealtime(t, e, "a-member-1")
	c.start("w", watchSubscription, nil, "")
	if m := c.read(); m.Type != "start_ack" {
		t.Fatalf("start: %s %s", m.Type, m.Payload)
	}
	registered(t, hub, 1)
	stopHub()
	go func() { _ = e.GraphQL.CloseStreams(t.Context()) }()
	code, _, before := c.closed()
	if len(before) != 1 || before[0].Type != "complete" || before[0].ID != "w" || code != api.CloseGoingAway {
		t.Errorf("closed %d after %+v, want complete w then %d", code, before, api.CloseGoingAway)
	}
}

// TestRealtimeTokenExpiry: when the connection's token expires the
// connection closes with 4401 (a subscription running then first gets an
// UnauthorizedException error; this token expires at once, so the start
// may come too late for one).
func TestRealtimeTokenExpiry(t *testing.T) {
	e := newEnv(t, openBolt, withSubscriptions(t))
	c, _, err := dialRealtime(t, e, expiredSoonToken(t, e, "a-member-1"), authSubprotocol)
	if err != nil {
		t.Fatal(err)
	}
	c.send(rtMessage{Type: "connection_init"})
	if m := c.read(); m.Type != "connection_ack" {
		t.Fatalf("got %s %s, want connection_ack", m.Type, m.Payload)
	}
	c.start("w", watchSubscription, nil, "")
	code, reason, before := c.closed()
	var types []string
	for _, m := range before {
		if m.Type == "error" && m.ID == "w" {
			types = append(types, errorTypes(t, m)...)
		}
	}
	if code != api.CloseUnauthorized || !strings.Contains(reason, "token expired") || (len(types) > 0 && !slices.Equal(types, []string{"UnauthorizedException"})) {
		t.Errorf("closed %d %q after %+v, want an UnauthorizedException error for w then %d", code, reason, before, api.CloseUnauthorized)
	}
}

// TestRealtimeVanishedClient: a client that drops its connection without
// a word leaves no subscription and no goroutine behind.
func TestRealtimeVanishedClient(t *testing.T) {
	noLeaks(t)
	var hub *subscribe.Hub
	e := newEnv(t, openBolt, withSubscriptions(t, hubInto(&hub)))
	c := connectRealtime(t, e, "a-member-1")
	c.start("w", watchSubscription, nil, "")
	if m := c.read(); m.Type != "start_ack" {
		t.Fatalf("start: %s %s", m.Type, m.Payload)
	}
	registered(t, hub, 1)
	_ = c.conn.CloseNow()
	registered(t, hub, 0)
	if err := e.GraphQL.CloseStreams(t.Context()); err != nil {
		t.Fatalf("CloseStreams: %v", err)
	}
}
