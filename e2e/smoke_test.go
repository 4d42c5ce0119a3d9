package e2e_test

import (
	"testing"
)

// TestSmokeAgenda: a member's agenda on testDay lists the two seeded tasks
// in time order, in the schedule's timezone, the first one ticked.
func TestSmokeAgenda(t *testing.T) {
	forEachStore(t, func(t *testing.T, open opener) {
		e := newEnv(t, open)
		got := dataAs[struct{ Agenda []agendaItemOut }](t, e, "a-member-1",
			`query($d: AWSDate!) { agenda(userId: "a-member-1", date: $d) { startsAt completed task { title } } }`, map[string]any{"d": testDay}).Agenda
		want := []agendaItemOut{
			{StartsAt: "2026-03-30T07:00:00+02:00", Completed: true, Task: taskOut{Title: "Get up"}},
			{StartsAt: "2026-03-30T08:00:00+02:00", Completed: false, Task: taskOut{Title: "Breakfast"}},
		}
		if len(got) != len(want) {
			t.Fatalf("agenda has %d items, want %d: %+v", len(got), len(want), got)
		}
		for i := range want {
			if got[i] != want[i] {
				t.Errorf("agenda[%d] = %+v, want %+v", i, got[i], want[i])
			}
		}
	})
}
