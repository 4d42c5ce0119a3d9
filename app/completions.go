package app

import (
	"context"
	"fmt"

	"github.com/dayline/dayline/domain"
	"github.com/dayline/dayline/loaders"
	"github.com/dayline/dayline/scalars"
)

// CompletionStore is the writes the Completions service makes
// (store.Store satisfies it). Reads go through the operation's loaders.
type CompletionStore interface {
	PutCompletion(ctx context.Context, c domain.Completion) (domain.Completion, error)
	DeleteCompletion(ctx context.Context, ownerID, day, taskID string) error
}

// Completions is the service of ticking tasks off: members tick their own
// tasks, staff anyone's in their organisation, and only on a day the task
// occurs.
type Completions struct {
	store CompletionStore
	env   Env
}

// NewCompletions returns the Completions service over st.
func NewCompletions(st CompletionStore, env Env) *Completions {
	return &Completions{store: st, env: env}
}

// Complete records that task taskID was done on date and returns the
// stored completion; completing twice keeps the first CompletedAt.
// NotFound for a task the actor cannot see across organisations,
// Unauthorized for a member ticking someone else's, BadRequest when the
// task does not occur on date (see domain.Schedule.CheckTaskOccurs).
func (s *Completions) Complete(ctx context.Context, l *loaders.Loaders, by Actor, taskID string, date scalars.Date) (domain.Completion, error) {
	c, sc, err := completionFor(ctx, l, by, taskID, date)
	if err != nil {
		return domain.Completion{}, err
	}
	if err := sc.CheckTaskOccurs(taskID, date); err != nil {
		return domain.Completion{}, err
	}
	now := s.env.Now()
	c.Completed, c.CompletedAt = true, &now
	stored, err := s.store.PutCompletion(ctx, c)
	if err != nil {
		return domain.Completion{}, fmt.Errorf("complete task: %w", err)
	}
	s.env.publish(ctx, taskCompleted(stored))
	return stored, nil
}

// Uncomplete removes the completion of task taskID on date and returns
// its key (Completed false). The rules and errors are Complete's, except
// that a completion stored for date can be undone even when the task no
// longer occurs then (a tick made before its schedule was deactivated or
// moved to other days).
func (s *Completions) Uncomplete(ctx context.Context, l *loaders.Loaders, by Actor, taskID string, date scalars.Date) (domain.Completion, error) {
	c, sc, err := completionFor(ctx, l, by, taskID, date)
	if err != nil {
		return domain.Completion{}, err
	}
	if occurs := sc.CheckTaskOccurs(taskID, date); occurs != nil {
		done, err := completedOn(ctx, l, c.OwnerID, taskID, date)
		if err != nil {
			return domain.Completion{}, err
		}
		if !done {
			return domain.Completion{}, occurs
		}
	}
	if err := s.store.DeleteCompletion(ctx, c.OwnerID, date.Day(), taskID); err != nil {
		return domain.Completion{}, fmt.Errorf("uncomplete task: %w", err)
	}
	s.env.publish(ctx, taskCompleted(c))
	return c, nil
}

// completionFor checks the actor may tick taskID and returns the
// completion key for date and the task's schedule.
func completionFor(ctx context.Context, l *loaders.Loaders, by Actor, taskID string, date scalars.Date) (domain.Completion, domain.Schedule, error) {
	ref, err := l.TaskRefs().Load(ctx, taskID)
	if err != nil {
		return domain.Completion{}, domain.Schedule{}, err
	}
	if err := by.canTick(ref); err != nil {
		return domain.Completion{}, domain.Schedule{}, err
	}
	sc, err := l.Schedules().Load(ctx, ref.ScheduleID)
	if err != nil {
		return domain.Completion{}, domain.Schedule{}, err
	}
	return domain.Completion{
		OwnerID:        ref.OwnerID,
		OrganisationID: ref.OrganisationID,
		ScheduleID:     ref.ScheduleID,
		TaskID:         ref.TaskID,
		Date:           date,
	}, sc, nil
}

// completedOn reports whether a completion of taskID by ownerID is stored
// for date.
func completedOn(ctx context.Context, l *loaders.Loaders, ownerID, taskID string, date scalars.Date) (bool, error) {
	day, err := l.Day(ctx, domain.OwnerDate{OwnerID: ownerID, Day: date.Day()})
	if err != nil {
		return false, err
	}
	for _, done := range day.Completions {
		if done.TaskID == taskID {
			return true, nil
		}
	}
	return false, nil
}
