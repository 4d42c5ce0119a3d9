package e2e_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/lexer"

	"github.com/dayline/dayline/api"
	"github.com/dayline/dayline/domain"
	"github.com/dayline/dayline/server"
	"github.com/dayline/dayline/store"
	"github.com/dayline/dayline/store/storetest"
)

// hostileCase is one document an attacker with a Member's (or anyone's)
// token might send.
type hostileCase struct {
	name   string
	limits api.Limits // zero fields: the defaults
	user   string
	query  string
	// refused: the answer is 400 with a BadRequest error whose message
	// holds want, no data, and no store read happened. Otherwise the
	// answer is 200 without errors.
	refused bool
	want    string
}

// TestHostileDocuments: every document over a limit is refused before it
// runs (no store read), with 400 and a message naming the limit, after an
// amount of work bounded by the document (counted by api.CheckShape, the
// check the handler runs); documents just within every limit run.
func TestHostileDocuments(t *testing.T) {
	d := api.DefaultLimits
	completeTask := func(i int) string {
		return fmt.Sprintf(`t%d: completeTask(taskId: "a-member-1-task-1", date: "%s") { completed } `, i, testDay)
	}
	cases := []hostileCase{
		// Aliases.
		{name: "1,000 aliases of me", user: "a-member-1", query: "{ " + repeat(1000, func(i int) string { return fmt.Sprintf("a%d: me { id } ", i) }) + "}",
			refused: true, want: "the limit is 5000 tokens"},
		{name: "101 aliases (limit 100)", user: "a-member-1", query: "{ " + repeat(101, func(i int) string { return fmt.Sprintf("a%d: me { id } ", i) }) + "}",
			refused: true, want: "more than 100 aliases"},
		{name: "100 aliases (limit 100)", user: "a-member-1", query: "{ " + repeat(100, func(i int) string { return fmt.Sprintf("a%d: me { id } ", i) }) + "}"},
		// Mutations.
		{name: "1,000 completeTask", user: "a-member-1", query: "mutation { " + repeat(1000, completeTask) + "}",
			refused: true, want: "the limit is 5000 tokens"},
		{name: "11 completeTask (limit 10)", user: "a-member-1", query: "mutation { " + repeat(11, completeTask) + "}",
			refused: true, want: "at most 10 fields"},
		{name: "10 completeTask (limit 10)", user: "a-member-1", query: "mutation { " + repeat(10, completeTask) + "}"},
		// Depth.
		{name: "30 levels padded past the token cap", user: "a-member-1", query: padTokens(t, nested(30), d.MaxTokens+500),
			refused: true, want: "the limit is 5000 tokens"},
		{name: "30 levels", user: "a-member-1", query: nested(30), refused: true, want: "the limit is 15"},
		{name: "16 levels (limit 15)", user: "a-caregiver", query: nested(16), refused: true, want: "16 levels deep; the limit is 15"},
		{name: "15 levels (limit 15)", user: "a-caregiver", query: nested(15)},
		// Tokens.
		{name: "5,001 tokens (limit 5,000)", user: "a-member-1", query: padTokens(t, "query Main { me { id } }", d.MaxTokens+1),
			refused: true, want: "the limit is 5000 tokens"},
		{name: "5,000 tokens (limit 5,000)", user: "a-member-1", query: padTokens(t, "query Main { me { id } }", d.MaxTokens)},
		// Fields.
		{name: "201 fields in one selection set (limit 200)", user: "a-member-1", query: "{ me { " + strings.Repeat("id ", 201) + "} }",
			refused: true, want: "the limit is 200"},
		{name: "6 fields in one selection set (limit 5)", limits: api.Limits{MaxSelectionFields: 5}, user: "a-member-1", query: "{ me { id name role version createdAt updatedAt } }",
			refused: true, want: "the limit is 5"},
		{name: "5 fields in one selection set (limit 5)", limits: api.Limits{MaxSelectionFields: 5}, user: "a-member-1", query: "{ me { id name role version createdAt } }"},
		{name: "one field 21 times at one place (limit 20)", user: "a-member-1", query: "{ me { ...A ...B } } fragment A on User { " + strings.Repeat("id ", 10) + "} fragment B on User { " + strings.Repeat("id ", 11) + "}",
			refused: true, want: `"id" is selected more than 20 times`},
		{name: "one field 20 times at one place (limit 20)", user: "a-member-1", query: "{ me { ...A ...B } } fragment A on User { " + strings.Repeat("id ", 10) + "} fragment B on User { " + strings.Repeat("id ", 10) + "}"},
		{name: "same-named fields whose selections merge (45 × 90)", user: "a-member-1",
			query: "{ me { " + strings.Repeat("organisation { name "+strings.Repeat("... on Organisation { name } ", 2)+"} ", 45) + "} }", refused: true, want: `is selected more than 20 times`},
		{name: "fragment fan-out, 21 levels", user: "a-member-1", query: fragmentFanOut(21), refused: true, want: "with its fragments merged; the limit is 200"},
		{name: "fragment fan-out padded past the token cap", user: "a-member-1", query: padTokens(t, fragmentFanOut(60), d.MaxTokens+100),
			refused: true, want: "the limit is 5000 tokens"},
		{name: "fragment fan-out, 5 levels (32 times id)", user: "a-member-1", query: fragmentFanOut(5), refused: true, want: `"id" is selected more than 20 times`},
		{name: "fragment fan-out, 4 levels (16 times id)", user: "a-member-1", query: fragmentFanOut(4)},
		{name: "expanded selections 12 (limit 11)", limits: api.Limits{MaxExpandedFields: 11}, user: "a-caregiver",
			query: "{ me { ...F } } fragment F on User { id name role version createdAt updatedAt organisationId email phone __typename }", refused: true, want: "more than 11 selections"},
		{name: "expanded selections 11 (limit 11)", limits: api.Limits{MaxExpandedFields: 11}, user: "a-caregiver",
			query: "{ me { ...F } } fragment F on User { id name role version createdAt updatedAt organisationId email phone }"},
		{name: "inline fragments merging 4,750 fields into one set", user: "a-member-1",
			query: "{ me { " + strings.Repeat("... on User { "+strings.Repeat("id ", 190)+"} ", 25) + "} }", refused: true, want: "with its fragments merged; the limit is 200"},
		{name: "201 fields merged from two fragments (limit 200)", user: "a-member-1",
			query:   "{ me { ...A ...B } } fragment A on User { " + strings.Repeat("id ", 100) + "} fragment B on User { " + strings.Repeat("name ", 101) + "}",
			refused: true, want: "holds 201 fields with its fragments merged"},
		// Fan-outs that expand to nothing: some validation rules follow
		// every spread path before refusing an unknown fragment or a cycle,
		// so the shape check refuses both first.
		{name: "fan-out into an unknown fragment inside introspection", user: "a-member-1", query: fanOutInto(40, "__Type", "...Missing", "{ __schema { types { ...F0 } } }"),
			refused: true, want: `Unknown fragment "Missing"`},
		{name: "fan-out into a cycle inside introspection", user: "a-member-1", query: fanOutInto(40, "__Type", "...F0", "{ __schema { types { ...F0 } } }"),
			refused: true, want: `Cannot spread fragment "F0" within itself`},
		// Fragment cycles: the shape check refuses them.
		{name: "fragment cycle", user: "a-member-1", query: "{ me { ...A } } fragment A on User { id ...B } fragment B on User { name ...A }",
			refused: true, want: "Cannot spread fragment"},
		{name: "fragment cycle inside introspection", user: "a-caregiver", query: "{ __schema { types { ...R } } } fragment R on __Type { name ofType { ...R } }",
			refused: true, want: "Cannot spread fragment"},
		// Introspection.
		{name: "aliased __schema", user: "a-caregiver", query: "{ a: __schema { types { name } } b: __schema { types { name } } }",
			refused: true, want: "allows no aliases"},
		{name: "__schema twice", user: "a-caregiver", query: "{ __schema { types { name } } ...Q } fragment Q on Query { __schema { types { name } } }",
			refused: true, want: "at most once"},
		{name: "aliases inside __schema", user: "a-caregiver", query: "{ __schema { a: types { name } b: types { name } } }",
			refused: true, want: "allows no aliases"},
		{name: "aliases in a fragment inside __schema", user: "a-caregiver", query: "{ __schema { types { ...T } } } fragment T on __Type { a: fields { name } b: fields { name } }",
			refused: true, want: "allows no aliases"},
		{name: "introspection deeper than the limit", limits: api.Limits{MaxDepth: 4}, user: "a-caregiver",
			query: "{ __schema { types { fields { type { name } } } } }", refused: true, want: "the limit is 4"},
		{name: "introspection costlier than the limit", limits: api.Limits{MaxComplexity: 100}, user: "a-caregiver",
			query: "{ __schema { types { name fields { name } } } }", refused: true, want: "the limit is 100"},
		{name: "GraphiQL's introspection query", user: "a-caregiver", query: readTestdata(t, "introspection-graphiql.graphql")},
		{name: "Apollo's introspection query", user: "a-caregiver", query: readTestdata(t, "introspection-apollo.graphql")},
		// Complexity.
		{name: "README's dashboard", user: "a-caregiver", query: `{ me { organisation { name members(limit: 50) {
			items { id name email phone agenda(date: "2026-03-30") { startsAt completed task { title } } } nextToken } } } }`},
		{name: "README's watch agenda", user: "a-member-1", query: `{ agenda(userId: "a-member-1", date: "2026-03-30") {
			startsAt endsAt completed task { id title icon durationMinutes } } }`},
		{name: "100 members with agendas and schedules", user: "a-caregiver", query: `{ listMembers(organisationId: "a", limit: 100) {
			items { agenda(date: "2026-03-30") { startsAt endsAt completed task { title notes } } schedules { tasks { title } } } } }`, refused: true, want: "the limit is 500000"},
		{name: "complexity 4 (limit 3)", limits: api.Limits{MaxComplexity: 3}, user: "a-member-1", query: "{ me { id name role } }", refused: true, want: "query costs 4; the limit is 3"},
		{name: "complexity 3 (limit 3)", limits: api.Limits{MaxComplexity: 3}, user: "a-member-1", query: "{ me { id name } }"},
	}
	forEachStore(t, func(t *testing.T, open opener) {
		for _, tc := range cases {
			t.Run(tc.name, func(t *testing.T) {
				var counter *storetest.Counting
				e := newEnv(t, func(t testing.TB) store.Store {
					counter = &storetest.Counting{Store: open(t)}
					return counter
				}, func(a *api.Config, s *server.Config) {
					a.Limits = tc.limits
					s.MaxBodyBytes = 1 << 20 // the limits under test, not the body limit
				})
				tok := e.token(tc.user)
				counter.Reset()
				body := map[string]any{"query": tc.query}
				if strings.Contains(tc.query, "query Main") {
					body["operationName"] = "Main"
				}
				r := e.postBody(tok, body)
				work, _ := api.CheckShape(context.Background(), tc.query, tc.limits)
				// Each written selection once, then each expanded one once
				// (only once the expansion is known to be within its limit).
				if work.Tokens > d.MaxTokens+1 || work.Selections > work.Tokens+d.MaxExpandedFields {
					t.Errorf("shape check did %+v for a document of %d tokens or more", work, work.Tokens)
				}
				msg := ""
				if len(r.Errors) > 0 {
					msg = r.Errors[0].Message
				}
				t.Logf("%d-byte document: answered %d (%d bytes) %q; shape check read %d tokens, visited %d selections; %d store reads",
					len(tc.query), r.Status, len(r.Raw), msg, work.Tokens, work.Selections, counter.Calls())
				if !tc.refused {
					if r.Status != http.StatusOK || len(r.Errors) > 0 {
						t.Fatalf("within the limits, got %d %.500s", r.Status, r.Raw)
					}
					return
				}
				assertCleanError(t, r, tc.query, http.StatusBadRequest, "BadRequest")
				if r.Data != nil {
					t.Errorf("refused document has data: %.300s", r.Raw)
				}
				if msg := r.Errors[0].Message; !strings.Contains(msg, tc.want) {
					t.Errorf("message %q, want it to hold %q", msg, tc.want)
				}
				if n := counter.Calls(); n != 0 {
					t.Errorf("a refused document made %d store reads", n)
				}
				if len(r.Raw) > 1024 {
					t.Errorf("refusal is %d bytes", len(r.Raw))
				}
				e.healthy()
			})
		}
	})
}

