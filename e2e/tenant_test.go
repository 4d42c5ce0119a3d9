package e2e_test

import (
	"reflect"
	"strings"
	"testing"

	"github.com/dayline/dayline/domain"
	"github.com/dayline/dayline/store"
)

// foreign is every operation a caller of organisation a could aim at
// organisation b's ids.
var foreign = []struct{ name, field, query string }{
	{"organisation", "organisation", `{ organisation(id: "b") { id name members { items { id email } } } }`},
	{"user", "user", `{ user(id: "b-member-1") { id name email agenda(date: "2026-03-30") { task { id } } } }`},
	{"user admin", "user", `{ user(id: "b-admin") { id } }`},
	{"schedule", "schedule", `{ schedule(id: "b-member-1-sched") { id title tasks { id } owner { id } } }`},
	{"listMembers", "listMembers", `{ listMembers(organisationId: "b") { items { id } } }`},
	{"listSchedules", "listSchedules", `{ listSchedules(ownerId: "b-member-1") { items { id } } }`},
	{"agenda", "agenda", `{ agenda(userId: "b-member-1", date: "2026-03-30") { task { id title } } }`},
	{"addUser", "addUser", `mutation { addUser(input: {organisationId: "b", name: "Spy", email: "spy@example.com", role: ADMIN}) { id } }`},
	{"updateUser", "updateUser", `mutation { updateUser(input: {id: "b-member-1", expectedVersion: 1, name: "Owned"}) { id } }`},
	{"removeUser", "removeUser", `mutation { removeUser(id: "b-member-1", expectedVersion: 1) { id } }`},
	{"createSchedule", "createSchedule", `mutation { createSchedule(input: {ownerId: "b-member-1", title: "x", timezone: "UTC", days: [MON]}) { id } }`},
	{"updateSchedule", "updateSchedule", `mutation { updateSchedule(input: {id: "b-member-1-sched", expectedVersion: 1, title: "Owned"}) { id } }`},
	{"deleteSchedule", "deleteSchedule", `mutation { deleteSchedule(id: "b-member-1-sched", expectedVersion: 1) { id } }`},
	{"addTask", "addTask", `mutation { addTask(input: {scheduleId: "b-member-1-sched", expectedVersion: 1, task: {title: "x", startTime: "09:00", durationMinutes: 1}}) { id } }`},
	{"updateTask", "updateTask", `mutation { updateTask(input: {scheduleId: "b-member-1-sched", taskId: "b-member-1-task-1", expectedVersion: 1, title: "x"}) { id } }`},
	{"removeTask", "removeTask", `mutation { removeTask(scheduleId: "b-member-1-sched", taskId: "b-member-1-task-1", expectedVersion: 1) { id } }`},
	{"reorderTasks", "reorderTasks", `mutation { reorderTasks(scheduleId: "b-member-1-sched", taskIds: ["b-member-1-task-1", "b-member-1-task-2"], expectedVersion: 1) { id } }`},
	{"completeTask", "completeTask", `mutation { completeTask(taskId: "b-member-1-task-2", date: "2026-03-30") { taskId } }`},
	{"uncompleteTask", "uncompleteTask", `mutation { uncompleteTask(taskId: "b-member-1-task-1", date: "2026-03-30") { taskId } }`},
	{"task of b in own schedule", "reorderTasks", `mutation { reorderTasks(scheduleId: "a-member-1-sched", taskIds: ["b-member-1-task-1", "b-member-1-task-2"], expectedVersion: 1) { id } }`},
}

// snapshotB reads everything of organisation b straight from the store.
func snapshotB(t *testing.T, st store.Store) []any {
	t.Helper()
	ctx := t.Context()
	ids := []string{"b-admin", "b-caregiver", "b-member-1", "b-member-2"}
	orgs, err1 := st.GetOrganisations(ctx, []string{"b"})
	users, err2 := st.GetUsers(ctx, ids)
	scheds, err3 := st.SchedulesByOwners(ctx, ids)
	done, err4 := st.CompletionsOn(ctx, []domain.OwnerDate{{OwnerID: "b-member-1", Day: testDay}, {OwnerID: "b-member-2", Day: testDay}})
	members, err5 := st.ListMembers(ctx, "b", domain.PageRequest{Limit: 100})
	for _, err := range []error{err1, err2, err3, err4, err5} {
		if err != nil {
			t.Fatalf("snapshot b: %v", err)
		}
	}
	domain.SortSchedules(scheds["b-member-1"])
	return []any{orgs, len(users), scheds, done, len(members.Items)}
}

// TestCrossTenant: every role of organisation a tries every query, nested
// field and mutation on organisation b's ids. Nothing of b is returned,
// and b is unchanged in the store.
func TestCrossTenant(t *testing.T) {
	forEachStore(t, func(t *testing.T, open opener) {
		e := newEnv(t, open)
		before := snapshotB(t, e.Store)
		for _, role := range []string{"a-admin", "a-caregiver", "a-member-1"} {
			for _, op := range foreign {
				t.Run(role+"/"+op.name, func(t *testing.T) {
					r := e.as(role, op.query, nil)
					if r.hasData(op.field) {
						t.Errorf("got data for b: %s", r.Raw)
					}
					if len(r.Errors) == 0 {
						t.Errorf("want an error, got %s", r.Raw)
					}
					for _, leak := range []string{"Org b", "b member", "b-example", "Mornings of b", "@example.com\""} {
						if strings.Contains(r.Raw, leak) {
							t.Errorf("response leaks %q: %s", leak, r.Raw)
						}
					}
				})
			}
		}
		if after := snapshotB(t, e.Store); !reflect.DeepEqual(before, after) {
			t.Errorf("organisation b changed:\nbefore %v\nafter  %v", before, after)
		}
		// Nested lists only ever hold organisation a.
		r := e.as("a-admin", `{ me { organisation { id members(limit: 100) { items { id organisationId } } } } }`, nil)
		if strings.Contains(r.Raw, `"b`) || !strings.Contains(r.Raw, `"a-member-2"`) {
			t.Errorf("members list crosses tenants: %s", r.Raw)
		}
	})
}
