package app

import (
	"context"
	"time"

	"github.com/dayline/dayline/domain"
	"github.com/dayline/dayline/loaders"
	"github.com/dayline/dayline/pubsub"
	"github.com/dayline/dayline/scalars"
)

// Feed hands a subscription the events of one organisation that match
// (subscribe.Hub satisfies it; its events are shared, read-only). The
// channel is the subscription's bounded
// queue: it is closed when ctx ends, when the subscriber fell behind (its
// connection is then closed by the transport) and when the server shuts
// down. Subscribe fails (ServiceUnavailable) when the feed is closed.
type Feed interface {
	Subscribe(ctx context.Context, organisationID string, match func(pubsub.Event) bool) (<-chan *pubsub.Event, error)
}

// eventReadTimeout bounds the reads one event costs one subscriber.
const eventReadTimeout = 30 * time.Second

// errNoFeed answers subscriptions where none are served (Lambda).
var errNoFeed = domain.BadRequest("subscriptions need a long-lived connection: use the standalone server (dayline serve) or AppSync")

// Subscriptions is the service of Subscription fields. Their arguments
// filter as AppSync's do (every given argument equals the payload's field
// of the same name; omitted ones do not filter), and on top of that every
// event is re-read for each subscriber, with fresh loaders, under the
// subscriber's stored user and the rules a query would apply: a member
// gets only its own schedules and completions, nobody another
// organisation's. An event a subscriber may not see is skipped for it.
//
// A subscription the actor may not make is refused when it starts with
// the error the matching query would get: NotFound for an owner or
// schedule of another organisation (or none), Unauthorized for a member
// naming someone else's.
type Subscriptions struct {
	feed       Feed
	users      *Users
	newLoaders func() *loaders.Loaders
	deleted    DeletedSchedules
}

// DeletedSchedules reads what a deleted schedule was (store.Store
// satisfies it), so that every instance can deliver deleteSchedule's
// payload.
type DeletedSchedules interface {
	// GetDeletedSchedule returns schedule id as it was deleted; NotFound
	// if it was not deleted (or no longer remembered).
	GetDeletedSchedule(ctx context.Context, id string) (domain.Schedule, error)
}

// NewSubscriptions returns the Subscriptions service: events come from
// feed (nil: every subscription is refused with BadRequest), each is read
// with loaders from newLoaders, deleted schedules from deleted (nil: a
// deletion is delivered to nobody).
func NewSubscriptions(feed Feed, users *Users, newLoaders func() *loaders.Loaders, deleted DeletedSchedules) *Subscriptions {
	return &Subscriptions{feed: feed, users: users, newLoaders: newLoaders, deleted: deleted}
}

// ScheduleChanges is onScheduleChanged(ownerId, id): each schedule change
// matching the arguments that the actor may see, read afresh (a deleted
// schedule as it was deleted). The channel is closed when the
// subscription ends. Errors at start: see Subscriptions.
func (s *Subscriptions) ScheduleChanges(ctx context.Context, l *loaders.Loaders, by Actor, ownerID, id *string) (<-chan *domain.Schedule, error) {
	if s.feed == nil {
		return nil, errNoFeed
	}
	if ownerID != nil {
		if _, err := by.visibleUser(ctx, l, *ownerID); err != nil {
			return nil, err
		}
	}
	if id != nil {
		if _, err := by.visibleSchedule(ctx, l, *id); err != nil {
			return nil, err
		}
	}
	scope := memberScope(by)
	match := func(e pubsub.Event) bool {
		return e.Kind == pubsub.ScheduleChanged && argMatches(ownerID, e.OwnerID) && argMatches(id, e.ScheduleID) && argMatches(scope, e.OwnerID)
	}
	events, err := s.feed.Subscribe(ctx, by.User.OrganisationID, match)
	if err != nil {
		return nil, err
	}
	return deliver(ctx, s, by.User.ID, events, s.changedSchedule), nil
}

// TaskCompletions is onTaskCompleted(ownerId): each tick and untick of a
// task of a user the actor may see (matching ownerId), with the
// completion's state read afresh. Errors at start: see Subscriptions.
func (s *Subscriptions) TaskCompletions(ctx context.Context, l *loaders.Loaders, by Actor, ownerID *string) (<-chan *domain.Completion, error) {
	if s.feed == nil {
		return nil, errNoFeed
	}
	if ownerID != nil {
		if _, err := by.visibleUser(ctx, l, *ownerID); err != nil {
			return nil, err
		}
	}
	scope := memberScope(by)
	match := func(e pubsub.Event) bool {
		return e.Kind == pubsub.TaskCompleted && argMatches(ownerID, e.OwnerID) && argMatches(scope, e.OwnerID)
	}
	events, err := s.feed.Subscribe(ctx, by.User.OrganisationID, match)
	if err != nil {
		return nil, err
	}
	return deliver(ctx, s, by.User.ID, events, s.completion), nil
}

