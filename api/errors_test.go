package api

import (
	"context"
	"errors"
	"fmt"
	"testing"

	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/gqlerror"

	"github.com/dayline/dayline/domain"
	"github.com/dayline/dayline/scalars"
)

func TestClassify(t *testing.T) {
	var date scalars.Date
	scalarErr := date.UnmarshalGQL("2023-02-30")
	if scalarErr == nil {
		t.Fatal("2023-02-30 must be rejected")
	}
	wrap := func(err error) error { return gqlerror.WrapPath(ast.Path{ast.PathName("f")}, err) }
	tests := []struct {
		name string
		err  error
		want domain.Code
	}{
		{"domain error", domain.NotFound("user", "x"), domain.CodeNotFound},
		{"domain error wrapped by gqlgen", wrap(fmt.Errorf("load: %w", domain.Conflict("schedule", "s"))), domain.CodeConflict},
		{"scalar input error wrapped by gqlgen", wrap(scalarErr), domain.CodeBadRequest},
		{"gqlgen's own request error", gqlerror.Errorf("Cannot query field \"x\" on type \"Query\"."), domain.CodeBadRequest},
		{"unexpected error wrapped by gqlgen", wrap(errors.New("dial tcp 10.0.0.7: refused")), domain.CodeInternal},
		{"unexpected bare error", errors.New("boom"), domain.CodeInternal},
		{"deadline", wrap(fmt.Errorf("get users: %w", context.DeadlineExceeded)), domain.CodeUnavailable},
		{"unavailable", wrap(errors.Join(domain.Errorf(domain.CodeUnavailable, "database unavailable"), errors.New("cause"))), domain.CodeUnavailable},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := classify(tc.err); got != tc.want {
				t.Errorf("classify(%v) = %s, want %s", tc.err, got, tc.want)
			}
		})
	}
}
