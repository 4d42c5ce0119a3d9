package e2e_test

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"golang.org/x/sync/errgroup"

	"github.com/dayline/dayline/api"
	"github.com/dayline/dayline/domain"
	"github.com/dayline/dayline/scalars"
	"github.com/dayline/dayline/server"
	"github.com/dayline/dayline/store"
	"github.com/dayline/dayline/store/dynamo"
	"github.com/dayline/dayline/store/dynamo/dynamotest"
)

// The budget organisation: an admin, a caregiver and budgetMembers members,
// each member with budgetSchedules schedules of budgetTasks tasks that
// apply every day, and the first budgetDone tasks completed on testDay.
const (
	budgetOrg       = "budget"
	budgetMembers   = 50
	budgetSchedules = 2
	budgetTasks     = 10
	budgetDone      = 3
	budgetTimezone  = "Europe/Amsterdam"
)

const budgetDashboardQuery = `query($d: AWSDate!) { me { organisation { name members(limit: 50) { items {
	id name email agenda(date: $d) { startsAt completed task { title startTime } } } nextToken } } } }`

const budgetWatchQuery = `query($u: ID!, $d: AWSDate!) { agenda(userId: $u, date: $d) {
	startsAt completed task { title startTime } } }`

// TestDynamoDBRequestBudget pins what the two hot screens cost DynamoDB,
// through real HTTP with the request accounting of dynamo.WithUsage: the
// caregiver's dashboard of 50 members costs at most 2 requests per member
// (their schedules and their completions) plus 3 (caller, organisation,
// member page) in at most 5 sequential rounds; the watch's agenda costs at
// most 3 requests.
func TestDynamoDBRequestBudget(t *testing.T) {
	dynamotest.Endpoint(t) // skips, or fails under DAYLINE_REQUIRE_DYNAMODB=1
	usages := &usageRecorder{}
	e := newEnv(t, func(t testing.TB) store.Store { return dynamotest.NewTestStore(t) },
		func(a *api.Config, _ *server.Config) {
			a.Meter = usages.meter
			a.Debug = true
			// 50 members, each with a 1,000-item agenda bound: just over the
			// default cost limit (250,304), which this test is not about.
			a.Limits.MaxComplexity = 1 << 30
		})
	started := time.Now()
	members := seedBudgetOrg(t, e.Store)
	t.Logf("seeded %d members, %d schedules, %d completions in %v", len(members),
		len(members)*budgetSchedules, len(members)*budgetDone, time.Since(started).Round(time.Millisecond))
	seeded := make(map[string]bool, len(members))
	for _, id := range members {
		seeded[id] = true
	}

	t.Run("dashboard", func(t *testing.T) {
		r := e.as(budgetOrg+"-caregiver", budgetDashboardQuery, map[string]any{"d": testDay})
		if r.Status != 200 || len(r.Errors) > 0 {
			t.Fatalf("dashboard: status %d: %s", r.Status, r.Raw)
		}
		var body struct {
			Data struct {
				Me struct {
					Organisation struct {
						Name    string
						Members struct {
							Items []struct {
								ID, Name, Email string
								Agenda          []budgetAgendaItem
							}
							NextToken *string
						}
					}
				}
			}
		}
		decodeRaw(t, r, &body)
		org := body.Data.Me.Organisation
		if org.Name != "Budget org" {
			t.Errorf("organisation name = %q, want %q", org.Name, "Budget org")
		}
		shown := org.Members.Items
		if len(shown) != 50 {
			t.Fatalf("members(limit: 50) showed %d users, want 50", len(shown))
		}
		if org.Members.NextToken == nil {
			t.Errorf("nextToken is null, but %d users are not shown yet", len(members)+2-len(shown))
		}
		seenMembers := 0
		for _, u := range shown {
			if !seeded[u.ID] {
				if len(u.Agenda) != 0 {
					t.Errorf("%s (staff) has %d agenda items, want 0", u.ID, len(u.Agenda))
				}
				continue
			}
			seenMembers++
			if u.Email != u.ID+"@example.com" {
				t.Errorf("%s: email %q", u.ID, u.Email)
			}
			checkBudgetAgenda(t, u.ID, u.Agenda)
		}
		if seenMembers != len(shown)-2 {
			t.Errorf("%d seeded members shown, want %d (the page also holds the admin and the caregiver)", seenMembers, len(shown)-2)
		}

		n := len(shown)
		u := usages.check(t, r)
		t.Logf("dashboard: %d members shown, %d DynamoDB requests (budget %d), %d rounds (budget 5), %.1f RCU",
			n, u.Requests, 2*n+3, u.Rounds, u.CapacityUnits)
		if u.Requests > 2*n+3 || u.Rounds > 5 {
			t.Errorf("dashboard over budget: %d requests (budget %d), %d rounds (budget 5); calls:\n%s",
				u.Requests, 2*n+3, u.Rounds, usages.describe())
		}
	})

	t.Run("watch agenda", func(t *testing.T) {
		member := members[7]
		r := e.as(member, budgetWatchQuery, map[string]any{"u": member, "d": testDay})
		if r.Status != 200 || len(r.Errors) > 0 {
			t.Fatalf("agenda: status %d: %s", r.Status, r.Raw)
		}
		var body struct {
			Data struct{ Agenda []budgetAgendaItem }
		}
		decodeRaw(t, r, &body)
		checkBudgetAgenda(t, member, body.Data.Agenda)

		u := usages.check(t, r)
		// Rounds are logged, not budgeted: the schedules and completions
		// Queries are independent, but on a loaded machine one can end
		// before the other's goroutine starts, which counts as a round.
		t.Logf("watch agenda: %d DynamoDB requests (budget 3), %d rounds, %.1f RCU",
			u.Requests, u.Rounds, u.CapacityUnits)
		if u.Requests > 3 {
			t.Errorf("watch agenda over budget: %d requests (budget 3); calls:\n%s", u.Requests, usages.describe())
		}
	})
}

