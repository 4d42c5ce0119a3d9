package api

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2"
	"github.com/vektah/gqlparser/v2/gqlerror"

	"github.com/dayline/dayline/domain"
	"github.com/dayline/dayline/graph"
)

// TestEveryListIsCharged: every field returning a list of objects has a
// bound in listBounds.
func TestEveryListIsCharged(t *testing.T) {
	schema := graph.NewExecutableSchema(graph.Config{}).Schema()
	if missing := unbounded(schema); len(missing) > 0 {
		t.Errorf("lists without a bound in listBounds: %v", missing)
	}
}

// TestShapeWorkIsLinear: a fragment fan-out that expands to 2^60 fields is
// refused after visiting each written selection once.
func TestShapeWorkIsLinear(t *testing.T) {
	var b strings.Builder
	b.WriteString("{ me { ...F0 } }\n")
	const levels = 60
	for i := range levels {
		fmt.Fprintf(&b, "fragment F%d on User { ...F%d ...F%d }\n", i, i+1, i+1)
	}
	fmt.Fprintf(&b, "fragment F%d on User { id }\n", levels)
	work, err := CheckShape(context.Background(), b.String(), Limits{MaxTokens: 1 << 20})
	if err == nil || !strings.Contains(err.Message, "the limit is 200") {
		t.Fatalf("want the merged selection set limit, got %v", err)
	}
	// me, ...F0, two spreads per fragment, id.
	if want := 2 + 2*levels + 1; work.Selections > want {
		t.Errorf("visited %d selections, want at most %d", work.Selections, want)
	}
}

// TestShapeStopsWhenContextEnds: an ended context refuses the document
// without walking it.
func TestShapeStopsWhenContextEnds(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	s := newShapeLimit(DefaultLimits)
	err := s.MutateOperationParameters(ctx, rawParams("{ me { id } }"))
	if err == nil || domain.ErrorCode(err.Err) != domain.CodeUnavailable {
		t.Fatalf("want ServiceUnavailable, got %v", err)
	}
	// A long walk looks at the context as it goes.
	query := "{ me { " + strings.Repeat("... on User { id } ", 150) + "} }"
	w, gqlErr := CheckShape(ctx, query, DefaultLimits)
	if gqlErr == nil || domain.ErrorCode(gqlErr.Err) != domain.CodeUnavailable || w.Selections > ctxCheckEvery {
		t.Fatalf("want ServiceUnavailable after at most %d selections, got %v after %d", ctxCheckEvery, gqlErr, w.Selections)
	}
}

// TestIntrospectionCostIsExact: introspection costs the fields its answer
// holds, counted on the schema itself.
func TestIntrospectionCostIsExact(t *testing.T) {
	schema := graph.NewExecutableSchema(graph.Config{}).Schema()
	c := newCostLimit(schema, DefaultLimits.MaxComplexity)
	types := c.intro.Types()
	fields := 0
	for _, ty := range types {
		fields += len(ty.Fields(false))
	}
	cases := []struct {
		query string
		want  int
	}{
		{"{ __schema { types { name } } }", 1 + 1 + len(types)},
		{"{ __schema { types { name fields { name } } } }", 1 + 1 + 2*len(types) + fields},
		{"{ __schema { types { ...T } } } fragment T on __Type { name }", 1 + 1 + len(types)},
		{`{ __type(name: "Weekday") { enumValues { name } } }`, 1 + 1 + 7},
		{`{ __type(name: "Nope") { name } }`, 1},
	}
	for _, tc := range cases {
		t.Run(tc.query, func(t *testing.T) {
			doc, errs := gqlparser.LoadQuery(schema, tc.query)
			if errs != nil {
				t.Fatal(errs)
			}
			got, _, gqlErr := c.Cost(context.Background(), doc.Operations[0], nil)
			if gqlErr != nil || got != tc.want {
				t.Errorf("cost %d (%v), want %d", got, gqlErr, tc.want)
			}
		})
	}
}

