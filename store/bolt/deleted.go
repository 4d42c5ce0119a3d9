package bolt

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"time"

	bbolt "go.etcd.io/bbolt"

	"github.com/dayline/dayline/domain"
	"github.com/dayline/dayline/store"
)

// This file keeps the tombstones of deleted schedules: DeleteSchedule
// writes one in its transaction (the schedule as it was, and when it was
// deleted) and prunes, in the same transaction, those deleted more than
// store.DeletedScheduleRetention before it. So a file holds the
// tombstones of the last retention period of deletions (plus, while no
// schedule is deleted, the older ones until the next deletion); nothing
// runs in the background.

// deletedScheduleRecord is the value of a tombstone in
// deletedSchedulesBucket.
type deletedScheduleRecord struct {
	DeletedAt time.Time      `json:"deletedAt"`
	Schedule  scheduleRecord `json:"schedule"`
}

func (r deletedScheduleRecord) domain() domain.Schedule { return r.Schedule.domain() }

// GetDeletedSchedule returns schedule id as DeleteSchedule removed it.
// NotFound if it was not deleted, or its tombstone was pruned (see
// putTombstone); other errors are internal.
func (s *Store) GetDeletedSchedule(ctx context.Context, id string) (domain.Schedule, error) {
	if err := ctx.Err(); err != nil {
		return domain.Schedule{}, fmt.Errorf("get deleted schedule %s: %w", id, err)
	}
	var sc domain.Schedule
	var found bool
	err := s.view(func(t *txn) error {
		b := t.tx.Bucket(deletedSchedulesBucket)
		if b == nil { // no schedule deleted since the file has tombstones
			return nil
		}
		var err error
		sc, found, err = get[deletedScheduleRecord](t, b, idKey(id))
		return err
	})
	switch {
	case err != nil:
		return domain.Schedule{}, fmt.Errorf("get deleted schedule %s: %w", id, err)
	case !found:
		return domain.Schedule{}, domain.NotFound("schedule", id)
	}
	return sc, nil
}

// putTombstone keeps sc as deleted at deletedAt, replacing an earlier
// tombstone of the same id (a schedule re-created under a deleted id and
// deleted again), and removes the tombstones deleted more than
// store.DeletedScheduleRetention before deletedAt. It creates the
// tombstone buckets when the file has none yet.
func (t *txn) putTombstone(sc domain.Schedule, deletedAt time.Time) error {
	tombs, err := t.tx.CreateBucketIfNotExists(deletedSchedulesBucket)
	if err != nil {
		return fmt.Errorf("create bucket %s: %w", deletedSchedulesBucket, err)
	}
	order, err := t.tx.CreateBucketIfNotExists(deletionsBucket)
	if err != nil {
		return fmt.Errorf("create bucket %s: %w", deletionsBucket, err)
	}
	if err := removeTombstone(tombs, order, idKey(sc.ID)); err != nil {
		return err
	}
	if err := pruneTombstones(tombs, order, deletedAt.Add(-store.DeletedScheduleRetention)); err != nil {
		return err
	}
	rec := deletedScheduleRecord{DeletedAt: deletedAt.UTC(), Schedule: newScheduleRecord(sc)}
	if err := put(tombs, idKey(sc.ID), rec); err != nil {
		return err
	}
	return order.Put(deletionKey(deletedAt, sc.ID), idKey(sc.ID))
}

// removeTombstone removes the tombstone stored at id, if any, with its
// deletionsBucket entry.
func removeTombstone(tombs, order *bbolt.Bucket, id []byte) error {
	raw := tombs.Get(id)
	if raw == nil {
		return nil
	}
	var old deletedScheduleRecord
	if err := json.Unmarshal(raw, &old); err != nil {
		return fmt.Errorf("decode tombstone %q: %w", id, err)
	}
	if err := order.Delete(deletionKey(old.DeletedAt, string(id))); err != nil {
		return err
	}
	return tombs.Delete(id)
}

// pruneTombstones removes the tombstones deleted before cutoff.
func pruneTombstones(tombs, order *bbolt.Bucket, cutoff time.Time) error {
	end := []byte(sortableTime(cutoff))
	var expired [][]byte // keys and ids, collected: a cursor must not see its bucket change
	c := order.Cursor()
	for k, id := c.First(); k != nil && bytes.Compare(k, end) < 0; k, id = c.Next() {
		expired = append(expired, bytes.Clone(k), bytes.Clone(id))
	}
	for i := 0; i < len(expired); i += 2 {
		if err := order.Delete(expired[i]); err != nil {
			return err
		}
		if err := tombs.Delete(expired[i+1]); err != nil {
			return err
		}
	}
	return nil
}
