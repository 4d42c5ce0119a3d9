package bolt

import (
	"context"
	"fmt"
	"time"

	bbolt "go.etcd.io/bbolt"

	"github.com/dayline/dayline/domain"
	"github.com/dayline/dayline/store"
)

// GetSchedules returns the schedules (with their tasks) with these ids, in
// the order of their first mention; missing ids are omitted, duplicates
// return one schedule. Errors are internal.
func (s *Store) GetSchedules(ctx context.Context, ids []string) ([]domain.Schedule, error) {
	if err := ctx.Err(); err != nil {
		return nil, fmt.Errorf("get schedules: %w", err)
	}
	out, err := getMany[scheduleRecord](s, func(t *txn) *bbolt.Bucket { return t.schedules() }, ids)
	if err != nil {
		return nil, fmt.Errorf("get schedules: %w", err)
	}
	return out, nil
}

// SchedulesByOwners returns every schedule of each owner ordered by id, read
// in one transaction. Every owner asked for has an entry; owners without
// schedules map to an empty slice. Errors are internal.
func (s *Store) SchedulesByOwners(ctx context.Context, ownerIDs []string) (map[string][]domain.Schedule, error) {
	if err := ctx.Err(); err != nil {
		return nil, fmt.Errorf("schedules by owners: %w", err)
	}
	out := make(map[string][]domain.Schedule, len(ownerIDs))
	err := s.view(func(t *txn) error {
		for _, owner := range store.UniqueIDs(ownerIDs) {
			list, err := listAll[scheduleRecord](t, ownerSchedulesList(owner))
			if err != nil {
				return err
			}
			out[owner] = list
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("schedules by owners: %w", err)
	}
	return out, nil
}

// ListSchedules returns one page of the owner's schedules ordered by id. It
// returns store.InvalidPageToken for a forged, altered or foreign
// nextToken.
func (s *Store) ListSchedules(ctx context.Context, ownerID string, page domain.PageRequest) (domain.Page[domain.Schedule], error) {
	if err := ctx.Err(); err != nil {
		return domain.Page[domain.Schedule]{}, fmt.Errorf("list schedules of %s: %w", ownerID, err)
	}
	p, err := queryPage[scheduleRecord](s, ownerSchedulesList(ownerID), page)
	if err != nil {
		return domain.Page[domain.Schedule]{}, fmt.Errorf("list schedules of %s: %w", ownerID, err)
	}
	return p, nil
}

// CreateSchedule stores a new schedule with its tasks embedded, and a task
// reference per task, in one transaction. It returns a Conflict error if the
// schedule id or a task id exists already (or a task id appears twice),
// NotFound if the owner is not a user of the schedule's organisation, and
// BadRequest (domain.TooManySchedules) if the owner holds
// domain.MaxSchedulesPerOwner schedules already, counted inside the write
// transaction; nothing is written then.
func (s *Store) CreateSchedule(ctx context.Context, sc domain.Schedule) error {
	if err := ctx.Err(); err != nil {
		return fmt.Errorf("create schedule %s: %w", sc.ID, err)
	}
	err := s.update(func(t *txn) error {
		if t.schedules().Get(idKey(sc.ID)) != nil {
			return domain.Taken("schedule", sc.ID)
		}
		owner, ok, err := t.user(sc.OwnerID)
		if err != nil {
			return err
		}
		if !ok || owner.OrganisationID != sc.OrganisationID {
			return domain.NotFound("user", sc.OwnerID)
		}
		if count(t.ownerSchedules(), ownerSchedulesPrefix(sc.OwnerID)) >= domain.MaxSchedulesPerOwner {
			return domain.TooManySchedules()
		}
		if err := t.putTaskRefs(sc); err != nil {
			return err
		}
		return t.putSchedule(sc, nil)
	})
	if err != nil {
		return fmt.Errorf("create schedule %s: %w", sc.ID, err)
	}
	return nil
}

// UpdateSchedule replaces the schedule and its task references in one
// transaction when the stored version equals expectedVersion; sc.Version
// must be expectedVersion+1. References of removed tasks are deleted, their
// completions kept. It returns NotFound if the schedule is missing, Conflict
// on a stale version or a task id used by another schedule, BadRequest
// (domain.TooManySchedules) when it moves to an owner who holds the most
// schedules already; nothing is written then.
func (s *Store) UpdateSchedule(ctx context.Context, sc domain.Schedule, expectedVersion int) error {
	if err := ctx.Err(); err != nil {
		return fmt.Errorf("update schedule %s: %w", sc.ID, err)
	}
	if err := store.CheckNextVersion("schedule", sc.ID, sc.Version, expectedVersion); err != nil {
		return err
	}
	err := s.update(func(t *txn) error {
		old, err := t.scheduleAt(sc.ID, expectedVersion)
		if err != nil {
			return err
		}
		if old.OwnerID != sc.OwnerID && count(t.ownerSchedules(), ownerSchedulesPrefix(sc.OwnerID)) >= domain.MaxSchedulesPerOwner {
			return domain.TooManySchedules()
		}
		if err := t.putTaskRefs(sc); err != nil {
			return err
		}
		kept := make(map[string]bool, len(sc.Tasks))
		for _, task := range sc.Tasks {
			kept[task.ID] = true
		}
		for _, task := range old.Tasks {
			if !kept[task.ID] {
				if err := t.deleteTaskRef(task.ID, sc.ID); err != nil {
					return err
				}
			}
		}
		return t.putSchedule(sc, &old)
	})
	if err != nil {
		return fmt.Errorf("update schedule %s: %w", sc.ID, err)
	}
	return nil
}

// DeleteSchedule removes the schedule and its task references, and keeps
// its tombstone (deleted.go), in one transaction when the stored version
// equals expectedVersion. It returns NotFound if the schedule is missing,
// Conflict on a stale version; nothing is written then.
func (s *Store) DeleteSchedule(ctx context.Context, id string, expectedVersion int, deletedAt time.Time) error {
	if err := ctx.Err(); err != nil {
		return fmt.Errorf("delete schedule %s: %w", id, err)
	}
	err := s.update(func(t *txn) error {
		old, err := t.scheduleAt(id, expectedVersion)
		if err != nil {
			return err
		}
		if err := t.deleteSchedule(old); err != nil {
			return err
		}
		return t.putTombstone(old, deletedAt)
	})
	if err != nil {
		return fmt.Errorf("delete schedule %s: %w", id, err)
	}
	return nil
}

// GetTaskRefs returns where each task lives, in the order of first mention;
// missing ids are omitted, duplicates return one reference. Errors are
// internal.
func (s *Store) GetTaskRefs(ctx context.Context, taskIDs []string) ([]domain.TaskRef, error) {
	if err := ctx.Err(); err != nil {
		return nil, fmt.Errorf("get task refs: %w", err)
	}
	out, err := getMany[taskRefRecord](s, func(t *txn) *bbolt.Bucket { return t.taskRefs() }, taskIDs)
	if err != nil {
		return nil, fmt.Errorf("get task refs: %w", err)
	}
	return out, nil
}

// scheduleAt returns the stored schedule with id, or NotFound if there is
// none, or Conflict if its version is not expectedVersion.
func (t *txn) scheduleAt(id string, expectedVersion int) (domain.Schedule, error) {
	sc, ok, err := get[scheduleRecord](t, t.schedules(), idKey(id))
	if err != nil {
		return domain.Schedule{}, err
	}
	if !ok {
		return domain.Schedule{}, domain.NotFound("schedule", id)
	}
	if sc.Version != expectedVersion {
		return domain.Schedule{}, domain.Conflict("schedule", id)
	}
	return sc, nil
}

// putSchedule writes sc and its owner's entry; old is the stored schedule
// it replaces, if any, whose entry moves when the owner changes.
func (t *txn) putSchedule(sc domain.Schedule, old *domain.Schedule) error {
	if old != nil && old.OwnerID != sc.OwnerID {
		if err := t.ownerSchedules().Delete(ownerScheduleKey(old.OwnerID, old.ID)); err != nil {
			return err
		}
	}
	if err := put(t.schedules(), idKey(sc.ID), newScheduleRecord(sc)); err != nil {
		return err
	}
	return t.ownerSchedules().Put(ownerScheduleKey(sc.OwnerID, sc.ID), idKey(sc.ID))
}

// putTaskRefs writes a reference for each task of sc. Conflict if a task id
// appears twice in sc or belongs to another schedule.
func (t *txn) putTaskRefs(sc domain.Schedule) error {
	seen := make(map[string]bool, len(sc.Tasks))
	for _, task := range sc.Tasks {
		if seen[task.ID] {
			return store.TaskListedTwice(task.ID, sc.ID)
		}
		seen[task.ID] = true
		held, ok, err := get[taskRefRecord](t, t.taskRefs(), idKey(task.ID))
		if err != nil {
			return err
		}
		if ok && held.ScheduleID != sc.ID {
			return store.TaskInOtherSchedule(task.ID)
		}
		ref := domain.TaskRef{TaskID: task.ID, ScheduleID: sc.ID, OwnerID: sc.OwnerID, OrganisationID: sc.OrganisationID}
		if err := put(t.taskRefs(), idKey(task.ID), newTaskRefRecord(ref)); err != nil {
			return err
		}
	}
	return nil
}

// deleteTaskRef removes the reference of taskID if it points at scheduleID.
func (t *txn) deleteTaskRef(taskID, scheduleID string) error {
	held, ok, err := get[taskRefRecord](t, t.taskRefs(), idKey(taskID))
	if err != nil || !ok || held.ScheduleID != scheduleID {
		return err
	}
	return t.taskRefs().Delete(idKey(taskID))
}

// deleteSchedule removes sc, its owner's entry and the references of its
// tasks.
func (t *txn) deleteSchedule(sc domain.Schedule) error {
	for _, task := range sc.Tasks {
		if err := t.deleteTaskRef(task.ID, sc.ID); err != nil {
			return err
		}
	}
	if err := t.ownerSchedules().Delete(ownerScheduleKey(sc.OwnerID, sc.ID)); err != nil {
		return err
	}
	return t.schedules().Delete(idKey(sc.ID))
}

// deleteOwnerSchedules removes every schedule of ownerID with its task
// references.
func (t *txn) deleteOwnerSchedules(ownerID string) error {
	schedules, err := listAll[scheduleRecord](t, ownerSchedulesList(ownerID))
	if err != nil {
		return err
	}
	for _, sc := range schedules {
		if err := t.deleteSchedule(sc); err != nil {
			return err
		}
	}
	return nil
}
