package api

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"runtime/debug"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/gqlerror"

	"github.com/dayline/dayline/domain"
	"github.com/dayline/dayline/scalars"
)

// Client-facing messages of the errors this package raises itself, each
// defined once (the limits' messages are where each limit is checked;
// domain errors carry their own).
const (
	msgInternal      = "internal error"
	msgCancelled     = "the request timed out or was cancelled: try again"
	msgUnauthorized  = "Unauthorized: " // followed by the client-safe reason
	msgNotAcceptable = "responses are application/graphql-response+json or application/json: allow one of them in Accept"
	msgWebSocket     = "a WebSocket starts with a GET upgrade request (graphql-transport-ws or graphql-ws), on the standalone server"
	msgContentType   = "send GraphQL requests as POST with Content-Type: application/json (UTF-8)"
	msgMethod        = "method %s is not allowed: use POST (or GET for queries)"
	msgGetMutation   = "GET accepts queries only: send mutations with POST"
	msgQueryString   = "the query string could not be parsed"
	msgVariables     = "variables must be a JSON object"
	msgBodyTooLarge  = "request body is too large"
	msgBodyUnread    = "request body could not be read"
	msgBodyNotJSON   = "request body is not valid JSON: want {\"query\": ..., \"variables\": {...}}"
	msgBodyTwoValues = "request body holds more than one JSON value"
	msgNoRoute       = "nothing is served at %s: GraphQL is at /graphql"
	msgRouteMethod   = "method %s is not allowed on %s"
)

// codeUnauthenticated is the errorType of a request refused for its token
// (HTTP 401), as AppSync names it. Field-level refusals are
// domain.CodeUnauthorized.
const codeUnauthenticated = "UnauthorizedException"

// presentError is the one mapping from errors to GraphQL errors:
//   - a *domain.Error keeps its client-safe message; its code becomes
//     extensions.code and, in the response, the top-level errorType;
//   - an error gqlgen raised about the request itself (parse, validation,
//     argument coercion, bad scalar values) is a BadRequest;
//   - an ended request context is a ServiceUnavailable (see unavailable);
//   - anything else, a recovered panic included, is internal: logged once
//     with the request id (see reportInternal), and the client sees only
//     "internal error" and that id.
func presentError(logger *slog.Logger) graphql.ErrorPresenterFunc {
	return func(ctx context.Context, err error) *gqlerror.Error {
		gqlErr := graphql.DefaultErrorPresenter(ctx, err)
		code := classify(err)
		if code == domain.CodeUnavailable && ctx.Err() != nil && sessionFrom(ctx).tokenExpired() {
			// Cut short because its connection's token expired (the
			// session ends the connection): say so, as the subscriptions
			// that were running when it expired do.
			gqlErr.Message, gqlErr.Err = msgTokenExpired, nil
			gqlErr.Extensions = map[string]any{"code": codeUnauthenticated}
			return gqlErr
		}
		switch code {
		case domain.CodeInternal:
			gqlErr.Message = reportInternal(ctx, logger, err, slog.String("path", gqlErr.Path.String()))
		case domain.CodeBadRequest, domain.CodeConflict, domain.CodeNotFound, domain.CodeUnauthorized, domain.CodeUnavailable:
			if msg := domain.ErrorMessage(err); msg != "" {
				gqlErr.Message = msg
			} else if code == domain.CodeUnavailable {
				gqlErr.Message = unavailable().Message
			}
		}
		gqlErr.Err = nil
		if gqlErr.Extensions == nil {
			gqlErr.Extensions = map[string]any{}
		}
		gqlErr.Extensions["code"] = string(code)
		return gqlErr
	}
}

// classify returns the code for err (see presentError). gqlgen wraps every
// error in a *gqlerror.Error on its way to the presenter, so the wrapper
// says nothing; what it wraps does: a domain error carries its code, an
// invalid AWS scalar input is a BadRequest, and a *gqlerror.Error wrapping
// nothing was raised by gqlgen itself about the request (parse, validation,
// coercion). Everything else is internal.
func classify(err error) domain.Code {
	var de *domain.Error
	if errors.As(err, &de) {
		return de.Code
	}
	if errors.Is(err, context.DeadlineExceeded) || errors.Is(err, context.Canceled) {
		return domain.CodeUnavailable // the request's deadline passed, or its client left
	}
	if scalars.IsInputError(err) {
		return domain.CodeBadRequest
	}
	var gqlErr *gqlerror.Error
	if errors.As(err, &gqlErr) && gqlErr.Err == nil {
		return domain.CodeBadRequest
	}
	return domain.CodeInternal
}

// unavailable is the ServiceUnavailable error for a request whose context
// ended (client gone, deadline passed): the one place this package builds
// one.
func unavailable() *domain.Error {
	return domain.Unavailable(msgCancelled)
}

// reportInternal logs an internal error, the one log record it gets, with
// the request id, attrs and, for a recovered panic, the panic's value and
// stack; an error already logged in this response (firstReport) is not
// logged again. It returns the message the client sees (internalMessage).
func reportInternal(ctx context.Context, logger *slog.Logger, err error, attrs ...slog.Attr) string {
	rid := RequestID(ctx)
	if !firstReport(ctx, err) {
		return internalMessage(rid)
	}
	attrs = append([]slog.Attr{slog.String("request_id", rid)}, attrs...)
	var p *panicError
	if errors.As(err, &p) {
		attrs = append(attrs, slog.String("panic", fmt.Sprint(p.value)), slog.String("stack", string(p.stack)))
	} else {
		attrs = append(attrs, slog.Any("error", err))
	}
	logger.LogAttrs(ctx, slog.LevelError, msgInternal, attrs...)
	return internalMessage(rid)
}

// internalMessage is what a client sees of an internal error: the one
// place "internal error (request id …)" is formatted.
func internalMessage(requestID string) string {
	if requestID == "" {
		return msgInternal
	}
	return fmt.Sprintf("%s (request id %s)", msgInternal, requestID)
}

// panicError is a recovered panic on its way to reportInternal, which logs
// it (once).
type panicError struct {
	value any
	stack []byte
}

func (e *panicError) Error() string { return fmt.Sprintf("panic: %v", e.value) }

// recoverPanic turns a panic in a resolver into an internal error; the
// error presenter logs it (see reportInternal) and the client sees only
// the request id.
func recoverPanic(ctx context.Context, p any) error {
	return &panicError{value: p, stack: debug.Stack()}
}
