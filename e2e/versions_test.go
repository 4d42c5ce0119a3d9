package e2e_test

import (
	"fmt"
	"sync"
	"testing"
)

// TestConcurrentUpdatesOneWins: updates racing with the same
// expectedVersion: exactly one wins, the others get Conflict, and the
// stored schedule is the winner's.
func TestConcurrentUpdatesOneWins(t *testing.T) {
	forEachStore(t, func(t *testing.T, open opener) {
		e := newEnv(t, open)
		token := e.token("a-caregiver")
		const racers = 8
		results := make([]gqlResponse, racers)
		var wg sync.WaitGroup
		for i := range racers {
			wg.Go(func() {
				results[i] = e.post(token, `mutation($t: String!) { updateSchedule(input: {id: "a-member-1-sched", expectedVersion: 1, title: $t}) { title version } }`,
					map[string]any{"t": fmt.Sprintf("title %d", i)})
			})
		}
		wg.Wait()
		var winners []string
		for _, r := range results {
			switch {
			case len(r.Errors) == 0 && r.Data["updateSchedule"] != nil:
				winners = append(winners, r.Data["updateSchedule"].(map[string]any)["title"].(string))
			case len(r.Errors) == 1 && r.Errors[0].ErrorType == "Conflict":
			default:
				t.Errorf("unexpected answer: %s", r.Raw)
			}
		}
		if len(winners) != 1 {
			t.Fatalf("want exactly one winner, got %v", winners)
		}
		r := e.as("a-caregiver", `{ schedule(id: "a-member-1-sched") { title version } }`, nil)
		got := r.Data["schedule"].(map[string]any)
		if got["title"] != winners[0] || got["version"] != float64(2) {
			t.Errorf("stored %v, winner %q", got, winners[0])
		}
	})
}

// TestStaleVersionLosesNothing: a change with a stale version is a
// Conflict and earlier changes stay.
func TestStaleVersionLosesNothing(t *testing.T) {
	forEachStore(t, func(t *testing.T, open opener) {
		e := newEnv(t, open)
		add := `mutation($v: Int!, $title: String!) { addTask(input: {scheduleId: "a-member-1-sched", expectedVersion: $v, task: {title: $title, startTime: "12:00", durationMinutes: 30}}) { version tasks { title } } }`
		r := e.as("a-admin", add, map[string]any{"v": 1, "title": "Lunch"})
		if len(r.Errors) > 0 {
			t.Fatalf("first add: %s", r.Raw)
		}
		r = e.as("a-admin", add, map[string]any{"v": 1, "title": "Second lunch"})
		if len(r.Errors) != 1 || r.Errors[0].ErrorType != "Conflict" || r.Data["addTask"] != nil {
			t.Fatalf("stale add: want Conflict, got %s", r.Raw)
		}
		r = e.as("a-admin", `{ schedule(id: "a-member-1-sched") { version tasks { title } } }`, nil)
		s := r.Data["schedule"].(map[string]any)
		if s["version"] != float64(2) || len(s["tasks"].([]any)) != 3 {
			t.Errorf("want version 2 with 3 tasks (Lunch kept, Second lunch refused): %s", r.Raw)
		}
	})
}
