// Package lambda is Dayline's AWS Lambda transport. One Handler takes every
// event the function receives, tells its kind from the event JSON itself
// (see Detect) and serves it:
//
//   - HTTP front doors (API Gateway HTTP API payload 2.0, Lambda Function
//     URL, API Gateway REST API payload 1.0, Application Load Balancer) are
//     turned into an *http.Request for the same http.Handler the standalone
//     server runs (server.New's: auth, limits, errors, CORS, /healthz), and
//     its answer into the front door's response JSON;
//   - AppSync Direct Lambda resolver events (one field, or a BatchInvoke
//     array) go to an EventHandler.
//
// The handler keeps no state between invocations: aws-lambda-go may run
// several at once in one process (AWS_LAMBDA_MAX_CONCURRENCY).
package lambda

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"runtime/debug"
	"time"

	"github.com/aws/aws-lambda-go/lambda/messages"
	"github.com/aws/aws-lambda-go/lambdacontext"

	"github.com/dayline/dayline/api"
)

// EventHandler answers AppSync Direct Lambda resolver events.
//
// HandleEvent receives the event as AppSync sent it: one resolver context
// object ({arguments, identity, source, request, prev, info, stash}) for an
// Invoke, or a JSON array of them for a BatchInvoke. It returns the value
// the function answers with, which the Handler encodes as JSON: the
// field's value for an Invoke, an array of the same length and order as the
// event for a BatchInvoke. A non-nil error fails the whole invocation
// (AppSync reports it as a Lambda error for every field of the event).
// HandleEvent is called concurrently when the runtime runs several
// invocations at once, and must respect ctx's deadline (the invocation's).
type EventHandler interface {
	HandleEvent(ctx context.Context, event json.RawMessage) (any, error)
}

// errAppSyncPanic fails an AppSync invocation whose EventHandler panicked,
// with the server's errorType for it; the panic and its stack are logged,
// not sent.
var errAppSyncPanic = messages.InvokeResponse_Error{Type: "InternalError", Message: "internal error serving the AppSync event"}

// Handler serves every event of the function. It implements aws-lambda-go's
// lambda.Handler: pass it to lambda.Start.
type Handler struct {
	http    http.Handler
	appsync EventHandler
	logger  *slog.Logger
}

// Option configures a Handler.
type Option func(*Handler)

// WithLogger sets where the Handler logs panics it recovers (default: no
// logs).
func WithLogger(l *slog.Logger) Option { return func(h *Handler) { h.logger = l } }

// New returns the Handler that serves HTTP front-door events with
// httpHandler and AppSync resolver events with appsync. appsync may be nil:
// AppSync events are then answered with an *UnsupportedEventError.
func New(httpHandler http.Handler, appsync EventHandler, opts ...Option) *Handler {
	h := &Handler{http: httpHandler, appsync: appsync, logger: slog.New(slog.DiscardHandler)}
	for _, o := range opts {
		o(h)
	}
	return h
}

// UnsupportedEventError is Invoke's error for an event it cannot serve: one
// of no known kind, an AppSync event when no EventHandler is configured, or
// an HTTP event whose fields cannot make a request (a body that is not
// base64 although the event says so, a bad path). Its message names the
// reason, never the event's content.
type UnsupportedEventError struct {
	Reason string
}

func (e *UnsupportedEventError) Error() string { return "lambda: unsupported event: " + e.Reason }

// answerReserve is the time kept back from an invocation's deadline to
// send its answer.
const answerReserve = 200 * time.Millisecond

// Invoke serves one event; ctx carries the invocation's deadline (work
// stops answerReserve before it) and lambdacontext. For an HTTP event it answers the front door's response
// JSON, a 500 in Dayline's error body if serving panics. For an AppSync
// event it answers the EventHandler's value as JSON, or its error. It
// returns an *UnsupportedEventError for an event it cannot serve (see
// there), and never logs the event (it can carry the caller's token).
func (h *Handler) Invoke(ctx context.Context, payload []byte) ([]byte, error) {
	if deadline, ok := ctx.Deadline(); ok {
		// Stop work a little before Lambda ends the invocation, so the
		// answer (a 503 ServiceUnavailable when time ran out) still goes out.
		var cancel context.CancelFunc
		ctx, cancel = context.WithDeadline(ctx, deadline.Add(-answerReserve))
		defer cancel()
	}
	kind, err := Detect(payload)
	if err != nil {
		return nil, err
	}
	if kind.IsAppSync() {
		return h.invokeAppSync(ctx, payload)
	}
	return h.invokeHTTP(ctx, kind, payload)
}

// invokeAppSync hands an AppSync event to the EventHandler, with the
// Lambda request id as the request id. An error with an ErrorType method
// is answered with that errorType (AppSync shows it); a panic fails this
// invocation only (aws-lambda-go would end the process).
func (h *Handler) invokeAppSync(ctx context.Context, payload []byte) (out []byte, err error) {
	if h.appsync == nil {
		return nil, &UnsupportedEventError{Reason: "an AppSync resolver event, and this function serves no AppSync resolvers"}
	}
	defer func() {
		if p := recover(); p != nil {
			h.logger.LogAttrs(ctx, slog.LevelError, "panic serving an AppSync event",
				slog.Any("panic", p), slog.String("stack", string(debug.Stack())))
			out, err = nil, errAppSyncPanic
		}
	}()
	if lc, ok := lambdacontext.FromContext(ctx); ok && lc.AwsRequestID != "" {
		ctx = api.WithRequestID(ctx, lc.AwsRequestID)
	}
	v, err := h.appsync.HandleEvent(ctx, json.RawMessage(payload))
	var typed interface{ ErrorType() string }
	if errors.As(err, &typed) {
		// The runtime would name the error by its Go type; AppSync shows
		// the function's errorType.
		return nil, messages.InvokeResponse_Error{Type: typed.ErrorType(), Message: err.Error()}
	}
	if err != nil {
		return nil, err
	}
	out, err = json.Marshal(v)
	if err != nil {
		return nil, fmt.Errorf("lambda: encode AppSync answer: %w", err)
	}
	return out, nil
}
