package loaders

import (
	"context"
	"fmt"
	"runtime/debug"
	"sync"
	"time"

	"github.com/graph-gophers/dataloader/v7"
)

// fetchFunc reads keys (distinct, at most MaxBatch) from src in one store
// call and answers every key in order: its value or its error.
type fetchFunc[K comparable, V any] func(ctx context.Context, src Source, keys []K) ([]V, []error)

// Loader reads one kind of value by key for one operation, each key at
// most once: every key asked for is claimed by the first ask, read, and
// its outcome (value or error) kept for the rest of the operation. Later
// and concurrent asks for a claimed key wait for that read instead of
// making their own.
//
// There are two ways to ask:
//   - LoadMany and LoadNow read the keys not yet claimed at once, in one
//     store call per MaxBatch keys, without a timer. Batch resolvers use
//     them: gqlgen hands them every parent of a list in one call, so the
//     batch is the list, by construction.
//   - Load joins a batch that collects keys for a short wait (dataloader),
//     for asks that arrive one key at a time from separate goroutines: the
//     root fields of one document (several aliased user(id:) fields, an
//     AppSync BatchInvoke). A key already claimed never waits for a batch.
type Loader[K comparable, V any] struct {
	src   Source
	wait  time.Duration
	fetch fetchFunc[K, V]

	mu      sync.Mutex
	entries map[K]*entry[V]

	once    sync.Once
	batcher *dataloader.Loader[K, V]
}

// entry is one key's outcome: done is closed once value and err are set
// (the entries of one store call share it).
type entry[V any] struct {
	done  chan struct{}
	value V
	err   error
}

// closed is the done channel of entries that are known from the start
// (primed).
var closed = func() chan struct{} {
	c := make(chan struct{})
	close(c)
	return c
}()

// result returns the entry's outcome, waiting for its read; it returns
// ctx's error if ctx ends first.
func (e *entry[V]) result(ctx context.Context) (V, error) {
	select {
	case <-e.done:
		return e.value, e.err
	default:
	}
	select {
	case <-e.done:
		return e.value, e.err
	case <-ctx.Done():
		var zero V
		return zero, ctx.Err()
	}
}

func (l *Loader[K, V]) init(src Source, wait time.Duration, fetch fetchFunc[K, V]) {
	l.src, l.wait, l.fetch = src, wait, fetch
}

// LoadMany returns the values of keys, in order, with one error per key
// (nil, NotFound, or the error of the store call that read it). It reads
// the keys nobody has claimed yet at once, one store call per MaxBatch of
// them (running at the same time), and waits for the keys others are
// reading. Duplicate keys are read once.
func (l *Loader[K, V]) LoadMany(ctx context.Context, keys []K) ([]V, []error) {
	found := make([]*entry[V], len(keys))
	var claimed []K
	var claims []entry[V] // never grows past its capacity: found points into it
	l.mu.Lock()
	if l.entries == nil {
		l.entries = make(map[K]*entry[V], len(keys))
	}
	for i, k := range keys {
		e, ok := l.entries[k]
		if !ok {
			if claims == nil {
				claimed, claims = make([]K, 0, len(keys)-i), make([]entry[V], 0, len(keys)-i)
			}
			if len(claims)%MaxBatch == 0 {
				// The entries of one store call share its done channel.
				claims = append(claims, entry[V]{done: make(chan struct{})})
			} else {
				claims = append(claims, entry[V]{done: claims[len(claims)-1].done})
			}
			e = &claims[len(claims)-1]
			l.entries[k] = e
			claimed = append(claimed, k)
		}
		found[i] = e
	}
	l.mu.Unlock()

	for len(claimed) > MaxBatch {
		go l.read(ctx, claimed[:MaxBatch], claims[:MaxBatch])
		claimed, claims = claimed[MaxBatch:], claims[MaxBatch:]
	}
	if len(claimed) > 0 {
		l.read(ctx, claimed, claims)
	}

	values := make([]V, len(keys))
	errs := make([]error, len(keys))
	for i, e := range found {
		values[i], errs[i] = e.result(ctx)
	}
	return values, errs
}

