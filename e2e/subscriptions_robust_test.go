package e2e_test

import (
	"bufio"
	"context"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/coder/websocket"
	"go.uber.org/goleak"

	"github.com/dayline/dayline/api"
	"github.com/dayline/dayline/auth"
	"github.com/dayline/dayline/domain"
	"github.com/dayline/dayline/store"
	"github.com/dayline/dayline/subscribe"
)

// TestSubscriptionLimits: one subscription more than a connection may
// hold is refused with BadRequest; one connection more than a user may
// hold is closed with 4429.
func TestSubscriptionLimits(t *testing.T) {
	forEachStore(t, func(t *testing.T, open opener) {
		var hub *subscribe.Hub
		e := newEnv(t, open, withSubscriptions(t, hubInto(&hub), streamLimits(1, 1)))
		c := connect(t, e, "a-member-1")
		c.subscribe("1", watchSubscription, nil)
		registered(t, hub, 1)
		c.subscribe("2", watchSubscription, nil)
		_, errs := nextPayload[scheduleEvent](c, "2")
		if len(errs) != 1 || errs[0].ErrorType != "BadRequest" || !strings.Contains(errs[0].Message, "too many subscriptions") {
			t.Errorf("second subscription: %+v, want one BadRequest", errs)
		}

		second, _, err := dialWS(t, e, "graphql-transport-ws")
		if err != nil {
			t.Fatal(err)
		}
		second.send(wsMessage{Type: "connection_init", Payload: wsJSON(t, map[string]string{"Authorization": "Bearer " + e.token("a-member-1")})})
		code, reason, _ := second.closed()
		if code != api.CloseTooManyConnections || !strings.Contains(reason, "too many connections") {
			t.Errorf("second connection closed %d %q, want %d", code, reason, api.CloseTooManyConnections)
		}
		// Another user is not counted against the first.
		connect(t, e, "a-member-2")
	})
}

// TestWebSocketAuthentication: the token comes from connection_init or
// the upgrade request's header; none or a bad one closes with 4401.
func TestWebSocketAuthentication(t *testing.T) {
	e := newEnv(t, openBolt, withSubscriptions(t))
	t.Run("upgrade header", func(t *testing.T) {
		c, _, err := dialWS(t, e, "graphql-transport-ws", "Authorization", "Bearer "+e.token("a-member-1"))
		if err != nil {
			t.Fatal(err)
		}
		c.send(wsMessage{Type: "connection_init"})
		if m := c.read(); m.Type != "connection_ack" {
			t.Fatalf("got %+v, want connection_ack", m)
		}
	})
	for name, payload := range map[string]map[string]string{
		"no token":  {},
		"bad token": {"Authorization": "Bearer not-a-token"},
	} {
		t.Run(name, func(t *testing.T) {
			c, _, err := dialWS(t, e, "graphql-transport-ws")
			if err != nil {
				t.Fatal(err)
			}
			c.send(wsMessage{Type: "connection_init", Payload: wsJSON(t, payload)})
			code, reason, _ := c.closed()
			if code != api.CloseUnauthorized || !strings.HasPrefix(reason, "Unauthorized: ") {
				t.Errorf("closed %d %q, want %d Unauthorized", code, reason, api.CloseUnauthorized)
			}
		})
	}
	t.Run("origin not allowed", func(t *testing.T) {
		_, res, err := dialWS(t, e, "graphql-transport-ws", "Origin", "https://evil.example")
		if err == nil || res == nil || res.StatusCode != http.StatusForbidden {
			t.Fatalf("dial from another origin: %v %+v, want 403", err, res)
		}
	})
}

