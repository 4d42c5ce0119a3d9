package appsync_test

import (
	"context"
	"encoding/json"
	"fmt"
	"testing"
	"time"

	"github.com/dayline/dayline/api"
	"github.com/dayline/dayline/appsync"
	"github.com/dayline/dayline/domain"
	"github.com/dayline/dayline/scalars"
	"github.com/dayline/dayline/store/dynamo"
	"github.com/dayline/dayline/store/dynamo/dynamotest"
)

const budgetMembers = 50

// TestDashboardThroughAppSync resolves the caregiver's dashboard of 50
// members as AppSync resolves it with Dayline's resolvers (ResolverFields):
//
//	query($d: AWSDate!) { me { organisation { name members(limit: 50) {
//	  items { id name email agenda(date: $d) { startsAt completed task { title } } } } } } }
//
// AppSync calls the function for Query.me (Invoke), then User.organisation,
// Organisation.members and User.agenda (BatchInvoke: every parent of a
// level in one event), each event's source being the JSON the previous
// answer returned, and resolves every other field from that JSON. The
// budget: 4 invocations, and store calls counted exactly, on the embedded
// store and on DynamoDB Local.
//
// Each invocation reads its caller (membership and role come from the
// store on every request). The 50 agendas are 50 aliased root fields
// (Query.agenda, User.agenda's root twin) after a prefetch that runs
// User.agenda's batch resolver on all 50 parents (api.Prefetch): the
// parents and the caller in one read, then the members' schedules and
// completions as the server's list reads them, whatever the timing.
//
// Under the default limits 50 full agendas cost more than one request may
// (MaxComplexity, as for the server's dashboard), so they run as two
// operations of 25 (see Handler.run), each with its own prefetch. The
// server's budget test lifts that limit; the DynamoDB run here does too,
// to compare like with like.
func TestDashboardThroughAppSync(t *testing.T) {
	t.Run("bolt", func(t *testing.T) {
		calls := dashboardThroughAppSync(t, newEnv(t))
		want := map[string]int{"Query.me": 1, "User.organisation": 2, "Organisation.members": 3, "User.agenda": 6}
		for name, n := range want {
			if got := sum(calls[name].calls); got != n {
				t.Errorf("%s: %d store calls %v, want %d", name, got, calls[name].calls, n)
			}
		}
	})
	t.Run("dynamodb", func(t *testing.T) {
		e := newEnvOn(t, dynamotest.NewTestStore(t), func(a *api.Config, _ *appsync.Config) {
			a.Limits.MaxComplexity = 1 << 30
		})
		usage := &dynamo.Usage{}
		e.Ctx = func() context.Context {
			ctx, u := dynamo.WithUsage(context.Background())
			usage = u
			return ctx
		}
		e.afterStep = func() int { return usage.Requests() }
		steps := dashboardThroughAppSync(t, e)
		// Per invocation: the caller, then what the field reads. The
		// agendas: the 50 parents with the caller (one BatchGetItem), and
		// a Query of schedules and one of completions per member, as the
		// server reads them.
		want := map[string]int{"Query.me": 1, "User.organisation": 2, "Organisation.members": 3, "User.agenda": 1 + 2*budgetMembers}
		total := 0
		for name, n := range want {
			got := steps[name].requests
			total += got
			if got != n {
				t.Errorf("%s: %d DynamoDB requests, want %d", name, got, n)
			}
		}
		t.Logf("dashboard through AppSync: 4 invocations, %d DynamoDB requests (the server's budget for one request: %d)", total, 2*budgetMembers+3)
	})
}

// stepCost is what one invocation cost: store calls by method, and
// DynamoDB requests (on DynamoDB).
type stepCost struct {
	calls    map[string]int
	requests int
}

