package e2e_test

import (
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/dayline/dayline/api"
	"github.com/dayline/dayline/domain"
	"github.com/dayline/dayline/scalars"
	"github.com/dayline/dayline/server"
	"github.com/dayline/dayline/store"
	"github.com/dayline/dayline/store/storetest"
)

// nestedMembersQuery asks for the organisation's members again under every
// member: one page, asked for N+1 times.
const nestedMembersQuery = `query($d: AWSDate!) { me { organisation { members(limit: 50) { items {
	id organisation { members(limit: 50) { items { id agenda(date: $d) { startsAt } } } } } } } } }`

const dashboardQuery = `query($d: AWSDate!) { me { organisation { name members(limit: 100) { items {
	id name email organisation { id } agenda(date: $d) { startsAt completed task { title } }
	schedules { id title owner { id } } } } } } }`

// TestDashboardReadsDoNotGrowWithMembers: the caregiver's dashboard costs
// the same, exact number of store calls for 4 members as for 40, with no
// timing involved. Every field under a list is a batch resolver: gqlgen
// hands it all the parents of the list in one call, it reads all their keys
// in one store call per kind of read, and a key asked for by two fields is
// read once (the first to claim it reads, the other waits).
//
// Both queries cost 5 calls, one per kind of read per level:
//
//	1 GetUsers           the caller, read when the operation starts (me)
//	2 GetOrganisations   me.organisation
//	3 ListMembers        organisation.members: one page; the nested query
//	                     asks for the same page again under every member,
//	                     and it is read once
//	4 SchedulesByOwners  the members' agendas and their schedules lists
//	                     (dashboard) share one read
//	5 CompletionsOn      the members' agendas
//
// and nothing else: each member's organisation is the caller's (read at
// 2), the schedules' owners are the members (known from the page at 3).
func TestDashboardReadsDoNotGrowWithMembers(t *testing.T) {
	wantCalls := []string{"CompletionsOn", "GetOrganisations", "GetUsers", "ListMembers", "SchedulesByOwners"} // sorted
	forEachStore(t, func(t *testing.T, open opener) {
		calls := func(t *testing.T, query string, extraMembers int) []string {
			var counter *storetest.Counting
			e := newEnv(t, func(t testing.TB) store.Store {
				counter = &storetest.Counting{Store: open(t)}
				return counter
			}, func(a *api.Config, _ *server.Config) {
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
			tok := e.token("a-caregiver") // minting reads the user's role: not the query's cost
			counter.Reset()
			r := e.post(tok, query, map[string]any{"d": testDay})
			if len(r.Errors) > 0 {
				t.Fatalf("dashboard: %s", r.Raw)
			}
			var body struct {
				Data struct {
					Me struct {
						Organisation struct {
							Members struct {
								Items []struct {
									ID     string
									Agenda []struct{ StartsAt string }
									// Schedules is only in the dashboard query.
									Schedules []struct {
										ID    string
										Owner struct{ ID string }
									}
									// Organisation is only in the nested query.
									Organisation struct {
										Members struct {
											Items []struct {
												ID     string
												Agenda []struct{ StartsAt string }
											}
										}
									}
								}
							}
						}
					}
				}
			}
			decodeRaw(t, r, &body)
			items := body.Data.Me.Organisation.Members.Items
			if len(items) != 4+extraMembers {
				t.Fatalf("want %d members, got %d", 4+extraMembers, len(items))
			}
			for _, u := range items {
				// Staff (admin, caregiver) have no schedules; every member has
				// one of two weekday tasks (testDay is a Monday).
				member := strings.Contains(u.ID, "member") || strings.Contains(u.ID, "extra")
				wantItems := map[bool]int{true: 2, false: 0}[member]
				if query == dashboardQuery {
					if len(u.Agenda) != wantItems {
						t.Errorf("%s: %d agenda items, want %d", u.ID, len(u.Agenda), wantItems)
					}
					if len(u.Schedules) != wantItems/2 {
						t.Errorf("%s: %d schedules, want %d", u.ID, len(u.Schedules), wantItems/2)
					}
					for _, s := range u.Schedules {
						if s.Owner.ID != u.ID {
							t.Errorf("%s: schedule %s has owner %q", u.ID, s.ID, s.Owner.ID)
						}
					}
					continue
				}
				if inner := u.Organisation.Members.Items; len(inner) != len(items) {
					t.Errorf("%s: organisation.members has %d items, want %d", u.ID, len(inner), len(items))
				}
			}
			return counter.Made()
		}
		for name, query := range map[string]string{"dashboard": dashboardQuery, "nested members": nestedMembersQuery} {
			t.Run(name, func(t *testing.T) {
				small, large := calls(t, query, 0), calls(t, query, 36)
				t.Logf("store calls with 4 members %v, with 40 members %v", small, large)
				if !slices.Equal(small, wantCalls) || !slices.Equal(large, wantCalls) {
					t.Errorf("store calls:\n  4 members: %d %v\n 40 members: %d %v\nwant %d %v for both",
						len(small), small, len(large), large, len(wantCalls), wantCalls)
				}
			})
		}
	})
}

func domainEmail(id string) scalars.Email { return scalars.Email(id + "@example.com") }
