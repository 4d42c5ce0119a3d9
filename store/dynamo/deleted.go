package dynamo

import (
	"context"
	"fmt"
	"time"

	"github.com/dayline/dayline/domain"
	"github.com/dayline/dayline/store"
)

// This file keeps the tombstones of deleted schedules: DeleteSchedule puts
// one in its transaction (deletedScheduleKey: the schedule item as it was,
// without its gsi1 key, plus when it was deleted and when it expires).
// DynamoDB's TTL (Definition's TimeToLiveAttribute, enabled by
// CreateTable) removes a tombstone after expiresAt, usually within days;
// until then GetDeletedSchedule still returns it, which the contract
// allows (kept at least store.DeletedScheduleRetention).

// deletedScheduleItem is the tombstone of a deleted schedule.
type deletedScheduleItem struct {
	scheduleItem
	DeletedAt time.Time `dynamodbav:"deletedAt"`
	// ExpiresAt is the TTL attribute (attrExpiresAt): Unix seconds.
	ExpiresAt int64 `dynamodbav:"expiresAt"`
}

func newDeletedScheduleItem(sc domain.Schedule, deletedAt time.Time) deletedScheduleItem {
	it := newScheduleItem(sc)
	it.keyAttrs = newKeyAttrs(deletedScheduleKey(sc.ID), typeDeletedSchedule, sc.ID)
	return deletedScheduleItem{
		scheduleItem: it,
		DeletedAt:    deletedAt.UTC(),
		ExpiresAt:    deletedAt.Add(store.DeletedScheduleRetention).Unix(),
	}
}

func (it deletedScheduleItem) domain() domain.Schedule { return it.scheduleItem.domain() }

// tombstoneWrite returns the unconditional Put of sc's tombstone: a later
// deletion of the same id (a schedule re-created under a deleted id)
// replaces it.
func (s *Store) tombstoneWrite(sc domain.Schedule, deletedAt time.Time) (txWrite, error) {
	return s.putWrite(newDeletedScheduleItem(sc, deletedAt), condition{}, nil)
}

// GetDeletedSchedule returns schedule id as DeleteSchedule removed it, with
// one strongly consistent GetItem. NotFound if it was not deleted or TTL
// has removed its tombstone; other errors are ServiceUnavailable or
// internal.
func (s *Store) GetDeletedSchedule(ctx context.Context, id string) (domain.Schedule, error) {
	sc, ok, err := getDomain[deletedScheduleItem](ctx, s, deletedScheduleKey(id), typeDeletedSchedule)
	switch {
	case err != nil:
		return domain.Schedule{}, fmt.Errorf("get deleted schedule %s: %w", id, err)
	case !ok:
		return domain.Schedule{}, domain.NotFound("schedule", id)
	}
	return sc, nil
}
