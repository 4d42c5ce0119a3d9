package pubsub_test

import (
	"context"
	"testing"

	"go.uber.org/goleak"

	"github.com/dayline/dayline/pubsub"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

func TestLocalDeliversToEveryListenerInOrder(t *testing.T) {
	bus := pubsub.NewLocal()
	ctx, cancel := context.WithCancel(t.Context())
	const listeners = 2
	got := make([]chan pubsub.Event, listeners)
	returned := make(chan error, listeners)
	started := make(chan struct{}, listeners)
	for i := range got {
		got[i] = make(chan pubsub.Event, 10)
		go func() {
			first := true
			returned <- bus.Listen(ctx, func(e pubsub.Event) {
				if e.Kind == "" { // a probe (waitRegistered)
					if first {
						first = false
						started <- struct{}{}
					}
					return
				}
				got[i] <- e
			})
		}()
	}
	// Probe until both listeners are registered: each signals on its
	// first event (an empty probe) and ignores later probes.
	waitRegistered(t, bus, started, listeners)

	want := []pubsub.Event{
		{Kind: pubsub.ScheduleChanged, OrganisationID: "o", OwnerID: "u", ScheduleID: "s", Version: 2},
		{Kind: pubsub.TaskCompleted, OrganisationID: "o", OwnerID: "u", ScheduleID: "s", TaskID: "t", Date: "2026-01-02"},
	}
	for _, e := range want {
		if err := bus.Publish(t.Context(), e); err != nil {
			t.Fatalf("Publish: %v", err)
		}
	}
	for i := range got {
		for _, w := range want {
			if e := <-got[i]; e != w {
				t.Errorf("listener %d got %+v, want %+v", i, e, w)
			}
		}
	}
	if s := bus.Status(); s.Degraded || s.Detail != "" {
		t.Errorf("Status = %+v, want healthy", s)
	}
	cancel()
	for range listeners {
		if err := <-returned; err != nil {
			t.Errorf("Listen returned %v, want nil", err)
		}
	}
	// After Listen returned, nothing is delivered any more.
	if err := bus.Publish(t.Context(), want[0]); err != nil {
		t.Fatalf("Publish after listeners left: %v", err)
	}
	for i := range got {
		select {
		case e := <-got[i]:
			t.Errorf("listener %d got %+v after Listen returned", i, e)
		default:
		}
	}
}

// waitRegistered publishes empty probe events until n listeners have
// each reported their first one.
func waitRegistered(t *testing.T, bus *pubsub.Local, started <-chan struct{}, n int) {
	t.Helper()
	for seen := 0; seen < n; {
		if err := bus.Publish(t.Context(), pubsub.Event{}); err != nil {
			t.Fatal(err)
		}
		select {
		case <-started:
			seen++
		case <-t.Context().Done():
			t.Fatal("listeners never registered")
		default:
		}
	}
}