// TestResponseSizeLimit: a response that would outgrow MaxResponseBytes is
// replaced by one error before it is built; a smaller one is answered.
func TestResponseSizeLimit(t *testing.T) {
	forEachStore(t, func(t *testing.T, open opener) {
		e := newEnv(t, open, func(a *api.Config, _ *server.Config) { a.Limits.MaxResponseBytes = 300 })
		small := e.as("a-caregiver", `{ me { id name } }`, nil)
		if small.Status != http.StatusOK || len(small.Errors) > 0 {
			t.Fatalf("small response: %d %s", small.Status, small.Raw)
		}
		big := e.as("a-caregiver", `{ listMembers(organisationId: "a", limit: 100) { items { id name email phone role createdAt updatedAt } } }`, nil)
		if big.Status != http.StatusOK || len(big.Errors) != 1 || big.Data != nil {
			t.Fatalf("want one error and no data, got %d %s", big.Status, big.Raw)
		}
		if got := big.Errors[0]; got.ErrorType != "BadRequest" || !strings.Contains(got.Message, "larger than 300 bytes") {
			t.Errorf("error %+v", got)
		}
		e.healthy()
	})
}

// TestDeniedFieldsCountTowardsResponseSize: errors count towards the
// response size. A member owning 20 schedules asks for another field it
// may not read (email) 160,000 times through schedules → owner → schedules
// (cost 480,000, within the default limit): each denial adds an error of
// about 230 bytes, so the answer would be 47 MB of errors; it is one error.
func TestDeniedFieldsCountTowardsResponseSize(t *testing.T) {
	forEachStore(t, func(t *testing.T, open opener) {
		e := newEnv(t, open)
		now := time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)
		for i := 1; i < domain.MaxSchedulesPerOwner; i++ { // the seed gave one
			s := tenantSchedule("a", "a-member-1", now)
			s.ID = fmt.Sprintf("a-member-1-extra-%02d", i)
			for k := range s.Tasks {
				s.Tasks[k].ID = fmt.Sprintf("%s-task-%d", s.ID, k)
			}
			if err := e.Store.CreateSchedule(t.Context(), s.Changed(now)); err != nil {
				t.Fatalf("seed schedule %d: %v", i, err)
			}
		}
		r := e.as("a-member-1", `{ me { schedules { owner { schedules { owner { schedules { owner { schedules { owner { email } } } } } } } } } }`, nil)
		if r.Status != http.StatusOK || len(r.Errors) != 1 || r.Data != nil {
			t.Fatalf("want one error and no data, got %d, %d errors, %d bytes: %.300s", r.Status, len(r.Errors), len(r.Raw), r.Raw)
		}
		if got := r.Errors[0]; got.ErrorType != "BadRequest" || !strings.Contains(got.Message, fmt.Sprintf("larger than %d bytes", api.DefaultLimits.MaxResponseBytes)) {
			t.Errorf("error %+v", got)
		}
		e.healthy()
	})
}

