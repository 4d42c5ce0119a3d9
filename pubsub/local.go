package pubsub

import (
	"context"
	"sync"
)

// Local is the in-process Bus: one instance, no network. Publish hands the
// event to every running Listen before it returns, so a Local bus never
// loses an event and is never degraded.
type Local struct {
	mu        sync.RWMutex
	next      int
	listeners map[int]func(Event)
}

var _ Bus = (*Local)(nil)

// NewLocal returns an in-process bus.
func NewLocal() *Local { return &Local{listeners: map[int]func(Event){}} }

// Publish calls every current listener's deliver with e. It never fails.
func (b *Local) Publish(_ context.Context, e Event) error {
	b.mu.RLock()
	defer b.mu.RUnlock()
	for _, deliver := range b.listeners {
		deliver(e)
	}
	return nil
}

// Listen calls deliver for every event published until ctx ends, then
// returns nil; once it has returned, deliver is never called again.
func (b *Local) Listen(ctx context.Context, deliver func(Event)) error {
	b.mu.Lock()
	id := b.next
	b.next++
	b.listeners[id] = deliver
	b.mu.Unlock()

	<-ctx.Done()

	b.mu.Lock() // waits for a Publish that is delivering
	delete(b.listeners, id)
	b.mu.Unlock()
	return nil
}

// Status reports a healthy bus: in process, nothing can be unreachable.
func (b *Local) Status() Status { return Status{} }