// budgetAgendaItem is the selection of AgendaItem both queries make.
type budgetAgendaItem struct {
	StartsAt  string
	Completed bool
	Task      struct{ Title, StartTime string }
}

// checkBudgetAgenda checks a seeded member's agenda on testDay: every task
// of both schedules in time order, the first budgetDone completed.
func checkBudgetAgenda(t *testing.T, memberID string, got []budgetAgendaItem) {
	t.Helper()
	want := budgetSchedules * budgetTasks
	if len(got) != want {
		t.Errorf("%s: %d agenda items, want %d", memberID, len(got), want)
		return
	}
	loc, err := time.LoadLocation(budgetTimezone)
	if err != nil {
		t.Fatal(err)
	}
	y, m, d := scalars.Date(testDay).Civil()
	completed := 0
	for i, it := range got {
		s, k := i/budgetTasks, i%budgetTasks
		title, start := budgetTaskTitle(s, k), budgetStartTime(s, k)
		if it.Task.Title != title || it.Task.StartTime != string(start) {
			t.Errorf("%s: agenda item %d is %q at %s, want %q at %s", memberID, i, it.Task.Title, it.Task.StartTime, title, start)
		}
		h, mm, _, _ := start.Clock()
		startsAt, err := time.Parse(time.RFC3339Nano, it.StartsAt)
		if wantAt := time.Date(y, m, d, h, mm, 0, 0, loc); err != nil || !startsAt.Equal(wantAt) {
			t.Errorf("%s: agenda item %d starts at %q, want %s (%v)", memberID, i, it.StartsAt, wantAt.Format(time.RFC3339), err)
		}
		if it.Completed {
			completed++
		}
		if wantDone := s == 0 && k < budgetDone; it.Completed != wantDone {
			t.Errorf("%s: agenda item %d (%s) completed = %v, want %v", memberID, i, title, it.Completed, wantDone)
		}
	}
	if completed != budgetDone {
		t.Errorf("%s: %d agenda items completed, want %d", memberID, completed, budgetDone)
	}
}

// seedBudgetOrg writes the budget organisation straight into st and returns
// the member ids in creation order.
func seedBudgetOrg(t *testing.T, st store.Store) []string {
	t.Helper()
	ctx := t.Context()
	now := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	user := func(suffix string, role domain.Role, i int) domain.User {
		at := now.Add(time.Duration(i) * time.Second)
		id := budgetOrg + "-" + suffix
		return domain.User{ID: id, OrganisationID: budgetOrg, Name: "Budget " + suffix, Email: scalars.Email(id + "@example.com"),
			Role: role, Version: 1, CreatedAt: at, UpdatedAt: at}
	}
	if err := st.CreateOrganisation(ctx, domain.Organisation{ID: budgetOrg, Name: "Budget org", CreatedAt: now},
		user("admin", domain.RoleAdmin, 0)); err != nil {
		t.Fatalf("seed organisation: %v", err)
	}
	if err := st.CreateUser(ctx, user("caregiver", domain.RoleCaregiver, 1)); err != nil {
		t.Fatalf("seed caregiver: %v", err)
	}
	members := make([]string, budgetMembers)
	g, gctx := errgroup.WithContext(ctx)
	g.SetLimit(8)
	for i := range budgetMembers {
		u := user(fmt.Sprintf("member-%02d", i), domain.RoleMember, 2+i)
		members[i] = u.ID
		g.Go(func() error { return seedBudgetMember(gctx, st, u, now) })
	}
	if err := g.Wait(); err != nil {
		t.Fatalf("seed members: %v", err)
	}
	return members
}