// TestIntrospectionGroups: with introspection restricted to staff groups a
// member's __schema is denied like a field directive would deny it; as
// __schema is non-null (__Schema!) its null takes the whole data with it,
// while without __schema __typename and the member's other fields answer;
// staff introspect.
func TestIntrospectionGroups(t *testing.T) {
	e := newEnv(t, openBolt, func(a *api.Config, _ *server.Config) {
		a.IntrospectionGroups = []string{"Operators", "Admins", "Caregivers"}
	})
	const q = `{ __typename me { id } __schema { queryType { name } } }`
	member := e.as("a-member-1", q, nil)
	if member.Status != http.StatusOK || len(member.Errors) != 1 || member.Errors[0].ErrorType != "Unauthorized" ||
		member.Errors[0].Message != "Not Authorized to access __schema on type Query" {
		t.Fatalf("member: %d %s", member.Status, member.Raw)
	}
	type introspected struct {
		Typename string `json:"__typename"`
		Me       *userOut
		Schema   *struct{ QueryType struct{ Name string } } `json:"__schema"`
	}
	if member.Data != nil {
		t.Errorf("member's denied __schema (non-null) should null the data: %s", member.Raw)
	}
	if got := dataAs[introspected](t, e, "a-member-1", `{ __typename me { id } }`, nil); got.Typename != "Query" || got.Me == nil || got.Me.ID != "a-member-1" {
		t.Errorf("member's other fields should answer: %+v", got)
	}
	for _, staff := range []string{"a-caregiver", "a-admin"} {
		got := dataAs[introspected](t, e, staff, q, nil)
		if got.Schema == nil || got.Schema.QueryType.Name != "Query" || got.Typename != "Query" || got.Me == nil || got.Me.ID != staff {
			t.Errorf("%s: %+v", staff, got)
		}
	}
}

