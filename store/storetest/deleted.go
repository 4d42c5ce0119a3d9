package storetest

import (
	"testing"
	"time"

	"github.com/dayline/dayline/domain"
	"github.com/dayline/dayline/store"
)

// testDeletedSchedule checks the tombstone DeleteSchedule keeps: the
// schedule as it was deleted, readable by id, and nothing for a delete
// that failed or a schedule never deleted.
func testDeletedSchedule(t *testing.T, s store.Store) {
	ctx := t.Context()
	org, _ := createOrganisation(t, s)
	owner := createUser(t, s, org.ID)
	sc := createSchedule(t, s, owner, 2)
	v2 := withTasks(sc, sc.Tasks)
	v2.Title = "Evening"
	mustNil(t, "UpdateSchedule", s.UpdateSchedule(ctx, v2, sc.Version))

	t.Run("a failed delete writes no tombstone", func(t *testing.T) {
		wantCode(t, "DeleteSchedule with a stale version", s.DeleteSchedule(ctx, sc.ID, sc.Version, baseTime), domain.CodeConflict)
		_, err := s.GetDeletedSchedule(ctx, sc.ID)
		wantCode(t, "GetDeletedSchedule after a stale delete", err, domain.CodeNotFound)
	})

	t.Run("delete then read the tombstone", func(t *testing.T) {
		mustNil(t, "DeleteSchedule", s.DeleteSchedule(ctx, sc.ID, v2.Version, baseTime))
		got, err := s.GetDeletedSchedule(ctx, sc.ID)
		mustNil(t, "GetDeletedSchedule", err)
		sameSchedule(t, "deleted schedule", got, v2)
		if got.Version != v2.Version {
			t.Errorf("deleted schedule has version %d, want the deleted version %d", got.Version, v2.Version)
		}
	})

	t.Run("a tombstone is no schedule", func(t *testing.T) {
		if _, ok := getSchedule(t, s, sc.ID); ok {
			t.Error("GetSchedules returns the deleted schedule")
		}
		page, err := s.ListSchedules(ctx, owner.ID, domain.PageRequest{Limit: 10})
		mustNil(t, "ListSchedules", err)
		if len(page.Items) != 0 {
			t.Errorf("ListSchedules after delete = %v, want none", idsOf(page.Items, scheduleID))
		}
		byOwner, err := s.SchedulesByOwners(ctx, []string{owner.ID})
		mustNil(t, "SchedulesByOwners", err)
		if ids := idsOf(byOwner[owner.ID], scheduleID); len(ids) != 0 {
			t.Errorf("SchedulesByOwners after delete = %v, want none", ids)
		}
		wantTaskRefs(t, s, idsOf(sc.Tasks, taskID), nil)
	})

	t.Run("an id deleted twice keeps the last deletion", func(t *testing.T) {
		again := withTasks(v2, nil) // ids are ULIDs: only a store client can reuse one
		again.Title, again.Version = "Again", 1
		mustNil(t, "CreateSchedule under the deleted id", s.CreateSchedule(ctx, again))
		got, err := s.GetDeletedSchedule(ctx, sc.ID)
		mustNil(t, "GetDeletedSchedule while re-created", err)
		sameSchedule(t, "tombstone while re-created", got, v2)
		mustNil(t, "DeleteSchedule again", s.DeleteSchedule(ctx, sc.ID, again.Version, baseTime.Add(time.Minute)))
		got, err = s.GetDeletedSchedule(ctx, sc.ID)
		mustNil(t, "GetDeletedSchedule after the second delete", err)
		sameSchedule(t, "tombstone after the second delete", got, again)
	})

	t.Run("unknown or live ids are NotFound", func(t *testing.T) {
		live := createSchedule(t, s, owner, 1)
		for name, id := range map[string]string{"unknown": newID(), "live": live.ID, "empty": ""} {
			_, err := s.GetDeletedSchedule(ctx, id)
			wantCode(t, "GetDeletedSchedule of an "+name+" id", err, domain.CodeNotFound)
		}
	})
}

// testDeletedScheduleRetention checks that tombstones are kept for
// store.DeletedScheduleRetention: deletions up to that much later forget
// none of the earlier ones.
func testDeletedScheduleRetention(t *testing.T, s store.Store) {
	ctx := t.Context()
	org, _ := createOrganisation(t, s)
	owner := createUser(t, s, org.ID)
	at := []time.Time{
		baseTime,
		baseTime.Add(store.DeletedScheduleRetention / 2),
		baseTime.Add(store.DeletedScheduleRetention - time.Second),
	}
	var deleted []domain.Schedule
	for _, when := range at {
		sc := createSchedule(t, s, owner, 1)
		mustNil(t, "DeleteSchedule", s.DeleteSchedule(ctx, sc.ID, sc.Version, when))
		deleted = append(deleted, sc)
	}
	for i, sc := range deleted {
		got, err := s.GetDeletedSchedule(ctx, sc.ID)
		mustNil(t, "GetDeletedSchedule", err)
		sameSchedule(t, "deleted schedule "+string(rune('A'+i)), got, sc)
	}
}
