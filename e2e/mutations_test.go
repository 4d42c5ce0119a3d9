package e2e_test

import (
	"slices"
	"testing"
)

// TestMutationFieldsSeeEachOther: the fields of one mutation document run
// in order, and each sees what the earlier ones wrote.
func TestMutationFieldsSeeEachOther(t *testing.T) {
	forEachStore(t, func(t *testing.T, open opener) {
		t.Run("two updates of one user", func(t *testing.T) {
			e := newEnv(t, open)
			got := dataAs[struct{ First, Second userOut }](t, e, "a-admin", `mutation {
				first: updateUser(input: {id: "a-member-2", expectedVersion: 1, name: "One"}) { id version name }
				second: updateUser(input: {id: "a-member-2", expectedVersion: 2, name: "Two"}) { id version name }
			}`, nil)
			if got.First.Version != 2 || got.First.Name != "One" {
				t.Errorf("first update = %+v, want version 2, name One", got.First)
			}
			if got.Second.Version != 3 || got.Second.Name != "Two" {
				t.Errorf("second update = %+v, want version 3, name Two (it must see the first)", got.Second)
			}
			if u := storedUser(t, e, "a-member-2"); u.Version != 3 || u.Name != "Two" {
				t.Errorf("stored user = %+v, want version 3, name Two", u)
			}
		})
		t.Run("no schedule for a user removed in the same document", func(t *testing.T) {
			e := newEnv(t, open)
			r := e.as("a-admin", `mutation {
				removeUser(id: "a-member-2", expectedVersion: 1) { id }
				createSchedule(input: {ownerId: "a-member-2", title: "T", timezone: "UTC", days: [MON]}) { id }
			}`, nil)
			got := decodeData[struct {
				RemoveUser     *userOut
				CreateSchedule *scheduleOut
			}](t, r)
			if got.RemoveUser == nil || got.RemoveUser.ID != "a-member-2" || got.CreateSchedule != nil {
				t.Fatalf("want the removal to succeed and the schedule to be refused: %s", r.Raw)
			}
			if len(r.Errors) != 1 || r.Errors[0].ErrorType != "NotFound" || r.Errors[0].Path.String() != "createSchedule" {
				t.Errorf("want one NotFound error at createSchedule: %s", r.Raw)
			}
			checkUserGone(t, e, "a-member-2")
		})
		t.Run("a changed schedule reads back changed", func(t *testing.T) {
			e := newEnv(t, open)
			r := e.as("a-admin", `mutation {
				addTask(input: {scheduleId: "a-member-1-sched", expectedVersion: 1, task: {title: "Lunch", startTime: "12:00", durationMinutes: 30}}) { version tasks { title } }
				reorderTasks(scheduleId: "a-member-1-sched", expectedVersion: 2, taskIds: ["a-member-1-task-1", "a-member-1-task-2"]) { version tasks { title } }
			}`, nil)
			// reorderTasks names two of three tasks: the schedule it sees has
			// the task added before it (version 2), so this is a BadRequest
			// (about the task count), not a Conflict and not a silent loss.
			got := decodeData[struct{ AddTask, ReorderTasks *scheduleOut }](t, r)
			wantTitles := []string{"Breakfast", "Get up", "Lunch"}
			if got.AddTask == nil || got.AddTask.Version != 2 || !slices.Equal(taskTitles(got.AddTask.Tasks), wantTitles) {
				t.Errorf("addTask = %+v, want version 2 with tasks %q", got.AddTask, wantTitles)
			}
			if got.ReorderTasks != nil || len(r.Errors) != 1 || r.Errors[0].ErrorType != "BadRequest" || r.Errors[0].Path.String() != "reorderTasks" {
				t.Fatalf("the second change must see the first: %s", r.Raw)
			}
			s := dataAs[struct{ Schedule scheduleOut }](t, e, "a-admin", `{ schedule(id: "a-member-1-sched") { version tasks { title } } }`, nil).Schedule
			if s.Version != 2 || !slices.Equal(taskTitles(s.Tasks), wantTitles) {
				t.Errorf("stored schedule = %+v, want version 2 with tasks %q", s, wantTitles)
			}
		})
	})
}

// storedUser reads user id as a-admin.
func storedUser(t *testing.T, e *env, id string) userOut {
	t.Helper()
	u := dataAs[struct{ User *userOut }](t, e, "a-admin", `query($id: ID!) { user(id: $id) { id name role version } }`, map[string]any{"id": id}).User
	if u == nil {
		t.Fatalf("user %s: null", id)
	}
	return *u
}

// checkUserGone fails t unless user id is gone: a NotFound for a-admin's
// user(id), and not among organisation a's members.
func checkUserGone(t *testing.T, e *env, id string) {
	t.Helper()
	r := e.as("a-admin", `query($id: ID!) { user(id: $id) { id } }`, map[string]any{"id": id})
	if r.hasData("user") || len(r.Errors) != 1 || r.Errors[0].ErrorType != "NotFound" {
		t.Errorf("user %s after its removal: want null and one NotFound error, got %s", id, r.Raw)
	}
	members := dataAs[struct{ ListMembers userPage }](t, e, "a-admin", `{ listMembers(organisationId: "a", limit: 100) { items { id } } }`, nil).ListMembers
	if ids := userIDs(members.Items); slices.Contains(ids, id) {
		t.Errorf("user %s still listed after its removal: %v", id, ids)
	}
}