// memberScope is, for a member, its own id: the only owner whose events
// it may see, so others' are not even read for it (each event is still
// re-read under its stored user: a member removed meanwhile gets nothing).
// Staff see every owner of the organisation: nil. A member promoted while
// subscribed sees others' events once it subscribes again.
func memberScope(by Actor) *string {
	if by.staff() {
		return nil
	}
	return &by.User.ID
}

// argMatches is AppSync's rule for one subscription argument: omitted, it
// does not filter; given, it must equal the payload's field.
func argMatches(arg *string, field string) bool { return arg == nil || *arg == field }

// deliver reads each event for the subscriber whose user id is sub and
// sends what it may see on the returned channel, one event at a time, in
// order. The channel is closed when events is (or ctx ends).
func deliver[T any](ctx context.Context, s *Subscriptions, sub string, events <-chan *pubsub.Event,
	read func(context.Context, *loaders.Loaders, Actor, pubsub.Event) (T, error)) <-chan *T {
	out := make(chan *T)
	go func() {
		defer close(out)
		for {
			var e *pubsub.Event
			var ok bool
			select {
			case e, ok = <-events:
			case <-ctx.Done():
				return
			}
			if !ok {
				return
			}
			v, err := readFor(ctx, s, sub, *e, read)
			if err != nil { // not the subscriber's to see, or gone: skipped
				continue
			}
			select {
			case out <- &v:
			case <-ctx.Done():
				return
			}
		}
	}()
	return out
}

// readFor reads e for the subscriber sub with fresh loaders, as the
// subscriber's stored user now is (a removed user gets nothing more).
func readFor[T any](ctx context.Context, s *Subscriptions, sub string, e pubsub.Event,
	read func(context.Context, *loaders.Loaders, Actor, pubsub.Event) (T, error)) (T, error) {
	ctx, cancel := context.WithTimeout(ctx, eventReadTimeout)
	defer cancel()
	l := s.newLoaders()
	by, err := s.users.Actor(ctx, l, sub)
	if err != nil {
		var zero T
		return zero, err
	}
	return read(ctx, l, by, e)
}

// changedSchedule is the schedule e names as the actor may see it now; a
// deleted one as it was deleted.
func (s *Subscriptions) changedSchedule(ctx context.Context, l *loaders.Loaders, by Actor, e pubsub.Event) (domain.Schedule, error) {
	if !e.Deleted {
		return by.visibleSchedule(ctx, l, e.ScheduleID)
	}
	if s.deleted == nil {
		return domain.Schedule{}, domain.NotFound("schedule", e.ScheduleID)
	}
	sc, err := s.deleted.GetDeletedSchedule(ctx, e.ScheduleID)
	if err != nil {
		return domain.Schedule{}, err
	}
	return sc, by.canSeeSchedule(sc)
}

// completion is the state of the completion e names, if the actor may see
// its owner.
func (s *Subscriptions) completion(ctx context.Context, l *loaders.Loaders, by Actor, e pubsub.Event) (domain.Completion, error) {
	owner, err := by.visibleUser(ctx, l, e.OwnerID)
	if err != nil {
		return domain.Completion{}, err
	}
	ref, err := l.TaskRefs().Load(ctx, e.TaskID)
	if err != nil {
		return domain.Completion{}, err
	}
	if ref.OwnerID != owner.ID {
		return domain.Completion{}, domain.NotFound("task", e.TaskID)
	}
	date := scalars.Date(e.Date)
	c := domain.Completion{
		OwnerID: owner.ID, OrganisationID: owner.OrganisationID,
		ScheduleID: ref.ScheduleID, TaskID: ref.TaskID, Date: date,
	}
	day, err := l.Day(ctx, domain.OwnerDate{OwnerID: owner.ID, Day: date.Day()})
	if err != nil {
		return domain.Completion{}, err
	}
	for _, done := range day.Completions {
		if done.TaskID == ref.TaskID {
			c.Completed, c.CompletedAt = true, done.CompletedAt
		}
	}
	return c, nil
}

// SubscriberScope is what every event a user may receive shares, as
// payload fields and their values: its organisation and, for a member
// (who sees only its own schedules and completions), itself as owner. The
// hub does not need it (it re-reads each event under the subscriber's
// rules, which imply it); AppSync, which cannot re-read, filters each
// subscription by it (appsync).
func SubscriberScope(u domain.User) map[string]string {
	scope := map[string]string{"organisationId": u.OrganisationID}
	if own := memberScope(Actor{User: u}); own != nil {
		scope["ownerId"] = *own
	}
	return scope
}
