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

// presentError is the one mapping from errors to GraphQL errors:
//   - a *domain.Error keeps its client-safe message; its code becomes
//     extensions.code and, in the response, the top-level errorType;
//   - an error gqlgen raised about the request itself (parse, validation,
//     argument coercion, bad scalar values) is a BadRequest;
//   - anything else is internal: logged with the request id, and the client
//     sees only "internal error" and that id.
func presentError(logger *slog.Logger) graphql.ErrorPresenterFunc {
	return func(ctx context.Context, err error) *gqlerror.Error {
		gqlErr := graphql.DefaultErrorPresenter(ctx, err)
		code := classify(err)
		switch code {
		case domain.CodeInternal:
			rid := RequestID(ctx)
			logger.ErrorContext(ctx, "internal error", "request_id", rid, "path", gqlErr.Path.String(), "error", err)
			gqlErr.Message = internalMessage(rid)
		case domain.CodeBadRequest, domain.CodeConflict, domain.CodeNotFound, domain.CodeUnauthorized, domain.CodeUnavailable:
			if msg := domain.ErrorMessage(err); msg != "" {
				gqlErr.Message = msg
			} else if code == domain.CodeUnavailable {
				gqlErr.Message = msgCancelled
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

// msgCancelled is the message for a request whose context ended.
const msgCancelled = "the request timed out or was cancelled: try again"

func internalMessage(requestID string) string {
	if requestID == "" {
		return "internal error"
	}
	return fmt.Sprintf("internal error (request id %s)", requestID)
}

// recoverPanic turns a panic in a resolver into an internal error: logged
// with its stack and the request id, never shown to the client.
func recoverPanic(logger *slog.Logger) graphql.RecoverFunc {
	return func(ctx context.Context, p any) error {
		logger.ErrorContext(ctx, "panic in resolver", "request_id", RequestID(ctx), "panic", fmt.Sprint(p), "stack", string(debug.Stack()))
		return errInternal
	}
}

var errInternal = errors.New("recovered panic")