// postBody sends body (query, operationName, ...) as JSON.
func (e *env) postBody(token string, body map[string]any) gqlResponse {
	e.t.Helper()
	b, err := json.Marshal(body)
	if err != nil {
		e.t.Fatal(err)
	}
	return e.raw(token, "application/json", b)
}

func repeat(n int, f func(i int) string) string {
	var b strings.Builder
	for i := range n {
		b.WriteString(f(i))
	}
	return b.String()
}

// nested returns a query whose deepest field is depth levels deep, going
// round me → organisation → members(limit: 1) → items → organisation ...
func nested(depth int) string {
	path := []string{"me", "organisation", "members(limit: 1)", "items"}
	var b strings.Builder
	b.WriteString("{ ")
	for i := range depth - 1 {
		name := path[0]
		if i > 0 {
			name = path[1+(i-1)%3]
		}
		b.WriteString(name + " { ")
	}
	b.WriteString("__typename ")
	b.WriteString(strings.Repeat("} ", depth))
	return b.String()
}

// fragmentFanOut returns a query whose fragments each spread the next
// twice: under 1 KB for 21 levels, 2^levels fields when expanded.
func fragmentFanOut(levels int) string {
	var b strings.Builder
	b.WriteString("query { me { ...F0 } }\n")
	for i := range levels {
		fmt.Fprintf(&b, "fragment F%d on User { ...F%d ...F%d }\n", i, i+1, i+1)
	}
	fmt.Fprintf(&b, "fragment F%d on User { id }\n", levels)
	return b.String()
}

