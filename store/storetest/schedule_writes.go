package storetest

import (
	"slices"
	"testing"
	"time"

	"github.com/dayline/dayline/domain"
	"github.com/dayline/dayline/store"
)

// withTasks returns sc holding tasks, changed as a resolver would change it.
func withTasks(sc domain.Schedule, tasks []domain.Task) domain.Schedule {
	sc.Tasks = tasks
	return sc.Changed(baseTime.Add(time.Hour))
}

func testUpdateSchedule(t *testing.T, s store.Store) {
	ctx := t.Context()
	org, _ := createOrganisation(t, s)
	owner := createUser(t, s, org.ID)

	t.Run("applies and moves task refs", func(t *testing.T) {
		sc := createSchedule(t, s, owner, 3)
		removed := sc.Tasks[1]
		putCompletion(t, s, sc, removed.ID, "2026-03-30")
		added := newTask(t, sc.ID, "12:00")
		tasks, err := domain.InsertTask(slices.Delete(slices.Clone(sc.Tasks), 1, 2), added, ptr(0))
		mustNil(t, "InsertTask", err)
		next := withTasks(sc, tasks)
		next.Title, next.Active = "Evening", false

		mustNil(t, "UpdateSchedule", s.UpdateSchedule(ctx, next, sc.Version))
		got, _ := getSchedule(t, s, sc.ID)
		sameSchedule(t, "updated schedule", got, next)
		wantTaskRefs(t, s, append(idsOf(sc.Tasks, taskID), added.ID), refsOf(next))

		day := domain.OwnerDate{OwnerID: owner.ID, Day: "2026-03-30"}
		done, err := s.CompletionsOn(ctx, []domain.OwnerDate{day})
		mustNil(t, "CompletionsOn", err)
		if len(done[day]) != 1 || done[day][0].TaskID != removed.ID {
			t.Errorf("completions after removing the task = %+v, want the removed task's completion kept", done[day])
		}
	})

	t.Run("stale version changes nothing", func(t *testing.T) {
		sc := createSchedule(t, s, owner, 2)
		v2 := withTasks(sc, sc.Tasks)
		v2.Title = "Version 2"
		mustNil(t, "UpdateSchedule", s.UpdateSchedule(ctx, v2, sc.Version))

		stale := withTasks(sc, append(slices.Clone(sc.Tasks), newTask(t, sc.ID, "21:00")))
		stale.Title = "Lost update"
		wantCode(t, "UpdateSchedule with a stale version", s.UpdateSchedule(ctx, stale, sc.Version), domain.CodeConflict)
		got, _ := getSchedule(t, s, sc.ID)
		sameSchedule(t, "schedule after stale update", got, v2)
		wantTaskRefs(t, s, idsOf(stale.Tasks, taskID), refsOf(v2))
	})

	t.Run("task id of another schedule", func(t *testing.T) {
		a := createSchedule(t, s, owner, 1)
		b := createSchedule(t, s, owner, 1)
		stolen := a.Tasks[0]
		stolen.ScheduleID = b.ID
		next := withTasks(b, append(slices.Clone(b.Tasks), stolen))
		wantCode(t, "UpdateSchedule", s.UpdateSchedule(ctx, next, b.Version), domain.CodeConflict)
		got, _ := getSchedule(t, s, b.ID)
		sameSchedule(t, "schedule after conflict", got, b)
		wantTaskRefs(t, s, idsOf(next.Tasks, taskID), append(refsOf(a), refsOf(b)...))
	})
}

func testDeleteSchedule(t *testing.T, s store.Store) {
	ctx := t.Context()
	org, _ := createOrganisation(t, s)
	owner := createUser(t, s, org.ID)
	sc := createSchedule(t, s, owner, 2)
	kept := createSchedule(t, s, owner, 1)
	v2 := withTasks(sc, sc.Tasks)
	mustNil(t, "UpdateSchedule", s.UpdateSchedule(ctx, v2, sc.Version))

	wantCode(t, "DeleteSchedule with a stale version", s.DeleteSchedule(ctx, sc.ID, sc.Version, baseTime), domain.CodeConflict)
	got, ok := getSchedule(t, s, sc.ID)
	if !ok {
		t.Fatal("schedule removed by a stale DeleteSchedule")
	}
	sameSchedule(t, "schedule after stale delete", got, v2)
	wantTaskRefs(t, s, idsOf(sc.Tasks, taskID), refsOf(v2))

	mustNil(t, "DeleteSchedule", s.DeleteSchedule(ctx, sc.ID, v2.Version, baseTime))
	if _, ok := getSchedule(t, s, sc.ID); ok {
		t.Error("schedule still there after DeleteSchedule")
	}
	wantTaskRefs(t, s, idsOf(sc.Tasks, taskID), nil)
	wantTaskRefs(t, s, idsOf(kept.Tasks, taskID), refsOf(kept))
	byOwner, err := s.SchedulesByOwners(ctx, []string{owner.ID})
	mustNil(t, "SchedulesByOwners", err)
	if ids := idsOf(byOwner[owner.ID], scheduleID); !slices.Equal(ids, []string{kept.ID}) {
		t.Errorf("schedules of owner after delete = %v, want [%s]", ids, kept.ID)
	}

	wantCode(t, "DeleteSchedule again", s.DeleteSchedule(ctx, sc.ID, v2.Version, baseTime), domain.CodeNotFound)
}

func testGetTaskRefs(t *testing.T, s store.Store) {
	org, _ := createOrganisation(t, s)
	owner := createUser(t, s, org.ID)
	sc := createSchedule(t, s, owner, 2)
	ids := idsOf(sc.Tasks, taskID)
	wantTaskRefs(t, s, []string{ids[0], newID(), ids[1], ids[0], ids[1], ""}, refsOf(sc))
	wantTaskRefs(t, s, nil, nil)
}

func testNotFound(t *testing.T, s store.Store) {
	ctx := t.Context()
	org, _ := createOrganisation(t, s)
	owner := createUser(t, s, org.ID)
	missingUser := changed(newUser(t, org.ID, baseTime))
	missingSchedule := withTasks(newSchedule(t, owner, 1), nil)
	missingSchedule.Tasks = []domain.Task{newTask(t, missingSchedule.ID, "08:00")}

	tests := []struct {
		name string
		call func() error
	}{
		{"UpdateUser", func() error { return s.UpdateUser(ctx, missingUser, missingUser.Version-1) }},
		{"DeleteUser", func() error { return s.DeleteUser(ctx, newID(), 1) }},
		{"UpdateSchedule", func() error { return s.UpdateSchedule(ctx, missingSchedule, missingSchedule.Version-1) }},
		{"DeleteSchedule", func() error { return s.DeleteSchedule(ctx, newID(), 1, baseTime) }},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			wantCode(t, tc.name, tc.call(), domain.CodeNotFound)
		})
	}

	// The failed writes left nothing behind.
	if _, ok := getUser(t, s, missingUser.ID); ok {
		t.Error("UpdateUser of a missing user stored it")
	}
	if _, ok := getSchedule(t, s, missingSchedule.ID); ok {
		t.Error("UpdateSchedule of a missing schedule stored it")
	}
	wantTaskRefs(t, s, idsOf(missingSchedule.Tasks, taskID), nil)
	reuse := newUser(t, org.ID, baseTime)
	reuse.Email = missingUser.Email
	mustNil(t, "CreateUser with the email of the failed UpdateUser", s.CreateUser(ctx, reuse))
}
