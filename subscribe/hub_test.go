package subscribe_test

import (
	"context"
	"testing"

	"go.uber.org/goleak"

	"github.com/dayline/dayline/domain"
	"github.com/dayline/dayline/pubsub"
	"github.com/dayline/dayline/subscribe"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

// running starts a hub over a local bus with queue size n and returns it,
// its bus, and how to stop it (waiting for Run to return).
func running(t *testing.T, n int) (*subscribe.Hub, *pubsub.Local, func()) {
	t.Helper()
	bus := pubsub.NewLocal()
	hub := subscribe.New(bus, n)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- hub.Run(ctx) }()
	stopped := false
	stop := func() {
		if stopped {
			return
		}
		stopped = true
		cancel()
		if err := <-done; err != nil {
			t.Errorf("Run: %v", err)
		}
	}
	t.Cleanup(stop)
	// Run has registered with the bus once a probe comes through.
	probe, err := hub.Subscribe(t.Context(), "probe-org", func(pubsub.Event) bool { return true })
	if err != nil {
		t.Fatal(err)
	}
	for {
		if err := bus.Publish(t.Context(), pubsub.Event{OrganisationID: "probe-org"}); err != nil {
			t.Fatal(err)
		}
		select {
		case <-probe:
		default:
			continue
		}
		break
	}
	return hub, bus, stop
}

func ev(org, owner, sched string) pubsub.Event {
	return pubsub.Event{Kind: pubsub.ScheduleChanged, OrganisationID: org, OwnerID: owner, ScheduleID: sched, Version: 2}
}

func TestHubDeliversMatchingEventsOfTheOrganisation(t *testing.T) {
	hub, bus, _ := running(t, 4)
	ctx, cancel := context.WithCancel(t.Context())
	q, err := hub.Subscribe(ctx, "a", func(e pubsub.Event) bool { return e.OwnerID == "u1" })
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range []pubsub.Event{ev("b", "u1", "other-org"), ev("a", "u2", "other-owner"), ev("a", "u1", "mine")} {
		if err := bus.Publish(t.Context(), e); err != nil {
			t.Fatal(err)
		}
	}
	if got := <-q; got.ScheduleID != "mine" {
		t.Errorf("first event %+v, want mine", got)
	}
	select {
	case got := <-q:
		t.Errorf("unexpected %+v", got)
	default:
	}
	cancel()
	if err := hub.WaitSubscriptions(t.Context(), 1); err != nil { // the probe stays
		t.Fatal(err)
	}
	if _, open := <-q; open {
		t.Error("queue still open after its context ended")
	}
}

func TestHubEndsSlowSubscription(t *testing.T) {
	hub, bus, _ := running(t, 1)
	slow := make(chan struct{})
	ctx := subscribe.OnSlowConsumer(t.Context(), func() { close(slow) })
	q, err := hub.Subscribe(ctx, "a", func(pubsub.Event) bool { return true })
	if err != nil {
		t.Fatal(err)
	}
	fast, err := hub.Subscribe(t.Context(), "a", func(pubsub.Event) bool { return true })
	if err != nil {
		t.Fatal(err)
	}
	_ = bus.Publish(t.Context(), ev("a", "u", "1"))
	<-fast
	_ = bus.Publish(t.Context(), ev("a", "u", "2")) // q is full now
	<-slow
	if got := <-q; got.ScheduleID != "1" {
		t.Errorf("queued %+v, want the first event", got)
	}
	if _, open := <-q; open {
		t.Error("slow queue still open")
	}
	if got := <-fast; got.ScheduleID != "2" {
		t.Errorf("the other subscriber got %+v, want the second event", got)
	}
}

func TestHubStopEndsEverySubscriptionAndRefusesNew(t *testing.T) {
	hub, _, stop := running(t, 4)
	q, err := hub.Subscribe(t.Context(), "a", func(pubsub.Event) bool { return true })
	if err != nil {
		t.Fatal(err)
	}
	stop()
	if _, open := <-q; open {
		t.Error("queue open after the hub stopped")
	}
	if hub.Subscriptions() != 0 {
		t.Errorf("%d subscriptions after stop", hub.Subscriptions())
	}
	if _, err := hub.Subscribe(t.Context(), "a", func(pubsub.Event) bool { return true }); !domain.IsCode(err, domain.CodeUnavailable) {
		t.Errorf("Subscribe after stop: %v, want ServiceUnavailable", err)
	}
}