// fanOutInto returns op with fragments F0..F(levels-1) on typ, each
// spreading the next twice, the last one holding only last.
func fanOutInto(levels int, typ, last, op string) string {
	var b strings.Builder
	b.WriteString(op + "\n")
	for i := range levels {
		fmt.Fprintf(&b, "fragment F%d on %s { ...F%d ...F%d }\n", i, typ, i+1, i+1)
	}
	fmt.Fprintf(&b, "fragment F%d on %s { %s }\n", levels, typ, last)
	return b.String()
}

// padTokens adds small operations to doc until it holds exactly total
// lexer tokens (a padded document's own operation must be named, see
// TestHostileDocuments).
func padTokens(t *testing.T, doc string, total int) string {
	t.Helper()
	switch {
	case strings.HasPrefix(doc, "{"):
		doc = "query Main " + doc
	case strings.HasPrefix(doc, "query {"):
		doc = "query Main" + strings.TrimPrefix(doc, "query")
	}
	have := tokens(t, doc)
	var b strings.Builder
	b.WriteString(doc)
	// "query PadN { __typename }" is 5 tokens, with a second __typename 6:
	// left = 5*fives + 6*sixes.
	left := total - have
	sixes := left % 5
	fives := (left - 6*sixes) / 5
	if left < 0 || fives < 0 {
		t.Fatalf("cannot pad %d tokens", left)
	}
	for i := range fives + sixes {
		extra := ""
		if i < sixes {
			extra = " __typename"
		}
		fmt.Fprintf(&b, "\nquery Pad%d { __typename%s }", i, extra)
	}
	if got := tokens(t, b.String()); got != total {
		t.Fatalf("padded to %d tokens, want %d", got, total)
	}
	return b.String()
}

// tokens counts doc's lexer tokens.
func tokens(t *testing.T, doc string) int {
	t.Helper()
	lx := lexer.New(&ast.Source{Input: doc})
	n := 0
	for {
		tok, err := lx.ReadToken()
		if err != nil {
			t.Fatalf("lex: %v", err)
		}
		if tok.Kind == lexer.EOF {
			return n
		}
		n++
	}
}

func readTestdata(t *testing.T, name string) string {
	t.Helper()
	b, err := os.ReadFile("testdata/" + name)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}
