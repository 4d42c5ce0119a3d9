package redis_test

import (
	"bytes"
	"context"
	"log/slog"
	"strings"
	"sync"
	"testing"

	"github.com/dayline/dayline/pubsub"
	"github.com/dayline/dayline/pubsub/redis"
)

// instance is one bus under test, as one Dayline instance would hold it:
// its Listen runs until the test ends, delivered events are queued, status
// changes and log lines recorded.
type instance struct {
	name   string
	bus    *redis.Bus
	events chan pubsub.Event
	log    *syncBuffer
	// listening closes when Listen returns; listenErr is its result.
	listening chan struct{}
	listenErr error
	cancel    context.CancelFunc

	mu      sync.Mutex
	changed chan struct{} // closed and replaced at every status change
}

// startInstance creates a bus on url and runs its Listen until the test
// ends (or stopListening); cleanup checks Listen returned nil and closes it.
func startInstance(t testing.TB, name, url string) *instance {
	t.Helper()
	in := &instance{
		name:      name,
		events:    make(chan pubsub.Event, 1000),
		log:       &syncBuffer{},
		listening: make(chan struct{}),
		changed:   make(chan struct{}),
	}
	bus, err := redis.New(redis.Options{
		URL:      url,
		Logger:   slog.New(slog.NewTextHandler(in.log, nil)),
		OnStatus: func(pubsub.Status) { in.statusChanged() },
	})
	if err != nil {
		t.Fatalf("%s: New: %v", name, err)
	}
	in.bus = bus
	ctx, cancel := context.WithCancel(context.Background())
	in.cancel = cancel
	go func() {
		defer close(in.listening)
		in.listenErr = bus.Listen(ctx, func(e pubsub.Event) { in.events <- e })
	}()
	t.Cleanup(func() {
		in.stopListening(t)
		if err := bus.Close(); err != nil {
			t.Errorf("%s: Close: %v", name, err)
		}
	})
	return in
}

func (in *instance) statusChanged() {
	in.mu.Lock()
	defer in.mu.Unlock()
	close(in.changed)
	in.changed = make(chan struct{})
}

// stopListening ends Listen and waits for it to return nil.
func (in *instance) stopListening(t testing.TB) {
	t.Helper()
	in.cancel()
	<-in.listening
	if in.listenErr != nil {
		t.Errorf("%s: Listen returned %v, want nil", in.name, in.listenErr)
	}
}

// awaitStatus waits until the bus's Status satisfies ok, checking again at
// every change it reports; the test's deadline bounds the wait.
func (in *instance) awaitStatus(t testing.TB, what string, ok func(pubsub.Status) bool) pubsub.Status {
	t.Helper()
	for {
		in.mu.Lock()
		changed := in.changed
		in.mu.Unlock()
		if s := in.bus.Status(); ok(s) {
			return s
		}
		select {
		case <-changed:
		case <-in.listening:
			t.Fatalf("%s: Listen returned while waiting for the status to be %s (now %+v)", in.name, what, in.bus.Status())
		case <-t.Context().Done():
			t.Fatalf("%s: test ended waiting for the status to be %s (now %+v)", in.name, what, in.bus.Status())
		}
	}
}

func (in *instance) awaitHealthy(t testing.TB) {
	t.Helper()
	in.awaitStatus(t, "healthy", func(s pubsub.Status) bool { return !s.Degraded })
}

func (in *instance) awaitDegraded(t testing.TB) pubsub.Status {
	t.Helper()
	return in.awaitStatus(t, "degraded", func(s pubsub.Status) bool { return s.Degraded })
}

// receive returns the next n events the bus delivered, waiting for them.
func (in *instance) receive(t testing.TB, n int) []pubsub.Event {
	t.Helper()
	got := make([]pubsub.Event, 0, n)
	for len(got) < n {
		select {
		case e := <-in.events:
			got = append(got, e)
		case <-in.listening:
			t.Fatalf("%s: Listen returned after %d of %d events", in.name, len(got), n)
		case <-t.Context().Done():
			t.Fatalf("%s: test ended after %d of %d events: %+v", in.name, len(got), n, got)
		}
	}
	return got
}

// publish publishes e on the bus and fails the test if that fails.
func (in *instance) publish(t testing.TB, e pubsub.Event) {
	t.Helper()
	if err := in.bus.Publish(t.Context(), e); err != nil {
		t.Fatalf("%s: Publish(%+v): %v", in.name, e, err)
	}
}

// logLines counts the log lines that contain msg.
func (in *instance) logLines(msg string) int {
	return strings.Count(in.log.String(), "msg=\""+msg+"\"")
}

// syncBuffer is a bytes.Buffer safe for the bus's and the test's goroutines.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// scheduleChanged is a ScheduleChanged event of schedule s at version v.
func scheduleChanged(s string, v int) pubsub.Event {
	return pubsub.Event{Kind: pubsub.ScheduleChanged, OrganisationID: "org-1", OwnerID: "member-1", ScheduleID: s, Version: v}
}
