package api

import (
	"testing"

	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/parser"
)

// TestLoneRootField: only a document whose operation selects at most one
// root field besides __typename, and no fragment, counts as lone (its
// loads then read at once instead of waiting for a batch).
func TestLoneRootField(t *testing.T) {
	tests := []struct {
		name, query string
		want        bool
	}{
		{"one field", `{ me { id } }`, true},
		{"one field and __typename", `{ __typename agenda(userId: "u", date: "2026-03-30") { startsAt } }`, true},
		{"only __typename", `{ __typename }`, true},
		{"two fields", `{ me { id } user(id: "u") { id } }`, false},
		{"aliases of one field", `{ a: user(id: "a") { id } b: user(id: "b") { id } }`, false},
		{"inline fragment", `{ ... on Query { me { id } } }`, false},
		{"fragment spread", `query { ...F } fragment F on Query { me { id } }`, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			doc, err := parser.ParseQuery(&ast.Source{Input: tc.query})
			if err != nil {
				t.Fatal(err)
			}
			if got := loneRootField(doc.Operations[0].SelectionSet); got != tc.want {
				t.Errorf("loneRootField = %v, want %v", got, tc.want)
			}
		})
	}
}
