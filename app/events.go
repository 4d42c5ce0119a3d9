package app

import (
	"context"
	"log/slog"

	"github.com/dayline/dayline/domain"
	"github.com/dayline/dayline/pubsub"
)

// Publisher carries change events to subscriptions on every instance
// (pubsub.Bus satisfies it). An event names what changed by ids and a
// version, never by data.
type Publisher interface {
	Publish(ctx context.Context, e pubsub.Event) error
}

// publish sends e after a successful change. A failed publish never fails
// the change: delivery is at most once, so the error is logged and the
// mutation answers as usual. Without a Publisher (Lambda, admin verbs)
// nothing is sent.
func (env Env) publish(ctx context.Context, e pubsub.Event) {
	if env.Events == nil {
		return
	}
	// The change is committed: a client that goes away now must not
	// cancel its event (the bus bounds the publish itself).
	if err := env.Events.Publish(context.WithoutCancel(ctx), e); err != nil && env.Logger != nil {
		env.Logger.LogAttrs(ctx, slog.LevelWarn, "event not published",
			slog.String("kind", string(e.Kind)), slog.String("schedule_id", e.ScheduleID),
			slog.String("error", err.Error()))
	}
}

// scheduleChanged is the event of a change to s (deleted: its deletion).
func scheduleChanged(s domain.Schedule, deleted bool) pubsub.Event {
	return pubsub.Event{
		Kind: pubsub.ScheduleChanged, OrganisationID: s.OrganisationID, OwnerID: s.OwnerID,
		ScheduleID: s.ID, Version: s.Version, Deleted: deleted,
	}
}

// taskCompleted is the event of ticking or unticking c.
func taskCompleted(c domain.Completion) pubsub.Event {
	return pubsub.Event{
		Kind: pubsub.TaskCompleted, OrganisationID: c.OrganisationID, OwnerID: c.OwnerID,
		ScheduleID: c.ScheduleID, TaskID: c.TaskID, Date: string(c.Date),
	}
}