// expiredSoonToken mints, for userID, a token the verifier accepts (its
// clock is the env's, and it allows 30 s of leeway) whose expiry has
// passed by the wall clock: subscriptions end at once.
func expiredSoonToken(t *testing.T, e *env, userID string) string {
	t.Helper()
	past := func() time.Time { return e.TokenNow().Add(-time.Hour) }
	issuer, err := auth.OpenLocalIssuer(e.KeyDir, testIssuer, testClientID, past)
	if err != nil {
		t.Fatal(err)
	}
	tok, err := issuer.Mint(userID, []string{domain.GroupMembers}, "", time.Hour-20*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	return tok
}

// TestTokenExpiry: when its token expires, a WebSocket closes with 4401
// and an event stream's subscription ends with an Unauthorized error.
func TestTokenExpiry(t *testing.T) {
	e := newEnv(t, openBolt, withSubscriptions(t))
	tok := expiredSoonToken(t, e, "a-member-1")
	t.Run("websocket", func(t *testing.T) {
		c, _, err := dialWS(t, e, "graphql-transport-ws")
		if err != nil {
			t.Fatal(err)
		}
		c.send(wsMessage{Type: "connection_init", Payload: wsJSON(t, map[string]string{"Authorization": "Bearer " + tok})})
		code, reason, _ := c.closed()
		if code != api.CloseUnauthorized || !strings.Contains(reason, "token expired") {
			t.Errorf("closed %d %q, want %d token expired", code, reason, api.CloseUnauthorized)
		}
	})
	t.Run("event stream", func(t *testing.T) {
		events := sseSubscribe(t, e, tok, watchSubscription, nil)
		next := events.next(t)
		if next.event != "next" || !strings.Contains(next.data, `"errorType":"UnauthorizedException"`) || !strings.Contains(next.data, "token expired") {
			t.Errorf("first event %+v, want next with the token-expired error", next)
		}
		if ev := events.next(t); ev.event != "complete" {
			t.Errorf("then %+v, want complete", ev)
		}
	})
}

// gatedStore holds every CompletionsOn call (which only a subscriber's
// read of a completion event makes here) until released, so that events
// pile up in the subscriber's queue.
type gatedStore struct {
	store.Store
	on      atomic.Bool
	entered chan struct{}
	release chan struct{}
}

func (g *gatedStore) CompletionsOn(ctx context.Context, days []domain.OwnerDate) (map[domain.OwnerDate][]domain.Completion, error) {
	if g.on.Load() {
		g.entered <- struct{}{}
		<-g.release
	}
	return g.Store.CompletionsOn(ctx, days)
}

// TestSlowConsumer: a subscriber whose queue (1 event) is full when
// another event arrives is disconnected with 4008; others go on.
func TestSlowConsumer(t *testing.T) {
	forEachStore(t, func(t *testing.T, open opener) {
		gate := &gatedStore{entered: make(chan struct{}, 1), release: make(chan struct{})}
		var hub *subscribe.Hub
		e := newEnv(t, open, withSubscriptions(t, hubInto(&hub), queueSize(1),
			wrapStore(func(st store.Store) store.Store { gate.Store = st; return gate })))
		t.Cleanup(func() { close(gate.release) })
		slow := connect(t, e, "a-member-1")
		slow.subscribe("t", tickSubscription, map[string]any{"owner": "a-member-1"})
		other := connect(t, e, "a-caregiver")
		other.subscribe("s", watchSubscription, nil)
		registered(t, hub, 2)
		gate.on.Store(true)
		tick(t, e, "a-member-1", "a-member-1-task-2", true) // read by the subscriber: held
		<-gate.entered
		tick(t, e, "a-member-1", "a-member-1-task-2", false) // queued
		tick(t, e, "a-member-1", "a-member-1-task-2", true)  // queue full: disconnected
		code, reason, _ := slow.closed()
		if code != api.CloseSlowConsumer || !strings.Contains(reason, "slow consumer") {
			t.Errorf("slow subscriber closed %d %q, want %d", code, reason, api.CloseSlowConsumer)
		}
		retitle(t, e, "a-admin", "a-member-2-sched", 1, "Still served")
		if got, _ := nextPayload[scheduleEvent](other, "s"); got.OnScheduleChanged == nil || got.OnScheduleChanged.Title != "Still served" {
			t.Errorf("other subscriber got %+v", got)
		}
	})
}

// TestShutdownCompletesSubscriptions: at shutdown every subscription
// completes, then its WebSocket closes with 1001 and its event stream
// ends with complete; nothing is left running.
func TestShutdownCompletesSubscriptions(t *testing.T) {
	noLeaks(t)
	var hub *subscribe.Hub
	var stop func()
	e := newEnv(t, openBolt, withSubscriptions(t, hubInto(&hub), hubStop(&stop)))
	ws := connect(t, e, "a-member-1")
	ws.subscribe("1", watchSubscription, nil)
	ws.subscribe("2", tickSubscription, nil)
	events := sseSubscribe(t, e, e.token("a-member-2"), watchSubscription, nil)
	registered(t, hub, 3)

	type closing struct {
		code   websocket.StatusCode
		before []wsMessage
	}
	closed := make(chan closing, 1)
	go func() { // the client reads on, answering the close frame
		code, _, before := ws.closed()
		closed <- closing{code, before}
	}()
	stop()
	if err := e.GraphQL.CloseStreams(t.Context()); err != nil {
		t.Fatalf("CloseStreams: %v", err)
	}
	got := <-closed
	code, before := got.code, got.before
	completed := map[string]bool{}
	for _, m := range before {
		if m.Type == "complete" {
			completed[m.ID] = true
		}
	}
	if code != api.CloseGoingAway || !completed["1"] || !completed["2"] {
		t.Errorf("websocket: close %d after %+v, want 1001 after both completed", code, before)
	}
	if ev := events.next(t); ev.event != "complete" {
		t.Errorf("event stream: %+v, want complete", ev)
	}
	events.close()
	http.DefaultClient.CloseIdleConnections()
}

// TestVanishedClientLeavesNothing: a client that drops its connection
// without a word leaves no subscription and no goroutine behind.
func TestVanishedClientLeavesNothing(t *testing.T) {
	noLeaks(t)
	var hub *subscribe.Hub
	e := newEnv(t, openBolt, withSubscriptions(t, hubInto(&hub)))
	c := connect(t, e, "a-member-1")
	c.subscribe("1", watchSubscription, nil)
	c.subscribe("2", tickSubscription, nil)
	registered(t, hub, 2)
	_ = c.conn.CloseNow()
	registered(t, hub, 0)
	if err := e.GraphQL.CloseStreams(t.Context()); err != nil {
		t.Fatal(err)
	}
	http.DefaultClient.CloseIdleConnections()
}

// sseEvent is one server-sent event.
type sseEvent struct{ event, data string }

// sseStream reads a graphql-sse (distinct connections) response.
type sseStream struct {
	res *http.Response
	r   *bufio.Reader
}

// sseSubscribe starts an event stream for query with token.
func sseSubscribe(t *testing.T, e *env, token, query string, vars map[string]any) *sseStream {
	t.Helper()
	req, err := http.NewRequestWithContext(t.Context(), http.MethodPost, e.URL+"/graphql",
		strings.NewReader(string(wsJSON(t, map[string]any{"query": query, "variables": vars}))))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Accept", "text/event-stream")
	req.Header.Set("Authorization", "Bearer "+token)
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	if res.StatusCode != http.StatusOK || !strings.HasPrefix(res.Header.Get("Content-Type"), "text/event-stream") {
		t.Fatalf("event stream: %d %s", res.StatusCode, res.Header.Get("Content-Type"))
	}
	s := &sseStream{res: res, r: bufio.NewReader(res.Body)}
	t.Cleanup(s.close)
	return s
}

func (s *sseStream) close() { _ = s.res.Body.Close() }

// next returns the next event (comments skipped).
func (s *sseStream) next(t *testing.T) sseEvent {
	t.Helper()
	var ev sseEvent
	for {
		line, err := s.r.ReadString('\n')
		if err != nil {
			t.Fatalf("event stream ended: %v", err)
		}
		line = strings.TrimRight(line, "\n")
		switch {
		case line == "":
			if ev.event != "" {
				return ev
			}
		case strings.HasPrefix(line, ":"):
		case strings.HasPrefix(line, "event: "):
			ev.event = strings.TrimPrefix(line, "event: ")
		case strings.HasPrefix(line, "data:"):
			ev.data += strings.TrimSpace(strings.TrimPrefix(line, "data:"))
		}
	}
}

// noLeaks checks, after every cleanup of t (server, hub) has run, that no
// goroutine started since is left.
func noLeaks(t *testing.T) {
	ignore := goleak.IgnoreCurrent()
	t.Cleanup(func() {
		http.DefaultClient.CloseIdleConnections()
		goleak.VerifyNone(t, ignore)
	})
}
