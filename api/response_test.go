package api

import (
	"bytes"
	"encoding/json"
	"testing"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/gqlerror"
)

func TestWriteResponse(t *testing.T) {
	tests := []struct {
		name string
		in   *graphql.Response
		want string
	}{
		{"data only", &graphql.Response{Data: json.RawMessage(`{"me":{"id":"u"}}`)},
			`{"data":{"me":{"id":"u"}}}`},
		{"null data with error", &graphql.Response{Data: json.RawMessage(`null`), Errors: gqlerror.List{{
			Message: "Not Authorized to access email on type User", Path: ast.Path{ast.PathName("me"), ast.PathName("email")},
			Locations: []gqlerror.Location{{Line: 1, Column: 6}}, Extensions: map[string]any{"code": "Unauthorized"}}}},
			`{"data":null,"errors":[{"message":"Not Authorized to access email on type User","errorType":"Unauthorized","path":["me","email"],"locations":[{"line":1,"column":6}],"extensions":{"code":"Unauthorized"}}]}`},
		{"errors without data", &graphql.Response{Errors: gqlerror.List{{Message: "bad", Extensions: map[string]any{"code": "BadRequest"}}}},
			`{"errors":[{"message":"bad","errorType":"BadRequest","extensions":{"code":"BadRequest"}}]}`},
		{"data and extensions", &graphql.Response{Data: json.RawMessage(`{}`), Extensions: map[string]any{"storeUsage": 3}},
			`{"data":{},"extensions":{"storeUsage":3}}`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var buf bytes.Buffer
			WriteResponse(&buf, tc.in)
			if buf.String() != tc.want {
				t.Errorf("got  %s\nwant %s", buf.String(), tc.want)
			}
			if !json.Valid(buf.Bytes()) {
				t.Errorf("invalid JSON: %s", buf.String())
			}
		})
	}
}
