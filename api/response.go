package api

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"runtime/debug"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/gqlerror"

	"github.com/dayline/dayline/domain"
)

// Error is a GraphQL error in AppSync's shape: errorType at the top level
// (what AppSync clients read) and extensions.code (what other clients read).
type Error struct {
	Message    string              `json:"message"`
	ErrorType  string              `json:"errorType,omitempty"`
	Path       ast.Path            `json:"path,omitempty"`
	Locations  []gqlerror.Location `json:"locations,omitempty"`
	Extensions map[string]any      `json:"extensions,omitempty"`
}

// Response is a GraphQL response with AppSync-shaped errors.
type Response struct {
	Data       json.RawMessage `json:"data,omitempty"`
	Errors     []Error         `json:"errors,omitempty"`
	Extensions map[string]any  `json:"extensions,omitempty"`
}

// NewResponse converts gqlgen's response into AppSync's shape.
func NewResponse(r *graphql.Response) Response {
	out := Response{Data: r.Data, Extensions: r.Extensions}
	for _, e := range r.Errors {
		code, _ := e.Extensions["code"].(string)
		out.Errors = append(out.Errors, Error{
			Message: e.Message, ErrorType: code, Path: e.Path, Locations: e.Locations, Extensions: e.Extensions,
		})
	}
	return out
}

// Every error body Dayline answers over HTTP is a Response written by
// WriteResponse: GraphQL responses (WriteHTTP: field errors, and the 400,
// 405, 406, 413, 415 and 503 of refused requests), the 401 of a refused
// token (WriteUnauthorized) and the 500 of a panic outside the GraphQL
// executor (WritePanic), and the 404 and 405 of paths no route serves
// (WriteNoRoute). Each error carries its code twice: errorType
// (AppSync clients) and extensions.code (other clients).

// WriteHTTP writes r as the whole HTTP response: Content-Type m (with
// charset=utf-8), Vary: Accept (the media type depends on it), status, and
// the body WriteResponse writes.
func WriteHTTP(w http.ResponseWriter, m MediaType, status int, r *graphql.Response) {
	w.Header().Add("Vary", "Accept")
	writeBody(w, m, status, r)
}

// WriteUnauthorized writes the 401 of a request whose token is missing or
// refused: one UnauthorizedException error whose message is
// "Unauthorized: " and reason, which must be client-safe (auth.ReasonOf).
func WriteUnauthorized(w http.ResponseWriter, reason string) {
	writeBody(w, MediaJSON, http.StatusUnauthorized, &graphql.Response{
		Errors: gqlerror.List{newError(codeUnauthenticated, msgUnauthorized+reason)},
	})
}

// WritePanic logs p, a panic recovered outside the GraphQL executor, once
// with its stack and the request id of ctx, and writes a 500 whose one
// InternalError names only that request id.
func WritePanic(ctx context.Context, w http.ResponseWriter, logger *slog.Logger, p any) {
	msg := reportInternal(ctx, logger, &panicError{value: p, stack: debug.Stack()})
	writeBody(w, MediaJSON, http.StatusInternalServerError, &graphql.Response{
		Errors: gqlerror.List{newError(string(domain.CodeInternal), msg)},
	})
}

// WriteNoRoute writes the answer to a request no route serves: status 404
// (NotFound: no such path) or 405 (BadRequest: the path is served, the
// method is not; the caller sets Allow), with one error naming the method
// and path.
func WriteNoRoute(w http.ResponseWriter, status int, method, path string) {
	code, msg := domain.CodeNotFound, fmt.Sprintf(msgNoRoute, path)
	if status == http.StatusMethodNotAllowed {
		code, msg = domain.CodeBadRequest, fmt.Sprintf(msgRouteMethod, method, path)
	}
	writeBody(w, MediaJSON, status, &graphql.Response{
		Errors: gqlerror.List{newError(string(code), msg)},
	})
}

// writeBody writes Content-Type m (with charset=utf-8), status, and r as
// WriteResponse writes it.
func writeBody(w http.ResponseWriter, m MediaType, status int, r *graphql.Response) {
	w.Header().Set("Content-Type", m.ContentType())
	w.WriteHeader(status)
	WriteResponse(w, r)
}

// newError is an error with the given code and client-safe message, as the
// error presenter would present it.
func newError(code, msg string) *gqlerror.Error {
	return &gqlerror.Error{Message: msg, Extensions: map[string]any{"code": code}}
}

// fallbackBody is written when a response cannot be encoded.
var fallbackBody = func() []byte {
	b, err := json.Marshal(NewResponse(&graphql.Response{
		Errors: gqlerror.List{newError(string(domain.CodeInternal), msgInternal)},
	}))
	if err != nil {
		panic(err) // plain strings always encode
	}
	return b
}()

// WriteResponse writes r as AppSync-shaped JSON. The data, already JSON
// written by gqlgen, is written as is (json.Marshal would re-validate and
// compact it, a measurable cost on every request), straight to w rather
// than copied into one buffer first: w (an http.ResponseWriter) buffers.
func WriteResponse(w io.Writer, r *graphql.Response) {
	out := NewResponse(r)
	data := out.Data
	out.Data = nil
	rest, err := json.Marshal(out)
	if err != nil {
		_, _ = w.Write(fallbackBody)
		return
	}
	if len(data) == 0 {
		_, _ = w.Write(rest)
		return
	}
	_, _ = io.WriteString(w, `{"data":`)
	_, _ = w.Write(data)
	if len(rest) > 2 { // rest is {} or {"errors":...,...}
		_, _ = io.WriteString(w, ",")
		_, _ = w.Write(rest[1:])
	} else {
		_, _ = io.WriteString(w, "}")
	}
}