// seedBudgetMember writes one member, its schedules and its completions.
func seedBudgetMember(ctx context.Context, st store.Store, u domain.User, now time.Time) error {
	if err := st.CreateUser(ctx, u); err != nil {
		return fmt.Errorf("user %s: %w", u.ID, err)
	}
	every := []domain.Weekday{domain.Monday, domain.Tuesday, domain.Wednesday, domain.Thursday,
		domain.Friday, domain.Saturday, domain.Sunday}
	var first domain.Schedule
	for s := range budgetSchedules {
		sc := domain.Schedule{ID: fmt.Sprintf("%s-sched-%d", u.ID, s), OrganisationID: budgetOrg, OwnerID: u.ID,
			Title: fmt.Sprintf("Routine %d", s), Timezone: budgetTimezone, Days: every, Active: true, CreatedAt: now}
		for k := range budgetTasks {
			sc.Tasks = append(sc.Tasks, domain.Task{ID: fmt.Sprintf("%s-task-%d-%02d", u.ID, s, k),
				Title: budgetTaskTitle(s, k), StartTime: budgetStartTime(s, k), DurationMinutes: 15})
		}
		sc = sc.Changed(now)
		if err := st.CreateSchedule(ctx, sc); err != nil {
			return fmt.Errorf("schedule %s: %w", sc.ID, err)
		}
		if s == 0 {
			first = sc
		}
	}
	for _, task := range first.Tasks[:budgetDone] {
		at := now
		c := domain.Completion{OwnerID: u.ID, OrganisationID: budgetOrg, ScheduleID: first.ID, TaskID: task.ID,
			Date: testDay, Completed: true, CompletedAt: &at}
		if _, err := st.PutCompletion(ctx, c); err != nil {
			return fmt.Errorf("completion of %s: %w", task.ID, err)
		}
	}
	return nil
}

// budgetTaskTitle and budgetStartTime name task k of schedule s: schedule 0
// runs every half hour from 06:00, schedule 1 from 12:00, so the agenda
// lists schedule 0's tasks first, in task order.
func budgetTaskTitle(s, k int) string { return fmt.Sprintf("Step %d.%d", s, k) }

func budgetStartTime(s, k int) scalars.Time {
	minutes := (6+6*s)*60 + 30*k
	return scalars.Time(fmt.Sprintf("%02d:%02d", minutes/60, minutes%60))
}

// decodeRaw decodes the whole response body into v.
func decodeRaw(t *testing.T, r gqlResponse, v any) {
	t.Helper()
	if err := json.Unmarshal([]byte(r.Raw), v); err != nil {
		t.Fatalf("decode response: %v: %s", err, r.Raw)
	}
}

// usageRecorder is the api.UsageMeter of cmd/dayline's dynamoMeter that
// also keeps the last operation's *dynamo.Usage, so a test can list the
// calls behind a number.
type usageRecorder struct {
	mu   sync.Mutex
	last *dynamo.Usage
}

func (r *usageRecorder) meter(ctx context.Context) (context.Context, func() api.StoreUsage) {
	ctx, u := dynamo.WithUsage(ctx)
	r.mu.Lock()
	r.last = u
	r.mu.Unlock()
	return ctx, func() api.StoreUsage {
		return api.StoreUsage{Requests: u.Requests(), CapacityUnits: u.CapacityUnits(), Rounds: u.Rounds()}
	}
}

// check returns the storeUsage extension of r, failing t if it is missing
// or disagrees with the usage the meter recorded.
func (r *usageRecorder) check(t *testing.T, res gqlResponse) api.StoreUsage {
	t.Helper()
	var body struct {
		Extensions struct {
			StoreUsage *api.StoreUsage `json:"storeUsage"`
		} `json:"extensions"`
	}
	decodeRaw(t, res, &body)
	if body.Extensions.StoreUsage == nil {
		t.Fatalf("no extensions.storeUsage in the response (Meter and Debug are set): %.300s", res.Raw)
	}
	got := *body.Extensions.StoreUsage
	r.mu.Lock()
	u := r.last
	r.mu.Unlock()
	if got.Requests != u.Requests() || got.Rounds != u.Rounds() {
		t.Errorf("storeUsage %+v disagrees with the meter's usage (%d requests, %d rounds)", got, u.Requests(), u.Rounds())
	}
	return got
}

// describe lists the last operation's calls in order of start: operation,
// start (relative to the first call), duration, capacity and failures.
func (r *usageRecorder) describe() string {
	r.mu.Lock()
	calls := r.last.Calls()
	r.mu.Unlock()
	slices.SortFunc(calls, func(a, b dynamo.Call) int { return a.Start.Compare(b.Start) })
	if len(calls) == 0 {
		return "  (no calls)"
	}
	origin := calls[0].Start
	for _, c := range calls {
		if c.Start.Before(origin) {
			origin = c.Start
		}
	}
	var b strings.Builder
	for i, c := range calls {
		fmt.Fprintf(&b, "  %3d %-16s start +%-10v took %-10v %.1f CU", i+1, c.Operation,
			c.Start.Sub(origin).Round(time.Microsecond), c.End.Sub(c.Start).Round(time.Microsecond), c.CapacityUnits)
		if c.Failed {
			b.WriteString(" FAILED")
		}
		b.WriteByte('\n')
	}
	return b.String()
}
