package bolt

import (
	"bytes"
	"context"
	"fmt"

	"github.com/dayline/dayline/domain"
	"github.com/dayline/dayline/store"
)

func scheduleRecord(sc domain.Schedule) record[domain.Schedule] {
	r := newRecord(store.ScheduleKey(sc.ID), store.TypeSchedule, sc.ID, sc)
	r.Version = sc.Version
	return r.withIndex(store.OwnerScheduleIndexKey(sc.OwnerID, sc.ID))
}

func taskRefRecord(ref domain.TaskRef) record[domain.TaskRef] {
	return newRecord(store.TaskRefKey(ref.TaskID), store.TypeTaskRef, ref.TaskID, ref)
}

// GetSchedules returns the schedules (with their tasks) with these ids, in
// the order of their first mention; missing ids are omitted, duplicates
// return one schedule. Errors are internal.
func (s *Store) GetSchedules(ctx context.Context, ids []string) ([]domain.Schedule, error) {
	if err := ctx.Err(); err != nil {
		return nil, fmt.Errorf("get schedules: %w", err)
	}
	out := make([]domain.Schedule, 0, len(ids))
	err := s.view(func(t txn) error {
		for _, id := range store.UniqueIDs(ids) {
			sc, ok, err := t.schedule(id)
			if err != nil {
				return err
			}
			if ok {
				out = append(out, sc)
			}
		}
		return nil
	})
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
	err := s.view(func(t txn) error {
		for _, owner := range store.UniqueIDs(ownerIDs) {
			list := []domain.Schedule{}
			err := scanIndex(t, store.OwnerSchedulesPartition(owner), store.TypeSchedule, func(r record[domain.Schedule]) error {
				list = append(list, r.Data)
				return nil
			})
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
// returns the BadRequest error of store.PageTokens.Decode for a forged,
// altered or foreign nextToken.
func (s *Store) ListSchedules(ctx context.Context, ownerID string, page domain.PageRequest) (domain.Page[domain.Schedule], error) {
	if err := ctx.Err(); err != nil {
		return domain.Page[domain.Schedule]{}, fmt.Errorf("list schedules of %s: %w", ownerID, err)
	}
	p, err := queryPage[domain.Schedule](s, store.OwnerSchedulesPartition(ownerID), store.TypeSchedule, page)
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
	err := s.update(func(t txn) error {
		r := scheduleRecord(sc)
		if t.exists(r.key()) {
			return domain.Taken("schedule", sc.ID)
		}
		owner, ok, err := getRecord[domain.User](t, store.UserKey(sc.OwnerID), store.TypeUser)
		if err != nil {
			return err
		}
		if !ok || owner.Data.OrganisationID != sc.OrganisationID {
			return domain.NotFound("user", sc.OwnerID)
		}
		if t.countIndex(store.OwnerSchedulesPartition(sc.OwnerID)) >= domain.MaxSchedulesPerOwner {
			return domain.TooManySchedules()
		}
		if err := t.putTaskRefs(sc); err != nil {
			return err
		}
		return putRecord(t, r)
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
	err := s.update(func(t txn) error {
		old, err := t.scheduleAt(sc.ID, expectedVersion)
		if err != nil {
			return err
		}
		if old.OwnerID != sc.OwnerID && t.countIndex(store.OwnerSchedulesPartition(sc.OwnerID)) >= domain.MaxSchedulesPerOwner {
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
		return putRecord(t, scheduleRecord(sc))
	})
	if err != nil {
		return fmt.Errorf("update schedule %s: %w", sc.ID, err)
	}
	return nil
}

// DeleteSchedule removes the schedule and its task references in one
// transaction when the stored version equals expectedVersion. It returns
// NotFound if the schedule is missing, Conflict on a stale version; nothing
// is removed then.
func (s *Store) DeleteSchedule(ctx context.Context, id string, expectedVersion int) error {
	if err := ctx.Err(); err != nil {
		return fmt.Errorf("delete schedule %s: %w", id, err)
	}
	err := s.update(func(t txn) error {
		old, err := t.scheduleAt(id, expectedVersion)
		if err != nil {
			return err
		}
		return t.deleteSchedule(old)
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
	out := make([]domain.TaskRef, 0, len(taskIDs))
	err := s.view(func(t txn) error {
		for _, id := range store.UniqueIDs(taskIDs) {
			r, ok, err := getRecord[domain.TaskRef](t, store.TaskRefKey(id), store.TypeTaskRef)
			if err != nil {
				return err
			}
			if ok {
				out = append(out, r.Data)
			}
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("get task refs: %w", err)
	}
	return out, nil
}

// schedule returns the stored schedule with id; ok is false if there is none.
func (t txn) schedule(id string) (sc domain.Schedule, ok bool, err error) {
	r, ok, err := getRecord[domain.Schedule](t, store.ScheduleKey(id), store.TypeSchedule)
	return r.Data, ok, err
}

// scheduleAt returns the stored schedule with id, or NotFound if there is
// none, or Conflict if its version is not expectedVersion.
func (t txn) scheduleAt(id string, expectedVersion int) (domain.Schedule, error) {
	sc, ok, err := t.schedule(id)
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

// putTaskRefs writes a reference for each task of sc. Conflict if a task id
// appears twice in sc or belongs to another schedule.
func (t txn) putTaskRefs(sc domain.Schedule) error {
	seen := make(map[string]bool, len(sc.Tasks))
	for _, task := range sc.Tasks {
		if seen[task.ID] {
			return domain.Errorf(domain.CodeConflict, "task %s appears twice in schedule %s", task.ID, sc.ID)
		}
		seen[task.ID] = true
		held, ok, err := getRecord[domain.TaskRef](t, store.TaskRefKey(task.ID), store.TypeTaskRef)
		if err != nil {
			return err
		}
		if ok && held.Data.ScheduleID != sc.ID {
			return domain.Errorf(domain.CodeConflict, "task %s exists already in another schedule", task.ID)
		}
		ref := domain.TaskRef{TaskID: task.ID, ScheduleID: sc.ID, OwnerID: sc.OwnerID, OrganisationID: sc.OrganisationID}
		if err := putRecord(t, taskRefRecord(ref)); err != nil {
			return err
		}
	}
	return nil
}

// deleteTaskRef removes the reference of taskID if it points at scheduleID.
func (t txn) deleteTaskRef(taskID, scheduleID string) error {
	k := store.TaskRefKey(taskID)
	held, ok, err := getRecord[domain.TaskRef](t, k, store.TypeTaskRef)
	if err != nil || !ok || held.Data.ScheduleID != scheduleID {
		return err
	}
	return t.delete(k)
}

// deleteSchedule removes sc and the references of its tasks.
func (t txn) deleteSchedule(sc domain.Schedule) error {
	for _, task := range sc.Tasks {
		if err := t.deleteTaskRef(task.ID, sc.ID); err != nil {
			return err
		}
	}
	return t.delete(store.ScheduleKey(sc.ID))
}

// countIndex returns the number of items in gsi1 partition gsi1pk, without
// reading them.
func (t txn) countIndex(gsi1pk string) int {
	prefix := indexPartitionPrefix(gsi1pk)
	n := 0
	c := t.gsi1.Cursor()
	for k, _ := c.Seek(prefix); k != nil && bytes.HasPrefix(k, prefix); k, _ = c.Next() {
		n++
	}
	return n
}

// deleteOwnerSchedules removes every schedule of ownerID with its task
// references.
func (t txn) deleteOwnerSchedules(ownerID string) error {
	var schedules []domain.Schedule
	err := scanIndex(t, store.OwnerSchedulesPartition(ownerID), store.TypeSchedule, func(r record[domain.Schedule]) error {
		schedules = append(schedules, r.Data)
		return nil
	})
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
