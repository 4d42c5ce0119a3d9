// Package subscribe is the subscription hub of one Dayline instance: it
// listens once on the bus (pubsub.Bus) and hands each event to the
// subscriptions of the event's organisation whose arguments match it,
// through a bounded queue per subscription. What a subscriber then gets is
// the application layer's business (app.Subscriptions re-reads each event
// under the subscriber's identity); transports only carry the result.
//
// A subscription whose queue is full when an event arrives has fallen
// behind: it is ended (its channel closed) and the hook its context
// carries (OnSlowConsumer) is called, so that the transport closes the
// connection instead of slowing anyone else down.
package subscribe

import (
	"context"
	"fmt"
	"sync"

	"github.com/dayline/dayline/domain"
	"github.com/dayline/dayline/pubsub"
)

// DefaultQueueSize is how many events wait for one subscription before it
// counts as too slow.
const DefaultQueueSize = 32

// Hub fans the bus's events out to this instance's subscriptions.
type Hub struct {
	bus   pubsub.Bus
	queue int

	mu      sync.RWMutex
	orgs    map[string]map[*subscription]struct{}
	count   int
	closed  bool
	changed chan struct{} // closed and replaced whenever count changes
}

// subscription is one subscriber's filter and queue.
type subscription struct {
	ctx   context.Context
	org   string
	match func(pubsub.Event) bool
	queue chan *pubsub.Event
	stop  func() bool // stops the context.AfterFunc that removes it
}

// New returns a hub over bus whose subscriptions queue at most queueSize
// events (DefaultQueueSize when not positive). It delivers nothing until
// Run.
func New(bus pubsub.Bus, queueSize int) *Hub {
	if queueSize <= 0 {
		queueSize = DefaultQueueSize
	}
	return &Hub{bus: bus, queue: queueSize, orgs: map[string]map[*subscription]struct{}{}, changed: make(chan struct{})}
}

// Run listens on the bus until ctx ends, then ends every subscription
// (their channels are closed, so each transport completes them) and
// refuses new ones. It returns the bus's Listen error, normally nil.
func (h *Hub) Run(ctx context.Context) error {
	err := h.bus.Listen(ctx, h.deliver)
	h.close()
	return err
}

// Status is the bus's health, for /healthz and logs.
func (h *Hub) Status() pubsub.Status { return h.bus.Status() }

// Subscriptions returns how many subscriptions are open.
func (h *Hub) Subscriptions() int {
	h.mu.RLock()
	defer h.mu.RUnlock()
	return h.count
}

// WaitSubscriptions waits until exactly n subscriptions are open (tests
// and the bench use it to know subscribers are registered, or gone). It
// returns ctx's error if ctx ends first.
func (h *Hub) WaitSubscriptions(ctx context.Context, n int) error {
	for {
		h.mu.RLock()
		count, changed := h.count, h.changed
		h.mu.RUnlock()
		if count == n {
			return nil
		}
		select {
		case <-changed:
		case <-ctx.Done():
			return fmt.Errorf("waiting for %d subscriptions (%d open): %w", n, count, ctx.Err())
		}
	}
}

// countChanged adds delta to the count and wakes WaitSubscriptions; h.mu
// is held.
func (h *Hub) countChanged(delta int) {
	h.count += delta
	close(h.changed)
	h.changed = make(chan struct{})
}

// errClosed refuses subscriptions once the hub stopped (shutdown).
var errClosed = domain.Unavailable("the server is shutting down: subscribe again")

// Subscribe returns the queue of the events of organisation org for which
// match reports true, in the order the bus delivered them. The channel is
// closed when ctx ends, when the subscriber fell behind (see
// OnSlowConsumer) and when the hub stops. Events are shared between
// subscriptions: read them, never change them. ServiceUnavailable once the
// hub has stopped.
func (h *Hub) Subscribe(ctx context.Context, org string, match func(pubsub.Event) bool) (<-chan *pubsub.Event, error) {
	s := &subscription{ctx: ctx, org: org, match: match, queue: make(chan *pubsub.Event, h.queue)}
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.closed {
		return nil, errClosed
	}
	subs := h.orgs[org]
	if subs == nil {
		subs = map[*subscription]struct{}{}
		h.orgs[org] = subs
	}
	subs[s] = struct{}{}
	h.countChanged(1)
	s.stop = context.AfterFunc(ctx, func() { h.remove(s) })
	return s.queue, nil
}

// deliver queues e for every matching subscription of its organisation,
// never waiting: a subscription whose queue is full is ended as slow.
// Queues hold a pointer to the one copy of e: 8 bytes a slot.
func (h *Hub) deliver(e pubsub.Event) {
	shared := &e
	var slow []*subscription
	h.mu.RLock()
	for s := range h.orgs[e.OrganisationID] {
		if !s.match(e) {
			continue
		}
		select {
		case s.queue <- shared:
		default:
			slow = append(slow, s)
		}
	}
	h.mu.RUnlock()
	for _, s := range slow {
		if h.remove(s) {
			slowConsumer(s.ctx)
		}
	}
}

// remove ends s (closing its queue) unless it has ended already, and
// reports whether it did.
func (h *Hub) remove(s *subscription) bool {
	h.mu.Lock()
	defer h.mu.Unlock()
	subs := h.orgs[s.org]
	if _, ok := subs[s]; !ok {
		return false
	}
	delete(subs, s)
	if len(subs) == 0 {
		delete(h.orgs, s.org)
	}
	h.countChanged(-1)
	s.stop()
	close(s.queue)
	return true
}

// close ends every subscription and refuses new ones.
func (h *Hub) close() {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.closed = true
	for org, subs := range h.orgs {
		for s := range subs {
			s.stop()
			close(s.queue)
		}
		delete(h.orgs, org)
	}
	h.countChanged(-h.count)
}

type slowConsumerKey struct{}

// OnSlowConsumer returns ctx carrying fn, which the hub calls (once, from
// the delivering goroutine: it must not block) when a subscription made
// with ctx, or a context derived from it, falls behind. Transports use it
// to close the subscriber's connection with a documented code.
func OnSlowConsumer(ctx context.Context, fn func()) context.Context {
	return context.WithValue(ctx, slowConsumerKey{}, fn)
}

// slowConsumer calls ctx's OnSlowConsumer hook, if any.
func slowConsumer(ctx context.Context) {
	if fn, ok := ctx.Value(slowConsumerKey{}).(func()); ok {
		fn()
	}
}
