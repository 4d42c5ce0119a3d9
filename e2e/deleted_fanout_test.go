package e2e_test

import (
	"testing"

	"github.com/dayline/dayline/internal/redistest"
	"github.com/dayline/dayline/pubsub"
	"github.com/dayline/dayline/subscribe"
)

// TestDeletedScheduleAcrossInstances runs two Dayline instances on one
// store and one real Redis: a schedule deleted through instance A reaches
// a watch subscribed on instance B with the deleted schedule's fields
// (read from the store's tombstone: B never saw the schedule deleted), and
// still reaches no one who may not see it.
func TestDeletedScheduleAcrossInstances(t *testing.T) {
	forEachStore(t, func(t *testing.T, open opener) {
		redis := redistest.Start(t)
		var hubA, hubB *subscribe.Hub
		statusA, statusB := make(chan pubsub.Status, 64), make(chan pubsub.Status, 64)
		a := newEnv(t, open, withSubscriptions(t, hubInto(&hubA), overBus(redisBusFor(t, redis, statusA))))
		b := otherInstance(t, a, withSubscriptions(t, hubInto(&hubB), overBus(redisBusFor(t, redis, statusB))))
		awaitStatus(t, statusA, false)
		awaitStatus(t, statusB, false)

		watch := connect(t, b, "a-member-1")
		watch.subscribe("w", watchSubscription, map[string]any{"id": "a-member-1-sched"})
		other := connect(t, b, "a-member-2")
		other.subscribe("o", watchSubscription, nil)
		registered(t, hubB, 2)

		// The retitle is seen on B before the deletion: B re-reads each
		// event, and a retitle read after the deletion would be skipped.
		retitle(t, a, "a-caregiver", "a-member-1-sched", 1, "Last title")
		changed, errs := nextPayload[scheduleEvent](watch, "w")
		if len(errs) > 0 || changed.OnScheduleChanged == nil || changed.OnScheduleChanged.Version != 2 {
			t.Fatalf("retitle on B: %+v %+v, want version 2", changed.OnScheduleChanged, errs)
		}
		dataAs[map[string]any](t, a, "a-caregiver", `mutation { deleteSchedule(id: "a-member-1-sched", expectedVersion: 2) { id } }`, nil)
		retitle(t, a, "a-caregiver", "a-member-2-sched", 1, "After the deletion")

		got, errs := nextPayload[scheduleEvent](watch, "w")
		if len(errs) > 0 || got.OnScheduleChanged == nil {
			t.Fatalf("deletion on B: %+v %+v, want the deleted schedule", got.OnScheduleChanged, errs)
		}
		s := got.OnScheduleChanged
		if s.ID != "a-member-1-sched" || s.OwnerID != "a-member-1" || s.Version != 2 || s.Title != "Last title" ||
			len(s.Tasks) != 2 || s.Owner == nil || s.Owner.Name == "" {
			t.Errorf("deleted schedule delivered on B as %+v, want a-member-1-sched at version 2 titled Last title with its 2 tasks and owner", *s)
		}
		// The other member never sees it: its first event is its own.
		own, errs := nextPayload[scheduleEvent](other, "o")
		if len(errs) > 0 || own.OnScheduleChanged == nil || own.OnScheduleChanged.ID != "a-member-2-sched" {
			t.Errorf("member 2 on B got %+v %+v first, want its own schedule", own.OnScheduleChanged, errs)
		}
	})
}
