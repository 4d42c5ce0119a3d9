// Package loaders batches the store reads of one GraphQL operation with
// dataloader v7: every nested field that needs a user, schedule or agenda
// asks a loader, and the loader turns the many asks of one resolution round
// into one batched store call. Loaders are created per operation (never per
// connection: a WebSocket lives long and its data goes stale).
package loaders

import (
	"context"
	"errors"
	"slices"
	"time"

	"github.com/graph-gophers/dataloader/v7"

	"github.com/dayline/dayline/domain"
)

// Source is the batched reads the loaders need (store.Store satisfies it).
type Source interface {
	GetUsers(ctx context.Context, ids []string) ([]domain.User, error)
	GetOrganisations(ctx context.Context, ids []string) ([]domain.Organisation, error)
	GetSchedules(ctx context.Context, ids []string) ([]domain.Schedule, error)
	SchedulesByOwners(ctx context.Context, ownerIDs []string) (map[string][]domain.Schedule, error)
	CompletionsOn(ctx context.Context, days []domain.OwnerDate) (map[domain.OwnerDate][]domain.Completion, error)
	GetTaskRefs(ctx context.Context, taskIDs []string) ([]domain.TaskRef, error)
	ListMembers(ctx context.Context, orgID string, page domain.PageRequest) (domain.Page[domain.User], error)
}

// MemberPageKey names one page of an organisation's members.
type MemberPageKey struct {
	OrganisationID string
	Page           domain.PageRequest
}

// MaxBatch is the most keys one batched store call receives (DynamoDB's
// BatchGetItem limit).
const MaxBatch = 100

// DefaultWait is how long a loader collects keys before it calls the store.
const DefaultWait = time.Millisecond

// Loaders holds one operation's loaders, each created on first use (an
// operation pays only for the loaders its fields ask for). Results are
// cached for the operation, errors included: a failed read is not retried
// by the next field that asks (the store already retried), so an outage
// costs one failed read per key, not one per field.
type Loaders struct {
	src            Source
	wait           time.Duration
	usersCache     *dataloader.InMemoryCache[string, domain.User]
	users          lazyLoader[string, domain.User]
	organisations  lazyLoader[string, domain.Organisation]
	schedules      lazyLoader[string, domain.Schedule]
	ownerSchedules lazyLoader[string, []domain.Schedule]
	days           lazyLoader[domain.OwnerDate, Day]
	taskRefs       lazyLoader[string, domain.TaskRef]
	memberPages    lazyLoader[MemberPageKey, domain.Page[domain.User]]
}

// New returns fresh loaders over src that wait at most wait (DefaultWait when
// zero) to collect a batch of at most MaxBatch keys.
func New(src Source, wait time.Duration) *Loaders {
	if wait <= 0 {
		wait = DefaultWait
	}
	return &Loaders{src: src, wait: wait, usersCache: dataloader.NewCache[string, domain.User]()}
}

// Users loads users by id; a missing one is NotFound.
func (l *Loaders) Users() *dataloader.Loader[string, domain.User] {
	return l.users.get(func() *dataloader.Loader[string, domain.User] {
		return newLoader(l.wait, byID("user", l.src.GetUsers, func(u domain.User) string { return u.ID }),
			dataloader.WithCache[string, domain.User](l.usersCache))
	})
}

// Organisations loads organisations by id; a missing one is NotFound.
func (l *Loaders) Organisations() *dataloader.Loader[string, domain.Organisation] {
	return l.organisations.get(func() *dataloader.Loader[string, domain.Organisation] {
		return newLoader(l.wait, byID("organisation", l.src.GetOrganisations, func(o domain.Organisation) string { return o.ID }))
	})
}

// Schedules loads schedules by id; a missing one is NotFound.
func (l *Loaders) Schedules() *dataloader.Loader[string, domain.Schedule] {
	return l.schedules.get(func() *dataloader.Loader[string, domain.Schedule] {
		return newLoader(l.wait, byID("schedule", l.src.GetSchedules, func(s domain.Schedule) string { return s.ID }))
	})
}

// TaskRefs loads which schedule (and owner) each task id belongs to; a
// missing one is NotFound.
func (l *Loaders) TaskRefs() *dataloader.Loader[string, domain.TaskRef] {
	return l.taskRefs.get(func() *dataloader.Loader[string, domain.TaskRef] {
		return newLoader(l.wait, byID("task", l.src.GetTaskRefs, func(t domain.TaskRef) string { return t.TaskID }))
	})
}

// OwnerSchedules loads each owner's schedules (none: an empty list).
func (l *Loaders) OwnerSchedules() *dataloader.Loader[string, []domain.Schedule] {
	return l.ownerSchedules.get(func() *dataloader.Loader[string, []domain.Schedule] {
		return newLoader(l.wait, mapped(l.src.SchedulesByOwners))
	})
}

// Days reads, for each owner's day, the owner's schedules and that day's
// completions in one round: what an agenda needs.
func (l *Loaders) Days() *dataloader.Loader[domain.OwnerDate, Day] {
	return l.days.get(func() *dataloader.Loader[domain.OwnerDate, Day] {
		return newLoader(l.wait, days(l.src))
	})
}

// MemberPages reads each distinct page once per operation, however often
// nested fields (organisation { members { items { organisation { members
// ... } } } }) ask for it.
func (l *Loaders) MemberPages() *dataloader.Loader[MemberPageKey, domain.Page[domain.User]] {
	return l.memberPages.get(func() *dataloader.Loader[MemberPageKey, domain.Page[domain.User]] {
		return newLoader(l.wait, memberPages(l.src))
	})
}

