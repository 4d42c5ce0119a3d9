package appsync_test

import (
	"encoding/json"
	"fmt"
	"testing"
	"time"

	"github.com/dayline/dayline/appsync"
	"github.com/dayline/dayline/domain"
	"github.com/dayline/dayline/scalars"
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
// budget: at most 4 invocations, and no more store calls than the server
// is allowed (2 per member plus 3).
//
// The first three steps each run one root field, whose loads read at once:
// their store calls are exact. The 50 agendas are 50 aliased root fields
// (Query.agenda, User.agenda's root twin) whose loads join a batch only
// while the loader wait lasts, so how many calls they make depends on
// timing: the test holds them to what they make unbatched (3 per agenda:
// owner, schedules, completions) and logs the count. Under the default
// limits 50 full agendas cost more than one request may (MaxComplexity),
// so they run as two operations of 25 (see Handler.run).
func TestDashboardThroughAppSync(t *testing.T) {
	e := newEnv(t)
	seedBudgetOrg(t, e)
	const caller = "budget-caregiver"
	invocations := 0
	calls := map[string]map[string]int{}
	step := func(name string) { invocations++; calls[name] = e.Store.Take() }
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

	total := 0
	for name, c := range calls {
		total += sum(c)
		t.Logf("%-22s %3d store calls %v", name, sum(c), c)
	}
	t.Logf("%d invocations, %d store calls", invocations, total)
	if invocations != 4 {
		t.Errorf("%d invocations, want 4", invocations)
	}
	for name, want := range map[string]int{"Query.me": 1, "User.organisation": 2, "Organisation.members": 3} {
		if got := sum(calls[name]); got != want {
			t.Errorf("%s: %d store calls %v, want %d", name, got, calls[name], want)
		}
	}
	if got, most := sum(calls["User.agenda"]), 3*budgetMembers; got > most {
		t.Errorf("User.agenda: %d store calls %v, more than unbatched (%d)", got, calls["User.agenda"], most)
	}
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