// TestListCost: lists cost their bound times their selection.
func TestListCost(t *testing.T) {
	schema := graph.NewExecutableSchema(graph.Config{}).Schema()
	c := newCostLimit(schema, DefaultLimits.MaxComplexity)
	agenda := domain.MaxSchedulesPerOwner * domain.MaxTasksPerSchedule
	cases := []struct {
		query string
		vars  map[string]any
		want  int
	}{
		{"{ me { id name } }", nil, 3},
		{`{ listMembers(organisationId: "a") { items { id } } }`, nil, 1 + domain.DefaultPageLimit*(1+1)},
		{`query($n: Int) { listMembers(organisationId: "a", limit: $n) { items { id } nextToken } }`, map[string]any{"n": int64(7)}, 1 + 7*(1+1+1)},
		{`{ me { schedules { tasks { title } } } }`, nil, 1 + (1 + domain.MaxSchedulesPerOwner*(1+domain.MaxTasksPerSchedule*1))},
		{`{ agenda(userId: "u", date: "2026-03-30") { startsAt } }`, nil, 1 + agenda},
	}
	for _, tc := range cases {
		t.Run(tc.query, func(t *testing.T) {
			doc, errs := gqlparser.LoadQuery(schema, tc.query)
			if errs != nil {
				t.Fatal(errs)
			}
			got, _, gqlErr := c.Cost(context.Background(), doc.Operations[0], tc.vars)
			if gqlErr != nil || got != tc.want {
				t.Errorf("cost %d (%v), want %d", got, gqlErr, tc.want)
			}
		})
	}
}

// TestBudgetStopsFields (each field here adds its 4 bytes of punctuation): once a response's budget is spent, or its context
// has ended, no further field runs.
func TestBudgetStopsFields(t *testing.T) {
	b := &responseBudget{max: 3, present: func(_ context.Context, err error) *gqlerror.Error { return &gqlerror.Error{Message: err.Error()} }}
	oc := &graphql.OperationContext{ResolverMiddleware: resolve}
	if err := b.MutateOperationContext(context.Background(), oc); err != nil {
		t.Fatal(err)
	}
	ran := 0
	resp := b.InterceptResponse(graphql.WithOperationContext(context.Background(), oc), func(ctx context.Context) *graphqlResponse {
		for range 5 {
			_, _ = oc.ResolverMiddleware(ctx, func(context.Context) (any, error) { ran++; return "0123456789", nil })
		}
		return &graphqlResponse{}
	})
	if ran != 1 {
		t.Errorf("%d fields ran, want 1 (the one that spent the budget)", ran)
	}
	if resp == nil || len(resp.Errors) != 1 || !strings.Contains(resp.Errors[0].Message, "larger than 3 bytes") {
		t.Errorf("want one error, got %+v", resp)
	}
}

type graphqlResponse = graphql.Response

// resolve is the field middleware that only resolves.
func resolve(ctx context.Context, next graphql.Resolver) (any, error) { return next(ctx) }

func rawParams(q string) *graphql.RawParams { return &graphql.RawParams{Query: q} }

// TestEndedRequestIsUnavailable: a request whose context has ended before
// its document is checked answers 503 ServiceUnavailable, not 400.
func TestEndedRequestIsUnavailable(t *testing.T) {
	h := New(Config{Now: time.Now, NewID: func() string { return "id" }})
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	req := httptest.NewRequestWithContext(ctx, http.MethodPost, "/graphql", strings.NewReader(`{"query":"{ me { id } }"}`))
	req.Header.Set("Content-Type", "application/json")
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	var body struct {
		Errors []Error `json:"errors"`
	}
	if err := json.Unmarshal(rec.Body.Bytes(), &body); err != nil {
		t.Fatal(err)
	}
	if rec.Code != http.StatusServiceUnavailable || len(body.Errors) != 1 || body.Errors[0].ErrorType != "ServiceUnavailable" {
		t.Errorf("got %d %s", rec.Code, rec.Body)
	}
}
