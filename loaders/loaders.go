// Package loaders reads what the nested fields of one GraphQL operation
// need, each key at most once per operation and in as few store calls as
// the shape of the query allows: every field that needs a user, an
// organisation, schedules or completions asks a Loader, which claims the
// keys nobody has asked for yet and reads them in one batched store call.
//
// The batching is structural: gqlgen's batch resolvers hand a field every
// parent of a list at once, and the field reads all their keys with
// LoadMany, so a list of 40 users costs the same store calls as a list of
// 4, whatever the timing. Root fields ask one key at a time (Load) and
// batch by a short wait, as dataloader does.
//
// Loaders are created per operation (never per connection: a WebSocket
// lives long and its data goes stale): api.New creates them with New and
// installs them with With; resolvers and services find them with From.
package loaders

import (
	"context"
	"errors"
	"sync"
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

// DefaultWait is how long Load collects keys before it calls the store.
const DefaultWait = time.Millisecond

// Loaders holds one operation's loaders. Outcomes are kept for the
// operation, errors included: a failed read is not retried by the next
// field that asks (the store already retried), so an outage costs one
// failed read per key, not one per field.
type Loaders struct {
	users          Loader[string, domain.User]
	organisations  Loader[string, domain.Organisation]
	schedules      Loader[string, domain.Schedule]
	ownerSchedules Loader[string, []domain.Schedule]
	completions    Loader[domain.OwnerDate, []domain.Completion]
	taskRefs       Loader[string, domain.TaskRef]
	memberPages    Loader[MemberPageKey, domain.Page[domain.User]]

	wait     time.Duration
	dayOnce  sync.Once
	dayBatch *dataloader.Loader[domain.OwnerDate, Day]
}

// New returns fresh loaders over src whose Loads wait at most wait
// (DefaultWait when zero) to collect a batch of at most MaxBatch keys.
// LoadMany and LoadNow never wait.
func New(src Source, wait time.Duration) *Loaders {
	if wait <= 0 {
		wait = DefaultWait
	}
	return newLoaders(src, wait)
}

// NewImmediate returns fresh loaders over src whose Loads (and Day) read
// at once, as LoadNow does, instead of collecting a batch: for an
// operation in which no other ask could join one (a document with a
// single root field, one field of a mutation). Each key is still read at
// most once.
func NewImmediate(src Source) *Loaders { return newLoaders(src, 0) }

// newLoaders returns loaders whose Loads wait wait, or none when 0.
func newLoaders(src Source, wait time.Duration) *Loaders {
	l := &Loaders{wait: wait}
	l.users.init(src, wait, readUsers)
	l.organisations.init(src, wait, readOrganisations)
	l.schedules.init(src, wait, readSchedules)
	l.ownerSchedules.init(src, wait, readOwnerSchedules)
	l.completions.init(src, wait, readCompletions)
	l.taskRefs.init(src, wait, readTaskRefs)
	l.memberPages.init(src, wait, readMemberPages)
	return l
}

// Users loads users by id; a missing one is NotFound.
func (l *Loaders) Users() *Loader[string, domain.User] { return &l.users }

// Organisations loads organisations by id; a missing one is NotFound.
func (l *Loaders) Organisations() *Loader[string, domain.Organisation] { return &l.organisations }

// Schedules loads schedules by id; a missing one is NotFound.
func (l *Loaders) Schedules() *Loader[string, domain.Schedule] { return &l.schedules }

// TaskRefs loads which schedule (and owner) each task id belongs to; a
// missing one is NotFound.
func (l *Loaders) TaskRefs() *Loader[string, domain.TaskRef] { return &l.taskRefs }

// OwnerSchedules loads each owner's schedules (none: an empty list).
func (l *Loaders) OwnerSchedules() *Loader[string, []domain.Schedule] { return &l.ownerSchedules }

// Completions loads each owner's completions on a day (none: an empty
// list).
func (l *Loaders) Completions() *Loader[domain.OwnerDate, []domain.Completion] { return &l.completions }

// MemberPages reads each distinct page once per operation, however often
// nested fields (organisation { members { items { organisation { members
// ... } } } }) ask for it: one ListMembers call per page.
func (l *Loaders) MemberPages() *Loader[MemberPageKey, domain.Page[domain.User]] {
	return &l.memberPages
}

// Day is one owner's schedules and their completions on one day: what an
// agenda needs.
type Day struct {
	Schedules   []domain.Schedule
	Completions []domain.Completion
}

// Days returns the Day of each key, in order, with one error per key (the
// error of either read). It reads the owners' schedules and the days'
// completions at once (see Loader.LoadMany), the two reads running at the
// same time. It shares OwnerSchedules with fields that list schedules, so
// an owner's schedules are read once per operation.
func (l *Loaders) Days(ctx context.Context, keys []domain.OwnerDate) ([]Day, []error) {
	owners := make([]string, len(keys))
	for i, k := range keys {
		owners[i] = k.OwnerID
	}
	var schedules [][]domain.Schedule
	var scheduleErrs []error
	read := make(chan struct{})
	go func() {
		defer close(read)
		schedules, scheduleErrs = l.ownerSchedules.LoadMany(ctx, owners)
	}()
	completions, errs := l.completions.LoadMany(ctx, keys)
	<-read
	days := make([]Day, len(keys))
	for i := range keys {
		days[i] = Day{Schedules: schedules[i], Completions: completions[i]}
		if scheduleErrs[i] != nil {
			errs[i] = scheduleErrs[i]
		}
	}
	return days, errs
}

// Day returns one key's Day for a root field: at once if both reads are
// already claimed or the loaders do not wait (NewImmediate), else through
// a batch that collects the Day asks of the loaders' wait (aliased root
// fields) and reads them with Days.
func (l *Loaders) Day(ctx context.Context, key domain.OwnerDate) (Day, error) {
	schedules, completions := l.ownerSchedules.claimed(key.OwnerID), l.completions.claimed(key)
	if (schedules == nil || completions == nil) && l.wait == 0 {
		days, errs := l.Days(ctx, []domain.OwnerDate{key})
		return days[0], errs[0]
	}
	if schedules == nil || completions == nil {
		l.dayOnce.Do(func() { l.dayBatch = newTimedBatcher(l.wait, l.daysBatch) })
		return l.dayBatch.Load(ctx, key)()
	}
	var d Day
	var err, cerr error
	d.Schedules, err = schedules.result(ctx)
	d.Completions, cerr = completions.result(ctx)
	if err == nil {
		err = cerr
	}
	return d, err
}

// daysBatch is the batch function behind Day.
func (l *Loaders) daysBatch(ctx context.Context, keys []domain.OwnerDate) []*dataloader.Result[Day] {
	days, errs := l.Days(ctx, keys)
	out := make([]*dataloader.Result[Day], len(keys))
	for i := range keys {
		out[i] = &dataloader.Result[Day]{Data: days[i], Error: errs[i]}
	}
	return out
}

type ctxKey struct{}

// ErrMissing is returned by From when no loaders are in the context: the
// GraphQL handler that ran the operation was not built by api.New, which
// puts fresh loaders (New, With) in the context of every response, and of
// every root field of a mutation.
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
