package app

import (
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/dayline/dayline/domain"
	"github.com/dayline/dayline/loaders"
)

// ScheduleStore is the writes and the paged read the Schedules service
// makes (store.Store satisfies it). Other reads go through the
// operation's loaders.
type ScheduleStore interface {
	CreateSchedule(ctx context.Context, s domain.Schedule) error
	UpdateSchedule(ctx context.Context, s domain.Schedule, expectedVersion int) error
	DeleteSchedule(ctx context.Context, id string, expectedVersion int, deletedAt time.Time) error
	ListSchedules(ctx context.Context, ownerID string, page domain.PageRequest) (domain.Page[domain.Schedule], error)
}

// Schedules is the service of the schedule aggregate and its tasks. Every
// change to a schedule or its tasks is checked against expectedVersion
// (else Conflict), bumps the version (domain.Schedule.Changed) and answers
// the whole new schedule. Only those who may plan for the owner change a
// schedule: admins for anyone of their organisation, caregivers for
// members.
//
// Error contract of every method that changes an existing schedule
// (Update, Delete, AddTask, UpdateTask, RemoveTask, ReorderTasks):
// NotFound for a schedule that does not exist or is another
// organisation's (and for a task id the schedule does not hold);
// Unauthorized when the actor may not plan for its owner; Conflict when
// expectedVersion is not the stored version (checked on load and again
// by the conditional write); BadRequest when the changed schedule is
// invalid (domain.Schedule.Validate) or the arguments are (see each
// method). Anything else is an internal error from the store.
type Schedules struct {
	store ScheduleStore
	env   Env
}

// NewSchedules returns the Schedules service over st.
func NewSchedules(st ScheduleStore, env Env) *Schedules { return &Schedules{store: st, env: env} }

// Get returns schedule id if the actor may see it (NotFound across
// organisations, Unauthorized for a member asking for someone else's).
func (s *Schedules) Get(ctx context.Context, l *loaders.Loaders, by Actor, id string) (domain.Schedule, error) {
	return by.visibleSchedule(ctx, l, id)
}

// List returns a page of ownerID's schedules, ordered by id, if the actor
// may see the owner; BadRequest for a bad limit or nextToken.
func (s *Schedules) List(ctx context.Context, l *loaders.Loaders, by Actor, ownerID string, args PageArgs) (domain.Page[domain.Schedule], error) {
	if _, err := by.visibleUser(ctx, l, ownerID); err != nil {
		return domain.Page[domain.Schedule]{}, err
	}
	page, err := domain.NewPageRequest(args.Limit, args.NextToken)
	if err != nil {
		return domain.Page[domain.Schedule]{}, err
	}
	p, err := s.store.ListSchedules(ctx, ownerID, page)
	if err != nil {
		return domain.Page[domain.Schedule]{}, fmt.Errorf("list schedules of %s: %w", ownerID, err)
	}
	return p, nil
}

// Create stores a new schedule (version 1, with new ids for it and its
// tasks) for in.OwnerID and returns it. NotFound for an owner the actor
// cannot see across organisations, Unauthorized for one it may not plan
// for, BadRequest for invalid fields.
func (s *Schedules) Create(ctx context.Context, l *loaders.Loaders, by Actor, in NewSchedule) (domain.Schedule, error) {
	owner, err := l.Users().Load(ctx, in.OwnerID)
	if err != nil {
		return domain.Schedule{}, err
	}
	if err := by.canPlanFor(owner); err != nil {
		return domain.Schedule{}, err
	}
	now := s.env.Now()
	sc := domain.Schedule{
		ID: s.env.NewID(), OrganisationID: owner.OrganisationID, OwnerID: owner.ID,
		Title: in.Title, Timezone: in.Timezone, Days: in.Days, Date: in.Date,
		Active: in.Active == nil || *in.Active, CreatedAt: now,
	}
	for _, t := range in.Tasks {
		sc.Tasks = append(sc.Tasks, s.newTask(t))
	}
	sc = sc.Changed(now)
	if err := sc.Validate(); err != nil {
		return domain.Schedule{}, err
	}
	if err := s.store.CreateSchedule(ctx, sc); err != nil {
		return domain.Schedule{}, fmt.Errorf("create schedule: %w", err)
	}
	s.env.publish(ctx, scheduleChanged(sc, false))
	return sc, nil
}

// Update applies changes to schedule id (see ScheduleChanges). Errors:
// see Schedules.
func (s *Schedules) Update(ctx context.Context, l *loaders.Loaders, by Actor, id string, expectedVersion int, changes ScheduleChanges) (domain.Schedule, error) {
	return s.change(ctx, l, by, id, expectedVersion, changes.applyTo)
}

// Delete removes schedule id (and its task references) and returns it as
// it was, at the version it had: the store keeps that as its tombstone
// (deleted now, by env.Now), which deleteSchedule's subscribers on every
// instance read (DeletedSchedules). Errors: see Schedules.
func (s *Schedules) Delete(ctx context.Context, l *loaders.Loaders, by Actor, id string, expectedVersion int) (domain.Schedule, error) {
	sc, err := s.toChange(ctx, l, by, id, expectedVersion)
	if err != nil {
		return domain.Schedule{}, err
	}
	if err := s.store.DeleteSchedule(ctx, id, expectedVersion, s.env.Now()); err != nil {
		return domain.Schedule{}, fmt.Errorf("delete schedule: %w", err)
	}
	s.env.publish(ctx, scheduleChanged(sc, true))
	return sc, nil
}

