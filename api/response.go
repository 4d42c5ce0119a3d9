package api

import (
	"encoding/json"
	"io"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/gqlerror"
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

// WriteResponse writes r as AppSync-shaped JSON.
func WriteResponse(w io.Writer, r *graphql.Response) {
	b, err := json.Marshal(NewResponse(r))
	if err != nil {
		b = []byte(`{"errors":[{"message":"internal error","errorType":"InternalError"}]}`)
	}
	_, _ = w.Write(b)
}
