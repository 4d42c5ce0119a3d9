package storetest

import (
	"context"
	"fmt"
	"slices"
	"sync"

	"github.com/dayline/dayline/domain"
	"github.com/dayline/dayline/store"
)

// Counting is a store that counts every read made through it, by method
// name, for tests that count work (store calls per request) instead of
// timing it. Writes pass through uncounted. Safe for concurrent use.
type Counting struct {
	store.Store

	mu    sync.Mutex
	names []string
	// panics names a read that panics instead of reading, for fault
	// tests ("" for none).
	panics string
}

// PanicIn makes the read named name panic ("" for none).
func (c *Counting) PanicIn(name string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.panics = name
}

func (c *Counting) record(name string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.names = append(c.names, name)
	if c.panics == name {
		panic(fmt.Sprintf("test fault in %s", name))
	}
}

// Reset forgets the reads counted so far.
func (c *Counting) Reset() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.names = nil
}

// Calls returns how many reads were made since the last Reset or Take.
func (c *Counting) Calls() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return len(c.names)
}

// Made lists, sorted, the reads made since the last Reset or Take.
func (c *Counting) Made() []string {
	c.mu.Lock()
	defer c.mu.Unlock()
	return slices.Sorted(slices.Values(c.names))
}

// Take returns the reads made since the last Reset or Take, counted by
// name, and forgets them.
func (c *Counting) Take() map[string]int {
	c.mu.Lock()
	defer c.mu.Unlock()
	out := map[string]int{}
	for _, n := range c.names {
		out[n]++
	}
	c.names = nil
	return out
}

func (c *Counting) GetUsers(ctx context.Context, ids []string) ([]domain.User, error) {
	c.record("GetUsers")
	return c.Store.GetUsers(ctx, ids)
}

func (c *Counting) GetOrganisations(ctx context.Context, ids []string) ([]domain.Organisation, error) {
	c.record("GetOrganisations")
	return c.Store.GetOrganisations(ctx, ids)
}

func (c *Counting) GetSchedules(ctx context.Context, ids []string) ([]domain.Schedule, error) {
	c.record("GetSchedules")
	return c.Store.GetSchedules(ctx, ids)
}

func (c *Counting) SchedulesByOwners(ctx context.Context, ids []string) (map[string][]domain.Schedule, error) {
	c.record("SchedulesByOwners")
	return c.Store.SchedulesByOwners(ctx, ids)
}

func (c *Counting) CompletionsOn(ctx context.Context, days []domain.OwnerDate) (map[domain.OwnerDate][]domain.Completion, error) {
	c.record("CompletionsOn")
	return c.Store.CompletionsOn(ctx, days)
}

func (c *Counting) GetTaskRefs(ctx context.Context, ids []string) ([]domain.TaskRef, error) {
	c.record("GetTaskRefs")
	return c.Store.GetTaskRefs(ctx, ids)
}

func (c *Counting) ListMembers(ctx context.Context, orgID string, p domain.PageRequest) (domain.Page[domain.User], error) {
	c.record("ListMembers")
	return c.Store.ListMembers(ctx, orgID, p)
}

func (c *Counting) ListSchedules(ctx context.Context, ownerID string, p domain.PageRequest) (domain.Page[domain.Schedule], error) {
	c.record("ListSchedules")
	return c.Store.ListSchedules(ctx, ownerID, p)
}
