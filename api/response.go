package api

import (
	"encoding/json"
	"io"
	"net/http"

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

// WriteHTTP writes r as the whole HTTP response: Content-Type m (with
// charset=utf-8), Vary: Accept (the media type depends on it), status, and
// the body WriteResponse writes.
func WriteHTTP(w http.ResponseWriter, m MediaType, status int, r *graphql.Response) {
	h := w.Header()
	h.Set("Content-Type", m.ContentType())
	h.Add("Vary", "Accept")
	w.WriteHeader(status)
	WriteResponse(w, r)
}

// WriteResponse writes r as AppSync-shaped JSON. The data, already JSON
// written by gqlgen, is copied as is (json.Marshal would re-validate and
// compact it, a measurable cost on every request).
func WriteResponse(w io.Writer, r *graphql.Response) {
	out := NewResponse(r)
	data := out.Data
	out.Data = nil
	rest, err := json.Marshal(out)
	if err != nil {
		_, _ = w.Write([]byte(`{"errors":[{"message":"internal error","errorType":"InternalError"}]}`))
		return
	}
	if len(data) == 0 {
		_, _ = w.Write(rest)
		return
	}
	buf := make([]byte, 0, len(data)+len(rest)+10)
	buf = append(buf, `{"data":`...)
	buf = append(buf, data...)
	if len(rest) > 2 { // rest is {} or {"errors":...,...}
		buf = append(buf, ',')
		buf = append(buf, rest[1:]...)
	} else {
		buf = append(buf, '}')
	}
	_, _ = w.Write(buf)
}