// dashboardThroughAppSync seeds the budget organisation in e's store, runs
// the dashboard's four invocations, checks their answers and returns the
// cost of each, by resolver field.
func dashboardThroughAppSync(t *testing.T, e *env) map[string]stepCost {
	seedBudgetOrg(t, e)
	const caller = "budget-caregiver"
	invocations := 0
	costs := map[string]stepCost{}
	step := func(name string) {
		invocations++
		c := stepCost{calls: e.Store.Take()}
		if e.afterStep != nil {
			c.requests = e.afterStep()
		}
		costs[name] = c
	}
	e.Store.Take()

	me, err := e.invoke(event(caller, "Query", "me", nil, nil))
	if err != nil {
		t.Fatalf("me: %v", err)
	}
	step("Query.me")

	items := e.batch(event(caller, "User", "organisation", nil, me))
	step("User.organisation")
	org := okData(t, items, 1)[0]

	items = e.batch(event(caller, "Organisation", "members", map[string]any{"limit": 50}, org))
	step("Organisation.members")
	page := decode[struct {
		Items     []json.RawMessage
		NextToken *string
	}](t, okData(t, items, 1)[0])
	if len(page.Items) != budgetMembers || page.NextToken == nil { // admin, caregiver, 48 members; 2 more on the next page
		t.Fatalf("members page holds %d users (next page %v), want %d and a next page", len(page.Items), page.NextToken != nil, budgetMembers)
	}

	agendaEvents := make([]any, len(page.Items))
	for i, u := range page.Items {
		agendaEvents[i] = event(caller, "User", "agenda", map[string]any{"date": testDay}, u)
	}
	agendas := okData(t, e.batch(agendaEvents...), len(page.Items))
	step("User.agenda")

	for i, raw := range agendas {
		user := decode[struct{ ID string }](t, page.Items[i])
		agenda := decode[[]struct {
			ScheduleID string
			Completed  bool
			Task       struct{ Title string }
		}](t, raw)
		want := 2
		if user.ID == caller || user.ID == "budget-admin" {
			want = 0
		}
		if len(agenda) != want || (want > 0 && (agenda[0].ScheduleID != user.ID+"-sched" || agenda[0].Task.Title != "Get up")) {
			t.Errorf("agenda %d (%s): %+v, want %d items of %s-sched starting with Get up", i, user.ID, agenda, want, user.ID)
		}
	}
	for name, c := range costs {
		t.Logf("%-22s %3d store calls %v, %d DynamoDB requests", name, sum(c.calls), c.calls, c.requests)
	}
	if invocations != 4 {
		t.Errorf("%d invocations, want 4", invocations)
	}
	return costs
}

// okData checks that items are n answers without errors and returns their
// data.
func okData(t *testing.T, items []appsync.BatchItem, n int) []json.RawMessage {
	t.Helper()
	if len(items) != n {
		t.Fatalf("%d items, want %d", len(items), n)
	}
	out := make([]json.RawMessage, n)
	for i, it := range items {
		if it.ErrorType != "" {
			t.Fatalf("item %d: %s: %s", i, it.ErrorType, it.ErrorMessage)
		}
		out[i] = it.Data
	}
	return out
}

// seedBudgetOrg adds organisation "budget": an admin, a caregiver and 50
// members, each with a weekday schedule of two tasks.
func seedBudgetOrg(t *testing.T, e *env) {
	t.Helper()
	ctx := t.Context()
	now := time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)
	user := func(id string, role domain.Role, i int) domain.User {
		at := now.Add(time.Duration(i) * time.Second)
		return domain.User{ID: id, OrganisationID: "budget", Name: id, Email: scalars.Email(id + "@example.com"),
			Role: role, Version: 1, CreatedAt: at, UpdatedAt: at}
	}
	if err := e.Store.CreateOrganisation(ctx, domain.Organisation{ID: "budget", Name: "Budget", CreatedAt: now},
		user("budget-admin", domain.RoleAdmin, 0)); err != nil {
		t.Fatal(err)
	}
	if err := e.Store.CreateUser(ctx, user("budget-caregiver", domain.RoleCaregiver, 1)); err != nil {
		t.Fatal(err)
	}
	for i := range budgetMembers {
		id := fmt.Sprintf("budget-m%02d", i)
		if err := e.Store.CreateUser(ctx, user(id, domain.RoleMember, i+2)); err != nil {
			t.Fatal(err)
		}
		if err := e.Store.CreateSchedule(ctx, weekdaySchedule("budget", id, now)); err != nil {
			t.Fatal(err)
		}
	}
}

// sum adds up calls per store method.
func sum(calls map[string]int) int {
	n := 0
	for _, k := range calls {
		n += k
	}
	return n
}