// LoadNow returns the value of key (see LoadMany), reading it at once if
// nobody has claimed it yet.
func (l *Loader[K, V]) LoadNow(ctx context.Context, key K) (V, error) {
	l.mu.Lock()
	e := l.entries[key]
	if e != nil {
		l.mu.Unlock()
		return e.result(ctx)
	}
	if l.entries == nil {
		l.entries = map[K]*entry[V]{}
	}
	claims := []entry[V]{{done: make(chan struct{})}}
	l.entries[key] = &claims[0]
	l.mu.Unlock()
	l.read(ctx, []K{key}, claims)
	return claims[0].value, claims[0].err
}

// Load returns the value of key (see LoadMany for the errors). A key
// already claimed is waited for directly; any other joins the batch of
// Loads that collects keys for the loader's wait (or until MaxBatch keys)
// and is then read through LoadMany. Loaders that do not wait
// (NewImmediate) load as LoadNow.
func (l *Loader[K, V]) Load(ctx context.Context, key K) (V, error) {
	if l.wait == 0 {
		return l.LoadNow(ctx, key)
	}
	if e := l.claimed(key); e != nil {
		return e.result(ctx)
	}
	l.once.Do(func() { l.batcher = newTimedBatcher(l.wait, l.loadBatch) })
	return l.batcher.Load(ctx, key)()
}

// claimed returns key's entry, or nil if nobody has asked for key yet.
func (l *Loader[K, V]) claimed(key K) *entry[V] {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.entries[key]
}

// Prime records value for key unless key is already claimed.
func (l *Loader[K, V]) Prime(key K, value V) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.entries == nil {
		l.entries = map[K]*entry[V]{}
	}
	if _, ok := l.entries[key]; !ok {
		l.entries[key] = &entry[V]{done: closed, value: value}
	}
}

// Replace records value for key, replacing what was read or primed (a
// change this operation made). Asks already waiting keep the old outcome.
func (l *Loader[K, V]) Replace(key K, value V) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.entries == nil {
		l.entries = map[K]*entry[V]{}
	}
	l.entries[key] = &entry[V]{done: closed, value: value}
}

// read fetches keys, claimed by the caller as claims (which share one done
// channel), in one store call and publishes their outcomes. A panic in the
// fetch becomes every key's error.
func (l *Loader[K, V]) read(ctx context.Context, keys []K, claims []entry[V]) {
	values, errs, err := l.safeFetch(ctx, keys)
	for i := range claims {
		if err != nil {
			claims[i].err = err
		} else {
			claims[i].value, claims[i].err = values[i], errs[i]
		}
	}
	close(claims[0].done)
}

func (l *Loader[K, V]) safeFetch(ctx context.Context, keys []K) (values []V, errs []error, err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("loaders: read of %d keys panicked: %v\n%s", len(keys), r, debug.Stack())
		}
	}()
	values, errs = l.fetch(ctx, l.src, keys)
	if len(values) != len(keys) || len(errs) != len(keys) {
		return nil, nil, fmt.Errorf("loaders: read of %d keys answered %d values and %d errors", len(keys), len(values), len(errs))
	}
	return values, errs, nil
}

// newTimedBatcher returns a dataloader that collects keys for wait (or
// until MaxBatch keys) and answers them with fn. It keeps no cache of its
// own: fn reads through LoadMany, whose entries are the cache, so a key is
// read once however it is asked for.
func newTimedBatcher[K comparable, V any](wait time.Duration, fn dataloader.BatchFunc[K, V]) *dataloader.Loader[K, V] {
	return dataloader.NewBatchedLoader(fn,
		dataloader.WithBatchCapacity[K, V](MaxBatch),
		dataloader.WithInputCapacity[K, V](MaxBatch), // a batch never holds more (default: 1,000)
		dataloader.WithWait[K, V](wait),
		dataloader.WithCache[K, V](&dataloader.NoCache[K, V]{}))
}

// loadBatch is the batch function behind Load.
func (l *Loader[K, V]) loadBatch(ctx context.Context, keys []K) []*dataloader.Result[V] {
	values, errs := l.LoadMany(ctx, keys)
	out := make([]*dataloader.Result[V], len(keys))
	for i := range keys {
		out[i] = &dataloader.Result[V]{Data: values[i], Error: errs[i]}
	}
	return out
}
