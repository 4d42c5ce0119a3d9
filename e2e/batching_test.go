package e2e_test

import (
	"context"
	"fmt"
	"sync/atomic"
	"testing"
	"time"

	"github.com/dayline/dayline/api"
	"github.com/dayline/dayline/domain"
	"github.com/dayline/dayline/scalars"
	"github.com/dayline/dayline/server"
	"github.com/dayline/dayline/store"
)

// countingStore counts every store call.
type countingStore struct {
	store.Store
	calls atomic.Int64
}

func (c *countingStore) GetUsers(ctx context.Context, ids []string) ([]domain.User, error) {
	c.calls.Add(1)
	return c.Store.GetUsers(ctx, ids)
}

func (c *countingStore) GetOrganisations(ctx context.Context, ids []string) ([]domain.Organisation, error) {
	c.calls.Add(1)
	return c.Store.GetOrganisations(ctx, ids)
}

func (c *countingStore) GetSchedules(ctx context.Context, ids []string) ([]domain.Schedule, error) {
	c.calls.Add(1)
	return c.Store.GetSchedules(ctx, ids)
}

func (c *countingStore) SchedulesByOwners(ctx context.Context, ids []string) (map[string][]domain.Schedule, error) {
	c.calls.Add(1)
	return c.Store.SchedulesByOwners(ctx, ids)
}

func (c *countingStore) CompletionsOn(ctx context.Context, days []domain.OwnerDate) (map[domain.OwnerDate][]domain.Completion, error) {
	c.calls.Add(1)
	return c.Store.CompletionsOn(ctx, days)
}

func (c *countingStore) GetTaskRefs(ctx context.Context, ids []string) ([]domain.TaskRef, error) {
	c.calls.Add(1)
	return c.Store.GetTaskRefs(ctx, ids)
}

func (c *countingStore) ListMembers(ctx context.Context, orgID string, p domain.PageRequest) (domain.Page[domain.User], error) {
	c.calls.Add(1)
	return c.Store.ListMembers(ctx, orgID, p)
}

func (c *countingStore) ListSchedules(ctx context.Context, ownerID string, p domain.PageRequest) (domain.Page[domain.Schedule], error) {
	c.calls.Add(1)
	return c.Store.ListSchedules(ctx, ownerID, p)
}

// nestedMembersQuery asks for the organisation's members again under every
// member: one page, asked for N+1 times.
const nestedMembersQuery = `query($d: AWSDate!) { me { organisation { members(limit: 50) { items {
	id organisation { members(limit: 50) { items { id agenda(date: $d) { startsAt } } } } } } } } }`

const dashboardQuery = `query($d: AWSDate!) { me { organisation { name members(limit: 100) { items {
	id name email organisation { id } agenda(date: $d) { startsAt completed task { title } }
	schedules { id title owner { id } } } } } } }`

// TestDashboardReadsDoNotGrowWithMembers: the caregiver's dashboard costs the
// same number of store calls for 4 members as for 40: every nested field
// reads through a batching loader.
func TestDashboardReadsDoNotGrowWithMembers(t *testing.T) {
	forEachStore(t, func(t *testing.T, open opener) {
		calls := func(query string, extraMembers int) int64 {
			var counter *countingStore
			e := newEnv(t, func(t testing.TB) store.Store {
				counter = &countingStore{Store: open(t)}
				return counter
			}, func(a *api.Config, _ *server.Config) {
				// Generous: under the race detector on a busy machine one
				// resolution round can outlast a short window and split a batch.
				a.LoaderWait = 25 * time.Millisecond
				// 100 members, each with a 1,000-item agenda bound: over
				// the default cost limit, which this test is not about.
				a.Limits.MaxComplexity = 1 << 30
			})
			now := time.Date(2026, 3, 2, 0, 0, 0, 0, time.UTC)
			for i := range extraMembers {
				u := domain.User{ID: fmt.Sprintf("a-extra-%02d", i), OrganisationID: "a", Name: "Extra", Role: domain.RoleMember,
					Email: "x@example.com", Version: 1, CreatedAt: now.Add(time.Duration(i) * time.Second)}
				u.Email = domainEmail(u.ID)
				if err := counter.CreateUser(t.Context(), u); err != nil {
					t.Fatal(err)
				}
				if err := counter.CreateSchedule(t.Context(), tenantSchedule("a", u.ID, now)); err != nil {
					t.Fatal(err)
				}
			}
			counter.calls.Store(0)
			r := e.as("a-caregiver", query, map[string]any{"d": testDay})
			if len(r.Errors) > 0 {
				t.Fatalf("dashboard: %s", r.Raw)
			}
			items := r.Data["me"].(map[string]any)["organisation"].(map[string]any)["members"].(map[string]any)["items"].([]any)
			if len(items) != 4+extraMembers {
				t.Fatalf("want %d members, got %d", 4+extraMembers, len(items))
			}
			return counter.calls.Load()
		}
		for name, query := range map[string]string{"dashboard": dashboardQuery, "nested members": nestedMembersQuery} {
			// A loader batch is one time window. On a busy machine (the race
			// detector, other test packages, DynamoDB Local on the same two
			// cores) a goroutine can miss its window and split a batch, one
			// extra call. A read per parent would add dozens, every time, so
			// the fewest calls of a few tries is the structural figure.
			small, large := calls(query, 0), calls(query, 36)
			for try := 2; try <= 3 && large != small; try++ {
				t.Logf("%s: %d store calls for 4 members, %d for 40; try %d", name, small, large, try)
				small, large = min(small, calls(query, 0)), min(large, calls(query, 36))
			}
			t.Logf("%s: store calls with 4 members %d, with 40 members %d", name, small, large)
			if large != small {
				t.Errorf("%s: store calls grow with members: %d for 4, %d for 40", name, small, large)
			}
			if small > 8 {
				t.Errorf("%s made %d store calls, want at most 8", name, small)
			}
		}
	})
}

func domainEmail(id string) scalars.Email { return scalars.Email(id + "@example.com") }
