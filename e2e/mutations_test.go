package e2e_test

import (
	"strings"
	"testing"
)

// TestMutationFieldsSeeEachOther: the fields of one mutation document run
// in order, and each sees what the earlier ones wrote.
func TestMutationFieldsSeeEachOther(t *testing.T) {
	forEachStore(t, func(t *testing.T, open opener) {
		t.Run("two updates of one user", func(t *testing.T) {
			e := newEnv(t, open)
			r := e.as("a-admin", `mutation {
				first: updateUser(input: {id: "a-member-2", expectedVersion: 1, name: "One"}) { version }
				second: updateUser(input: {id: "a-member-2", expectedVersion: 2, name: "Two"}) { version name }
			}`, nil)
			if len(r.Errors) > 0 || r.Data["second"] == nil {
				t.Fatalf("the second update must see the first: %s", r.Raw)
			}
		})
		t.Run("no schedule for a user removed in the same document", func(t *testing.T) {
			e := newEnv(t, open)
			r := e.as("a-admin", `mutation {
				removeUser(id: "a-member-2", expectedVersion: 1) { id }
				createSchedule(input: {ownerId: "a-member-2", title: "T", timezone: "UTC", days: [MON]}) { id }
			}`, nil)
			if r.Data["removeUser"] == nil || r.Data["createSchedule"] != nil {
				t.Fatalf("want the removal to succeed and the schedule to be refused: %s", r.Raw)
			}
			if len(r.Errors) != 1 || r.Errors[0].ErrorType != "NotFound" {
				t.Errorf("want one NotFound error: %s", r.Raw)
			}
		})
		t.Run("a changed schedule reads back changed", func(t *testing.T) {
			e := newEnv(t, open)
			r := e.as("a-admin", `mutation {
				addTask(input: {scheduleId: "a-member-1-sched", expectedVersion: 1, task: {title: "Lunch", startTime: "12:00", durationMinutes: 30}}) { version }
				reorderTasks(scheduleId: "a-member-1-sched", expectedVersion: 2, taskIds: ["a-member-1-task-1", "a-member-1-task-2"]) { version tasks { title } }
			}`, nil)
			// reorderTasks names two of three tasks: the schedule it sees has
			// the task added before it (version 2), so this is a BadRequest
			// about 3 tasks, not a Conflict and not a silent loss.
			if r.Data["addTask"] == nil || r.Data["reorderTasks"] != nil || len(r.Errors) != 1 ||
				r.Errors[0].ErrorType != "BadRequest" || !strings.Contains(r.Errors[0].Message, "3 tasks") {
				t.Fatalf("the second change must see the first: %s", r.Raw)
			}
		})
	})
}