// LoadUsersNow reads the users with these ids at once, without a batch
// wait, and caches the outcome for later Loads: the user, NotFound, or the
// read's error. Dayline does this for the caller at the start of every
// operation: every resolver needs the caller first, so waiting to batch it
// would only add a round.
func (l *Loaders) LoadUsersNow(ctx context.Context, ids ...string) {
	users, err := l.src.GetUsers(ctx, validIDs(ids))
	found := make(map[string]domain.User, len(users))
	for _, u := range users {
		found[u.ID] = u
	}
	for _, id := range ids {
		u, ok := found[id]
		var miss error
		switch {
		case err != nil:
			miss = err
		case !ok:
			miss = domain.NotFound("user", id)
		}
		l.usersCache.Set(ctx, id, func() (domain.User, error) { return u, miss })
	}
}

func newLoader[K comparable, V any](wait time.Duration, fn dataloader.BatchFunc[K, V], opts ...dataloader.Option[K, V]) *dataloader.Loader[K, V] {
	return dataloader.NewBatchedLoader(fn, append([]dataloader.Option[K, V]{
		dataloader.WithBatchCapacity[K, V](MaxBatch),
		dataloader.WithWait[K, V](wait),
	}, opts...)...)
}

// byID adapts a batch read that omits missing ids into a batch function
// that answers every key in order: missing ones get a NotFound error.
// Invalid ids (domain.ValidID), which can name nothing stored, are missing
// without being sent to the store: a 10,000-byte id must not reach a
// DynamoDB key.
func byID[V any](kind string, fetch func(context.Context, []string) ([]V, error), id func(V) string) dataloader.BatchFunc[string, V] {
	return func(ctx context.Context, keys []string) []*dataloader.Result[V] {
		items, err := fetch(ctx, validIDs(keys))
		out := make([]*dataloader.Result[V], len(keys))
		if err != nil {
			for i := range out {
				out[i] = &dataloader.Result[V]{Error: err}
			}
			return out
		}
		found := make(map[string]V, len(items))
		for _, it := range items {
			found[id(it)] = it
		}
		for i, k := range keys {
			if v, ok := found[k]; ok {
				out[i] = &dataloader.Result[V]{Data: v}
			} else {
				out[i] = &dataloader.Result[V]{Error: domain.NotFound(kind, k)}
			}
		}
		return out
	}
}

// Day is one owner's schedules and their completions on one day.
type Day struct {
	Schedules   []domain.Schedule
	Completions []domain.Completion
}

// days reads the schedules of the keys' owners and the completions of
// their days, the two reads running at the same time.
func days(src Source) dataloader.BatchFunc[domain.OwnerDate, Day] {
	return func(ctx context.Context, keys []domain.OwnerDate) []*dataloader.Result[Day] {
		owners := make([]string, len(keys))
		for i, k := range keys {
			owners[i] = k.OwnerID
		}
		var done map[domain.OwnerDate][]domain.Completion
		var doneErr error
		finished := make(chan struct{})
		go func() {
			defer close(finished)
			done, doneErr = src.CompletionsOn(ctx, keys)
		}()
		schedules, err := src.SchedulesByOwners(ctx, owners)
		<-finished
		if err == nil {
			err = doneErr
		}
		out := make([]*dataloader.Result[Day], len(keys))
		for i, k := range keys {
			out[i] = &dataloader.Result[Day]{Data: Day{Schedules: schedules[k.OwnerID], Completions: done[k]}, Error: err}
		}
		return out
	}
}

// validIDs returns the ids that pass domain.ValidID (all of them, without
// copying, in the usual case).
func validIDs(ids []string) []string {
	for i, id := range ids {
		if !domain.ValidID(id) {
			valid := slices.Clone(ids[:i])
			for _, id := range ids[i+1:] {
				if domain.ValidID(id) {
					valid = append(valid, id)
				}
			}
			return valid
		}
	}
	return ids
}

// memberPages reads each requested page (keys are distinct: the loader
// dedupes repeated asks) with one ListMembers call.
func memberPages(src Source) dataloader.BatchFunc[MemberPageKey, domain.Page[domain.User]] {
	return func(ctx context.Context, keys []MemberPageKey) []*dataloader.Result[domain.Page[domain.User]] {
		out := make([]*dataloader.Result[domain.Page[domain.User]], len(keys))
		for i, k := range keys {
			p, err := src.ListMembers(ctx, k.OrganisationID, k.Page)
			out[i] = &dataloader.Result[domain.Page[domain.User]]{Data: p, Error: err}
		}
		return out
	}
}

// mapped adapts a batch read that answers a map into a batch function;
// absent keys get the zero value (an empty list).
func mapped[K comparable, V any](fetch func(context.Context, []K) (map[K]V, error)) dataloader.BatchFunc[K, V] {
	return func(ctx context.Context, keys []K) []*dataloader.Result[V] {
		got, err := fetch(ctx, keys)
		out := make([]*dataloader.Result[V], len(keys))
		for i, k := range keys {
			if err != nil {
				out[i] = &dataloader.Result[V]{Error: err}
				continue
			}
			out[i] = &dataloader.Result[V]{Data: got[k]}
		}
		return out
	}
}

type ctxKey struct{}

// ErrMissing is returned by From when no loaders are in the context: the
// GraphQL handler was built without loaders.Middleware.
var ErrMissing = errors.New("loaders: none in context")

// With returns ctx carrying l.
func With(ctx context.Context, l *Loaders) context.Context {
	return context.WithValue(ctx, ctxKey{}, l)
}

// From returns the loaders in ctx, or ErrMissing.
func From(ctx context.Context) (*Loaders, error) {
	l, ok := ctx.Value(ctxKey{}).(*Loaders)
	if !ok || l == nil {
		return nil, ErrMissing
	}
	return l, nil
}
