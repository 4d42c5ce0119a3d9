package dynamo

import (
	"context"
	"fmt"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/dayline/dayline/domain"
	"github.com/dayline/dayline/store"
)

// GetSchedules returns the schedules (with their tasks) with these ids, in
// no particular order; missing ids are omitted, duplicates return one
// schedule. Errors are ServiceUnavailable or internal.
func (s *Store) GetSchedules(ctx context.Context, ids []string) ([]domain.Schedule, error) {
	schedules, err := batchGetDomain[scheduleItem](ctx, s, keysOf(ids, scheduleKey), typeSchedule)
	return schedules, wrapf(err, "get schedules")
}

// SchedulesByOwners returns every schedule of each owner ordered by id: one
// Query of gsi1 partition ownerSchedulesPartition per owner, run
// concurrently. Every owner asked for has an entry; owners without
// schedules map to an empty slice. Errors are ServiceUnavailable or
// internal.
func (s *Store) SchedulesByOwners(ctx context.Context, ownerIDs []string) (map[string][]domain.Schedule, error) {
	out, err := fanOut(ctx, ownerIDs, func(ctx context.Context, owner string) ([]domain.Schedule, error) {
		items, err := s.queryIndexPartition(ctx, ownerSchedulesPartition(owner))
		if err != nil {
			return nil, err
		}
		return unmarshalItems[scheduleItem](items, typeSchedule)
	})
	return out, wrapf(err, "schedules by owners")
}

// ListSchedules returns one page of the owner's schedules ordered by id,
// from gsi1 partition ownerSchedulesPartition. It returns a
// BadRequest error for a forged, altered or foreign nextToken; other errors
// are ServiceUnavailable or internal.
func (s *Store) ListSchedules(ctx context.Context, ownerID string, page domain.PageRequest) (domain.Page[domain.Schedule], error) {
	p, err := queryPage[scheduleItem](ctx, s, ownerSchedulesPartition(ownerID), page, typeSchedule)
	if err != nil {
		return domain.Page[domain.Schedule]{}, fmt.Errorf("list schedules of %s: %w", ownerID, err)
	}
	return p, nil
}

// CreateSchedule stores a new schedule with its tasks embedded, and a task
// reference per task, in one transaction: the schedule conditional on its
// id being free, each reference on being free (or already this
// schedule's), the owner on existing in the schedule's organisation, and
// the owner's schedule count (schedule_count.go) on staying within
// domain.MaxSchedulesPerOwner. It returns a Conflict error if the schedule
// id or a task id exists already (or a task id appears twice), NotFound if
// the owner is missing, BadRequest (domain.TooManySchedules) if the owner
// holds the most schedules already; nothing is written then. Other errors
// are ServiceUnavailable or internal.
func (s *Store) CreateSchedule(ctx context.Context, sc domain.Schedule) error {
	if err := uniqueTasks(sc); err != nil {
		return fmt.Errorf("create schedule %s: %w", sc.ID, err)
	}
	write, err := s.putWrite(newScheduleItem(sc), notExists(),
		failure(domain.Taken("schedule", sc.ID)))
	if err != nil {
		return fmt.Errorf("create schedule %s: %w", sc.ID, err)
	}
	// The owner must exist in the schedule's organisation when the schedule
	// is written (a user removed meanwhile leaves no orphan schedule).
	ownerExists := s.checkWrite(userKey(sc.OwnerID), condition{
		expr:   "attribute_exists(#pk) AND #org = :org",
		names:  map[string]string{"#pk": attrPK, "#org": "organisationId"},
		values: map[string]types.AttributeValue{":org": stringValue(sc.OrganisationID)},
	}, failure(domain.NotFound("user", sc.OwnerID)))
	writes := []txWrite{write, ownerExists, s.countUp(sc.OwnerID)}
	for _, t := range sc.Tasks {
		w, err := s.taskRefWrite(sc, t.ID)
		if err != nil {
			return fmt.Errorf("create schedule %s: %w", sc.ID, err)
		}
		writes = append(writes, w)
	}
	return wrapf(s.transact(ctx, writes), "create schedule %s", sc.ID)
}

