package resolvers

import (
	"context"
	"fmt"

	"github.com/dayline/dayline/domain"
	"github.com/dayline/dayline/graph/model"
	"github.com/dayline/dayline/loaders"
	"github.com/dayline/dayline/scalars"
)

// scheduleToChange loads a schedule for a change and checks that the caller
// may plan for its owner and that expectedVersion is current (else Conflict).
// Cross-organisation ids are NotFound.
func scheduleToChange(ctx context.Context, id string, expectedVersion int) (domain.Schedule, error) {
	c, err := currentCaller(ctx)
	if err != nil {
		return domain.Schedule{}, err
	}
	l, err := loaders.From(ctx)
	if err != nil {
		return domain.Schedule{}, err
	}
	s, err := l.Schedules().Load(ctx, id)
	if err != nil {
		return domain.Schedule{}, err
	}
	if err := c.sameOrganisation(s.OrganisationID, "schedule", id); err != nil {
		return domain.Schedule{}, err
	}
	owner, err := l.Users().Load(ctx, s.OwnerID)
	if err != nil {
		return domain.Schedule{}, err
	}
	if err := c.canPlanFor(owner); err != nil {
		return domain.Schedule{}, err
	}
	if s.Version != expectedVersion {
		return domain.Schedule{}, domain.Conflict("schedule", id)
	}
	return s, nil
}

// changeSchedule is the one path for every change to an existing schedule:
// load and check it (scheduleToChange), apply change to a copy, validate,
// store it conditionally on the version, and return the new schedule. A
// version that went stale meanwhile is a Conflict from the store.
func (r *Resolver) changeSchedule(ctx context.Context, id string, expectedVersion int, change func(*domain.Schedule) error) (*domain.Schedule, error) {
	s, err := scheduleToChange(ctx, id, expectedVersion)
	if err != nil {
		return nil, err
	}
	if err := change(&s); err != nil {
		return nil, err
	}
	next := s.Changed(r.Now())
	if err := next.Validate(); err != nil {
		return nil, err
	}
	if err := r.Store.UpdateSchedule(ctx, next, expectedVersion); err != nil {
		return nil, fmt.Errorf("update schedule %s: %w", id, err)
	}
	if l, err := loaders.From(ctx); err == nil {
		l.Schedules().Replace(id, next)
	}
	return &next, nil
}

// newTask builds a task from input with a fresh id.
func (r *Resolver) newTask(in model.TaskInput) domain.Task {
	return domain.Task{
		ID:                    r.NewID(),
		Title:                 in.Title,
		Notes:                 in.Notes,
		Icon:                  in.Icon,
		StartTime:             in.StartTime,
		DurationMinutes:       in.DurationMinutes,
		ReminderMinutesBefore: in.ReminderMinutesBefore,
	}
}

// applyScheduleInput copies the given fields of in onto s. Setting days
// clears the date and setting a date clears the days; setting both is a
// BadRequest.
func applyScheduleInput(s *domain.Schedule, in model.UpdateScheduleInput) error {
	if in.Days != nil && in.Date != nil {
		return domain.BadRequest("a schedule applies either on weekdays or on one date, not both")
	}
	if in.Title != nil {
		s.Title = *in.Title
	}
	if in.Timezone != nil {
		s.Timezone = *in.Timezone
	}
	if in.Days != nil {
		s.Days, s.Date = in.Days, nil
	}
	if in.Date != nil {
		s.Date, s.Days = in.Date, nil
	}
	if in.Active != nil {
		s.Active = *in.Active
	}
	return nil
}

// applyTaskInput copies the given fields of in onto t.
func applyTaskInput(t *domain.Task, in model.UpdateTaskInput) {
	if in.Title != nil {
		t.Title = *in.Title
	}
	if in.Notes != nil {
		t.Notes = in.Notes
	}
	if in.Icon != nil {
		t.Icon = in.Icon
	}
	if in.StartTime != nil {
		t.StartTime = *in.StartTime
	}
	if in.DurationMinutes != nil {
		t.DurationMinutes = *in.DurationMinutes
	}
	if in.ReminderMinutesBefore != nil {
		t.ReminderMinutesBefore = in.ReminderMinutesBefore
	}
}

// agendaOf returns the user's agenda on date (a root field's read: see
// agendasOf for many users). The caller must already be allowed to see the
// user.
func agendaOf(ctx context.Context, userID string, date scalars.Date) ([]domain.AgendaItem, error) {
	l, err := loaders.From(ctx)
	if err != nil {
		return nil, err
	}
	day, err := l.Day(ctx, domain.OwnerDate{OwnerID: userID, Day: date.Day()})
	if err != nil {
		return nil, err
	}
	return domain.BuildAgenda(day.Schedules, day.Completions, date)
}

// completionToSet checks that the caller may tick taskID and that the
// task occurs on date (its schedule is active and applies that day, else
// BadRequest), and returns the completion key for date.
func completionToSet(ctx context.Context, taskID string, date scalars.Date) (domain.Completion, error) {
	c, s, err := completionFor(ctx, taskID, date)
	if err != nil {
		return domain.Completion{}, err
	}
	if err := s.CheckTaskOccurs(taskID, date); err != nil {
		return domain.Completion{}, err
	}
	return c, nil
}

// completionToClear checks that the caller may untick taskID on date and
// returns the completion key: the task occurs on date, or a completion of
// it on date is stored (a tick made before its schedule was deactivated or
// moved to other days can still be undone). Else BadRequest, as for
// completeTask.
func completionToClear(ctx context.Context, taskID string, date scalars.Date) (domain.Completion, error) {
	c, s, err := completionFor(ctx, taskID, date)
	if err != nil {
		return domain.Completion{}, err
	}
	occurs := s.CheckTaskOccurs(taskID, date)
	if occurs == nil {
		return c, nil
	}
	l, err := loaders.From(ctx)
	if err != nil {
		return domain.Completion{}, err
	}
	day, err := l.Day(ctx, domain.OwnerDate{OwnerID: c.OwnerID, Day: date.Day()})
	if err != nil {
		return domain.Completion{}, err
	}
	for _, done := range day.Completions {
		if done.TaskID == taskID {
			return c, nil
		}
	}
	return domain.Completion{}, occurs
}

// completionFor checks the caller may tick taskID and returns the
// completion key for date and the task's schedule.
func completionFor(ctx context.Context, taskID string, date scalars.Date) (domain.Completion, domain.Schedule, error) {
	c, err := currentCaller(ctx)
	if err != nil {
		return domain.Completion{}, domain.Schedule{}, err
	}
	l, err := loaders.From(ctx)
	if err != nil {
		return domain.Completion{}, domain.Schedule{}, err
	}
	ref, err := l.TaskRefs().Load(ctx, taskID)
	if err != nil {
		return domain.Completion{}, domain.Schedule{}, err
	}
	if err := c.canTick(ref); err != nil {
		return domain.Completion{}, domain.Schedule{}, err
	}
	s, err := l.Schedules().Load(ctx, ref.ScheduleID)
	if err != nil {
		return domain.Completion{}, domain.Schedule{}, err
	}
	return domain.Completion{
		OwnerID:        ref.OwnerID,
		OrganisationID: ref.OrganisationID,
		ScheduleID:     ref.ScheduleID,
		TaskID:         ref.TaskID,
		Date:           date,
	}, s, nil
}
