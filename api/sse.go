package api

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/gqlerror"

	"github.com/dayline/dayline/auth"
	"github.com/dayline/dayline/subscribe"
)

// sseTransport serves GraphQL over server-sent events as the graphql-sse
// protocol's distinct connections mode has it: a POST (JSON body, as over
// HTTP) asking for text/event-stream answers a stream of "next" events,
// each one response, and a "complete" event when the operation ends. The
// token is the request's Authorization header (checked before, as for any
// HTTP request). Requests refused before execution get the same HTTP
// answers as over HTTPTransport.
type sseTransport struct {
	streams *streams
}

var _ graphql.Transport = sseTransport{}

// Supports reports whether r asks for an event stream.
func (sseTransport) Supports(r *http.Request) bool { return IsEventStream(r) }

// IsEventStream reports whether r asks for a server-sent event stream:
// such a request lives as long as its subscription.
func IsEventStream(r *http.Request) bool {
	return r.Method == http.MethodPost && strings.Contains(r.Header.Get("Accept"), "text/event-stream")
}

// Do serves one event stream until its operation ends.
func (t sseTransport) Do(w http.ResponseWriter, r *http.Request, exec graphql.GraphExecutor) {
	ctx := r.Context()
	refuse := func(status int, msg string) {
		WriteHTTP(w, MediaJSON, status, exec.DispatchError(ctx, gqlerror.List{badRequest(msg)}))
	}
	if status, err := checkMethod(w, r); err != nil {
		refuse(status, err.Error())
		return
	}
	params, status, err := readParams(r)
	if err != nil {
		refuse(status, err.Error())
		return
	}
	params.Headers = r.Header
	params.ReadTime = graphql.TraceTiming{Start: graphql.Now(), End: graphql.Now()}
	oc, errs := exec.CreateOperationContext(ctx, params)
	if errs != nil {
		WriteHTTP(w, MediaJSON, refusedStatus(errs), exec.DispatchError(graphql.WithOperationContext(ctx, oc), errs))
		return
	}
	id, err := auth.IdentityFrom(ctx)
	if err != nil {
		WriteUnauthorized(w, auth.ReasonMissingToken)
		return
	}
	s := &session{streams: t.streams}
	if !t.streams.enter(s) {
		WriteHTTP(w, MediaJSON, http.StatusServiceUnavailable, exec.DispatchError(ctx, gqlerror.List{{Message: msgStreamsClosed, Err: errStreamsClosed}}))
		return
	}
	defer t.streams.leave(s)
	if !t.streams.admit(s, id.Sub) {
		refuse(http.StatusTooManyRequests, fmt.Sprintf(msgTooManyConnections, t.streams.cfg.MaxConnectionsPerUser))
		return
	}
	ctx, cancel := context.WithCancel(ctx)
	defer s.stop()
	ctx = subscribe.OnSlowConsumer(withSession(ctx, s), func() { s.end(CloseSlowConsumer, reasonSlowConsumer, true) })
	s.started(cancel, time.Time{}) // the token's expiry ends the subscription (subscriptionLifetime)

	rc := http.NewResponseController(w)
	// The body is read: the server's read timeout would end the stream
	// (its background read fails and cancels the request). Writes have
	// their own deadline, set per event.
	_ = rc.SetReadDeadline(time.Time{})
	out := &eventWriter{w: w, rc: rc, timeout: t.streams.cfg.WriteTimeout}
	h := w.Header()
	h.Set("Content-Type", "text/event-stream; charset=utf-8")
	h.Set("Cache-Control", "no-cache")
	h.Set("X-Accel-Buffering", "no")
	w.WriteHeader(http.StatusOK)
	if err := out.write(func(w io.Writer) { _, _ = io.WriteString(w, ":\n\n") }); err != nil {
		return
	}
	stopKeepAlive := out.keepAlive(ctx, t.streams.cfg.KeepAlive)
	defer stopKeepAlive()

	responses, ctx := exec.DispatchOperation(graphql.WithOperationContext(ctx, oc), oc)
	for {
		resp := responses(ctx)
		if resp == nil {
			break
		}
		err := out.write(func(w io.Writer) {
			_, _ = io.WriteString(w, "event: next\ndata: ")
			WriteResponse(w, resp)
			_, _ = io.WriteString(w, "\n\n")
		})
		if err != nil {
			return
		}
	}
	if ctx.Err() == nil || s.endedCleanly() {
		_ = out.write(func(w io.Writer) { _, _ = io.WriteString(w, "event: complete\ndata:\n\n") })
	}
}

// eventWriter writes whole events, each with a write deadline, and
// flushes them.
type eventWriter struct {
	w       http.ResponseWriter
	rc      *http.ResponseController
	timeout time.Duration
	mu      sync.Mutex
}

func (e *eventWriter) write(event func(io.Writer)) error {
	e.mu.Lock()
	defer e.mu.Unlock()
	_ = e.rc.SetWriteDeadline(time.Now().Add(e.timeout))
	event(e.w)
	return e.rc.Flush()
}

// keepAlive writes a comment every interval until stop is called (which
// waits for it to finish).
func (e *eventWriter) keepAlive(ctx context.Context, interval time.Duration) (stop func()) {
	ctx, cancel := context.WithCancel(ctx)
	done := make(chan struct{})
	go func() {
		defer close(done)
		tick := time.NewTicker(interval)
		defer tick.Stop()
		for {
			select {
			case <-ctx.Done():
				return
			case <-tick.C:
				if e.write(func(w io.Writer) { _, _ = io.WriteString(w, ": keepalive\n\n") }) != nil {
					return
				}
			}
		}
	}()
	return func() { cancel(); <-done }
}