// UpdateSchedule replaces the schedule when its stored version equals
// expectedVersion (sc.Version must be expectedVersion+1), in one
// transaction with the references of added tasks (conditional on being
// free or this schedule's) and the removal of the references of removed
// tasks; their completions are kept. It returns NotFound if the schedule is
// missing, Conflict on a stale version or a task id used by another
// schedule; nothing is written then. Other errors are ServiceUnavailable or
// internal. A schedule that changes owner moves from one owner's schedule
// count to the other's (BadRequest when the new owner holds the most
// already).
//
// Only when every task is replaced at once (50 added and 50 removed, one
// action over DynamoDB's 100) do the surplus reference removals run right
// after the transaction, each conditional on still pointing at this
// schedule.
func (s *Store) UpdateSchedule(ctx context.Context, sc domain.Schedule, expectedVersion int) error {
	if err := store.CheckNextVersion("schedule", sc.ID, sc.Version, expectedVersion); err != nil {
		return err
	}
	if err := uniqueTasks(sc); err != nil {
		return fmt.Errorf("update schedule %s: %w", sc.ID, err)
	}
	// The stored schedule names the references to remove; the version
	// condition below guarantees it is still the one written.
	old, err := s.scheduleAt(ctx, sc.ID, expectedVersion)
	if err != nil {
		return fmt.Errorf("update schedule %s: %w", sc.ID, err)
	}
	k := scheduleKey(sc.ID)
	write, err := s.putWrite(newScheduleItem(sc), versionIs(expectedVersion), s.versionFailure("schedule", sc.ID, k))
	if err != nil {
		return fmt.Errorf("update schedule %s: %w", sc.ID, err)
	}
	writes := []txWrite{write}
	if old.OwnerID != sc.OwnerID {
		writes = append(writes, s.countUp(sc.OwnerID), s.countDown(old.OwnerID))
	}
	oldTasks := make(map[string]bool, len(old.Tasks))
	for _, t := range old.Tasks {
		oldTasks[t.ID] = true
	}
	sameOwner := old.OwnerID == sc.OwnerID && old.OrganisationID == sc.OrganisationID
	kept := make(map[string]bool, len(sc.Tasks))
	for _, t := range sc.Tasks {
		kept[t.ID] = true
		if oldTasks[t.ID] && sameOwner {
			continue // its reference is unchanged
		}
		w, err := s.taskRefWrite(sc, t.ID)
		if err != nil {
			return fmt.Errorf("update schedule %s: %w", sc.ID, err)
		}
		writes = append(writes, w)
	}
	var later []string // references to remove after the transaction
	for _, t := range old.Tasks {
		switch {
		case kept[t.ID]:
		case len(writes) < maxTransactItems:
			writes = append(writes, s.deleteWrite(taskRefKey(t.ID), condition{}, nil))
		default:
			later = append(later, t.ID)
		}
	}
	if err := s.transact(ctx, writes); err != nil {
		return fmt.Errorf("update schedule %s: %w", sc.ID, err)
	}
	for _, taskID := range later {
		if err := s.deleteTaskRef(ctx, taskID, sc.ID); err != nil {
			return fmt.Errorf("update schedule %s: remove reference of task %s: %w", sc.ID, taskID, err)
		}
	}
	return nil
}

// DeleteSchedule removes the schedule and its task references, counts one
// schedule less for its owner and puts its tombstone (deleted.go), in one
// transaction when the stored version equals expectedVersion. It returns
// NotFound if the schedule is missing, Conflict on a stale version;
// nothing is written then. Other errors are ServiceUnavailable or
// internal.
func (s *Store) DeleteSchedule(ctx context.Context, id string, expectedVersion int, deletedAt time.Time) error {
	// The version condition below guarantees that the stored schedule read
	// here is the one deleted, so the tombstone holds it.
	old, err := s.scheduleAt(ctx, id, expectedVersion)
	if err != nil {
		return fmt.Errorf("delete schedule %s: %w", id, err)
	}
	tombstone, err := s.tombstoneWrite(old, deletedAt)
	if err != nil {
		return fmt.Errorf("delete schedule %s: %w", id, err)
	}
	k := scheduleKey(id)
	writes := append(s.deleteScheduleWrites(old, s.versionFailure("schedule", id, k)), s.countDown(old.OwnerID), tombstone)
	return wrapf(s.transact(ctx, writes), "delete schedule %s", id)
}

