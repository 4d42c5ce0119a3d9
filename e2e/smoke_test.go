package e2e_test

import (
	"testing"
)

func TestSmokeAgenda(t *testing.T) {
	forEachStore(t, func(t *testing.T, open opener) {
		e := newEnv(t, open)
		r := e.as("a-member-1", `query($d: AWSDate!) { agenda(userId: "a-member-1", date: $d) { startsAt completed task { title } } }`, map[string]any{"d": testDay})
		if r.Status != 200 || len(r.Errors) > 0 {
			t.Fatalf("agenda: %d %s", r.Status, r.Raw)
		}
		items := r.Data["agenda"].([]any)
		if len(items) != 2 {
			t.Fatalf("want 2 agenda items, got %s", r.Raw)
		}
		first := items[0].(map[string]any)
		if first["startsAt"] != "2026-03-30T07:00:00+02:00" || first["completed"] != true {
			t.Errorf("first item = %v", first)
		}
	})
}
