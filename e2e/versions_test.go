package e2e_test

import (
	"fmt"
	"slices"
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
		var winners []scheduleOut
		for _, r := range results {
			switch {
			case len(r.Errors) == 0 && r.hasData("updateSchedule"):
				winners = append(winners, decodeData[struct{ UpdateSchedule scheduleOut }](t, r).UpdateSchedule)
			case len(r.Errors) == 1 && r.Errors[0].ErrorType == "Conflict" && !r.hasData("updateSchedule"):
			default:
				t.Errorf("unexpected answer: %s", r.Raw)
			}
		}
		if len(winners) != 1 {
			t.Fatalf("want exactly one winner, got %+v", winners)
		}
		if winners[0].Version != 2 {
			t.Errorf("the winner answered version %d, want 2", winners[0].Version)
		}
		got := dataAs[struct{ Schedule scheduleOut }](t, e, "a-caregiver", `{ schedule(id: "a-member-1-sched") { title version } }`, nil).Schedule
		if got.Title != winners[0].Title || got.Version != 2 {
			t.Errorf("stored %+v, winner %+v", got, winners[0])
		}
	})
}

// TestStaleVersionLosesNothing: a change with a stale version is a
// Conflict and earlier changes stay.
func TestStaleVersionLosesNothing(t *testing.T) {
	forEachStore(t, func(t *testing.T, open opener) {
		e := newEnv(t, open)
		add := `mutation($v: Int!, $title: String!) { addTask(input: {scheduleId: "a-member-1-sched", expectedVersion: $v, task: {title: $title, startTime: "12:00", durationMinutes: 30}}) { version tasks { title } } }`
		wantTitles := []string{"Breakfast", "Get up", "Lunch"}
		first := dataAs[struct{ AddTask scheduleOut }](t, e, "a-admin", add, map[string]any{"v": 1, "title": "Lunch"}).AddTask
		if got := taskTitles(first.Tasks); first.Version != 2 || !slices.Equal(got, wantTitles) {
			t.Fatalf("first add: version %d, tasks %q; want version 2, tasks %q", first.Version, got, wantTitles)
		}
		r := e.as("a-admin", add, map[string]any{"v": 1, "title": "Second lunch"})
		if len(r.Errors) != 1 || r.Errors[0].ErrorType != "Conflict" || r.hasData("addTask") {
			t.Fatalf("stale add: want Conflict, got %s", r.Raw)
		}
		s := dataAs[struct{ Schedule scheduleOut }](t, e, "a-admin", `{ schedule(id: "a-member-1-sched") { version tasks { title } } }`, nil).Schedule
		if got := taskTitles(s.Tasks); s.Version != 2 || !slices.Equal(got, wantTitles) {
			t.Errorf("stored version %d, tasks %q; want version 2, tasks %q (Lunch kept, Second lunch refused)", s.Version, got, wantTitles)
		}
	})
}