// GetTaskRefs returns where each task lives, in no particular order;
// missing ids are omitted, duplicates return one reference. Errors are
// ServiceUnavailable or internal.
func (s *Store) GetTaskRefs(ctx context.Context, taskIDs []string) ([]domain.TaskRef, error) {
	refs, err := batchGetDomain[taskRefItem](ctx, s, keysOf(taskIDs, taskRefKey), typeTaskRef)
	return refs, wrapf(err, "get task refs")
}

// deleteScheduleWrites returns the writes that remove sc, conditional on
// its version (failed saying what that failure means), and the references
// of its tasks: 1+len(sc.Tasks) writes.
func (s *Store) deleteScheduleWrites(sc domain.Schedule, failed func(context.Context, map[string]types.AttributeValue) error) []txWrite {
	writes := []txWrite{s.deleteWrite(scheduleKey(sc.ID), versionIs(sc.Version), failed)}
	for _, t := range sc.Tasks {
		writes = append(writes, s.deleteWrite(taskRefKey(t.ID), condition{}, nil))
	}
	return writes
}

// taskRefWrite returns the write of the reference of taskID to sc,
// conditional on the reference being free or already sc's.
func (s *Store) taskRefWrite(sc domain.Schedule, taskID string) (txWrite, error) {
	return s.putWrite(newTaskRefItem(sc, taskID), missingOr("scheduleId", sc.ID),
		failure(store.TaskInOtherSchedule(taskID)))
}

// deleteTaskRef removes the reference of taskID if it points at
// scheduleID; a reference that is missing or points elsewhere is left.
func (s *Store) deleteTaskRef(ctx context.Context, taskID, scheduleID string) error {
	c := condition{
		expr:   "#s = :sid",
		names:  map[string]string{"#s": "scheduleId"},
		values: map[string]types.AttributeValue{":sid": stringValue(scheduleID)},
	}
	_, err := s.client.DeleteItem(ctx, &dynamodb.DeleteItemInput{
		TableName:                 &s.table,
		Key:                       keyOf(taskRefKey(taskID)),
		ConditionExpression:       &c.expr,
		ExpressionAttributeNames:  c.names,
		ExpressionAttributeValues: c.values,
		ReturnConsumedCapacity:    types.ReturnConsumedCapacityTotal,
	})
	if _, failed := conditionFailure(err); failed {
		return nil
	}
	return translate(err)
}

// scheduleAt reads the schedule with id (strongly consistent) and returns
// NotFound if it is missing, Conflict if its version is not
// expectedVersion.
func (s *Store) scheduleAt(ctx context.Context, id string, expectedVersion int) (domain.Schedule, error) {
	sc, ok, err := getDomain[scheduleItem](ctx, s, scheduleKey(id), typeSchedule)
	switch {
	case err != nil:
		return domain.Schedule{}, err
	case !ok:
		return domain.Schedule{}, domain.NotFound("schedule", id)
	case sc.Version != expectedVersion:
		return domain.Schedule{}, domain.Conflict("schedule", id)
	}
	return sc, nil
}

// uniqueTasks returns a Conflict error if a task id appears twice in sc: a
// transaction cannot write one reference twice, and a task lives once.
func uniqueTasks(sc domain.Schedule) error {
	seen := make(map[string]bool, len(sc.Tasks))
	for _, t := range sc.Tasks {
		if seen[t.ID] {
			return store.TaskListedTwice(t.ID, sc.ID)
		}
		seen[t.ID] = true
	}
	return nil
}