// AddTask inserts a new task (with a new id) at position (appended when
// nil or past the end; BadRequest when negative). Errors: see Schedules.
func (s *Schedules) AddTask(ctx context.Context, l *loaders.Loaders, by Actor, scheduleID string, expectedVersion int, in NewTask, position *int) (domain.Schedule, error) {
	task := s.newTask(in)
	return s.change(ctx, l, by, scheduleID, expectedVersion, func(sc *domain.Schedule) (err error) {
		sc.Tasks, err = domain.InsertTask(sc.Tasks, task, position)
		return err
	})
}

// UpdateTask applies changes to task taskID (NotFound if the schedule has
// none). Errors: see Schedules.
func (s *Schedules) UpdateTask(ctx context.Context, l *loaders.Loaders, by Actor, scheduleID, taskID string, expectedVersion int, changes TaskChanges) (domain.Schedule, error) {
	return s.change(ctx, l, by, scheduleID, expectedVersion, func(sc *domain.Schedule) error {
		i, err := sc.TaskIndex(taskID)
		if err != nil {
			return err
		}
		sc.Tasks = slices.Clone(sc.Tasks)
		changes.applyTo(&sc.Tasks[i])
		return nil
	})
}

// RemoveTask removes task taskID (NotFound if the schedule has none).
// Errors: see Schedules.
func (s *Schedules) RemoveTask(ctx context.Context, l *loaders.Loaders, by Actor, scheduleID, taskID string, expectedVersion int) (domain.Schedule, error) {
	return s.change(ctx, l, by, scheduleID, expectedVersion, func(sc *domain.Schedule) error {
		i, err := sc.TaskIndex(taskID)
		if err != nil {
			return err
		}
		sc.Tasks = slices.Delete(slices.Clone(sc.Tasks), i, i+1)
		return nil
	})
}

// ReorderTasks puts the tasks in the order of taskIDs (BadRequest unless
// it names every task exactly once). Errors: see Schedules.
func (s *Schedules) ReorderTasks(ctx context.Context, l *loaders.Loaders, by Actor, scheduleID string, taskIDs []string, expectedVersion int) (domain.Schedule, error) {
	return s.change(ctx, l, by, scheduleID, expectedVersion, func(sc *domain.Schedule) (err error) {
		sc.Tasks, err = domain.ReorderTasks(sc.Tasks, taskIDs)
		return err
	})
}

// OfOwners returns all of each user's schedules (none: an empty list), in
// order, with one error per user: a user the actor may not see gets that
// error. One batched read for all of them.
func (s *Schedules) OfOwners(ctx context.Context, l *loaders.Loaders, by Actor, users []*domain.User) ([][]domain.Schedule, []error) {
	return forVisibleUsers(by, users, func(visible []*domain.User) ([][]domain.Schedule, []error) {
		ids := make([]string, len(visible))
		for i, u := range visible {
			ids[i] = u.ID
		}
		schedules, errs := l.OwnerSchedules().LoadMany(ctx, ids)
		for i, sc := range schedules {
			if sc == nil && errs[i] == nil {
				schedules[i] = []domain.Schedule{}
			}
		}
		return schedules, errs
	})
}

// change is the one path for every change to an existing schedule: load
// and check it (toChange), apply change to a copy, bump the version,
// validate, store it conditionally on the version, and return the new
// schedule (also recorded in l). A version that went stale meanwhile is a
// Conflict from the store.
func (s *Schedules) change(ctx context.Context, l *loaders.Loaders, by Actor, id string, expectedVersion int, change func(*domain.Schedule) error) (domain.Schedule, error) {
	sc, err := s.toChange(ctx, l, by, id, expectedVersion)
	if err != nil {
		return domain.Schedule{}, err
	}
	if err := change(&sc); err != nil {
		return domain.Schedule{}, err
	}
	next := sc.Changed(s.env.Now())
	if err := next.Validate(); err != nil {
		return domain.Schedule{}, err
	}
	if err := s.store.UpdateSchedule(ctx, next, expectedVersion); err != nil {
		return domain.Schedule{}, fmt.Errorf("update schedule %s: %w", id, err)
	}
	l.Schedules().Replace(id, next)
	s.env.publish(ctx, scheduleChanged(next, false))
	return next, nil
}

// toChange loads schedule id for a change and checks that the actor may
// plan for its owner and that expectedVersion is current (else Conflict).
// Cross-organisation ids are NotFound.
func (s *Schedules) toChange(ctx context.Context, l *loaders.Loaders, by Actor, id string, expectedVersion int) (domain.Schedule, error) {
	sc, err := l.Schedules().Load(ctx, id)
	if err != nil {
		return domain.Schedule{}, err
	}
	if err := by.sameOrganisation(sc.OrganisationID, "schedule", id); err != nil {
		return domain.Schedule{}, err
	}
	owner, err := l.Users().Load(ctx, sc.OwnerID)
	if err != nil {
		return domain.Schedule{}, err
	}
	if err := by.canPlanFor(owner); err != nil {
		return domain.Schedule{}, err
	}
	if sc.Version != expectedVersion {
		return domain.Schedule{}, domain.Conflict("schedule", id)
	}
	return sc, nil
}

// newTask builds a task from in with a new id.
func (s *Schedules) newTask(in NewTask) domain.Task {
	return domain.Task{
		ID:                    s.env.NewID(),
		Title:                 in.Title,
		Notes:                 in.Notes,
		Icon:                  in.Icon,
		StartTime:             in.StartTime,
		DurationMinutes:       in.DurationMinutes,
		ReminderMinutesBefore: in.ReminderMinutesBefore,
	}
}
