package storetest

import (
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/dayline/dayline/domain"
	"github.com/dayline/dayline/scalars"
	"github.com/dayline/dayline/store"
)

// wantTaskRefs fails t unless the stored references of taskIDs are exactly
// want (missing ids omitted).
func wantTaskRefs(t *testing.T, s store.Store, taskIDs []string, want []domain.TaskRef) {
	t.Helper()
	got, err := s.GetTaskRefs(t.Context(), taskIDs)
	mustNil(t, "GetTaskRefs", err)
	byTask := func(a, b domain.TaskRef) int {
		switch {
		case a.TaskID < b.TaskID:
			return -1
		case a.TaskID > b.TaskID:
			return 1
		}
		return 0
	}
	got, want = slices.Clone(got), slices.Clone(want)
	slices.SortFunc(got, byTask)
	slices.SortFunc(want, byTask)
	if !slices.Equal(got, want) {
		t.Errorf("task refs:\n got  %+v\n want %+v", got, want)
	}
}

// refsOf returns the references the tasks of sc must have.
func refsOf(sc domain.Schedule) []domain.TaskRef {
	refs := make([]domain.TaskRef, len(sc.Tasks))
	for i, task := range sc.Tasks {
		refs[i] = domain.TaskRef{TaskID: task.ID, ScheduleID: sc.ID, OwnerID: sc.OwnerID, OrganisationID: sc.OrganisationID}
	}
	return refs
}

func testCreateScheduleReadBack(t *testing.T, s store.Store) {
	org, _ := createOrganisation(t, s)
	owner := createUser(t, s, org.ID)

	weekly := newSchedule(t, owner, 3)
	dated := newSchedule(t, owner, 1)
	dated.Days, dated.Date = nil, ptr(scalars.Date("2026-03-29"))
	dated.Tasks[0].Notes, dated.Tasks[0].Icon, dated.Tasks[0].ReminderMinutesBefore = nil, nil, nil
	empty := newSchedule(t, owner, 0)

	for _, sc := range []domain.Schedule{weekly, dated, empty} {
		mustNil(t, "CreateSchedule", s.CreateSchedule(t.Context(), sc))
		got, ok := getSchedule(t, s, sc.ID)
		if !ok {
			t.Fatalf("schedule %s not found after CreateSchedule", sc.ID)
		}
		if !got.CreatedAt.Equal(sc.CreatedAt) || !got.UpdatedAt.Equal(sc.UpdatedAt) {
			t.Errorf("schedule times = %v/%v, want %v/%v", got.CreatedAt, got.UpdatedAt, sc.CreatedAt, sc.UpdatedAt)
		}
		if ids, want := idsOf(got.Tasks, taskID), idsOf(sc.Tasks, taskID); !slices.Equal(ids, want) {
			t.Errorf("task order = %v, want %v", ids, want)
		}
		sameSchedule(t, "schedule", got, sc)
		wantTaskRefs(t, s, idsOf(sc.Tasks, taskID), refsOf(sc))
	}
}

func testCreateScheduleConflicts(t *testing.T, s store.Store) {
	org, _ := createOrganisation(t, s)
	owner := createUser(t, s, org.ID)
	existing := createSchedule(t, s, owner, 2)

	t.Run("existing schedule id", func(t *testing.T) {
		again := newSchedule(t, owner, 1)
		again.ID, again.Title = existing.ID, "Other title"
		wantCode(t, "CreateSchedule", s.CreateSchedule(t.Context(), again), domain.CodeConflict)
		got, _ := getSchedule(t, s, existing.ID)
		sameSchedule(t, "schedule after conflict", got, existing)
		wantTaskRefs(t, s, idsOf(again.Tasks, taskID), nil)
	})

	t.Run("task id of another schedule", func(t *testing.T) {
		sc := newSchedule(t, owner, 2)
		sc.Tasks[1].ID = existing.Tasks[0].ID
		wantError(t, "CreateSchedule", s.CreateSchedule(t.Context(), sc), store.TaskInOtherSchedule(sc.Tasks[1].ID))
		if _, ok := getSchedule(t, s, sc.ID); ok {
			t.Error("schedule stored despite the conflict")
		}
		wantTaskRefs(t, s, idsOf(sc.Tasks, taskID), refsOf(existing)[:1])
	})

	t.Run("task id twice", func(t *testing.T) {
		sc := newSchedule(t, owner, 2)
		sc.Tasks[1].ID = sc.Tasks[0].ID
		wantError(t, "CreateSchedule", s.CreateSchedule(t.Context(), sc), store.TaskListedTwice(sc.Tasks[0].ID, sc.ID))
		if _, ok := getSchedule(t, s, sc.ID); ok {
			t.Error("schedule stored despite the conflict")
		}
		wantTaskRefs(t, s, idsOf(sc.Tasks, taskID), nil)
	})
}

func testSchedulesByOwners(t *testing.T, s store.Store) {
	org, _ := createOrganisation(t, s)
	a, b, c := createUser(t, s, org.ID), createUser(t, s, org.ID), createUser(t, s, org.ID)
	otherOrg, _ := createOrganisation(t, s)
	stranger := createUser(t, s, otherOrg.ID)

	// a's schedules are created in an order that is not id order.
	ofA := []domain.Schedule{newSchedule(t, a, 2), newSchedule(t, a, 0), newSchedule(t, a, 1)}
	for _, i := range []int{2, 0, 1} {
		mustNil(t, "CreateSchedule", s.CreateSchedule(t.Context(), ofA[i]))
	}
	ofB := createSchedule(t, s, b, 1)
	createSchedule(t, s, stranger, 1)

	got, err := s.SchedulesByOwners(t.Context(), []string{a.ID, b.ID, c.ID, a.ID, "no-such-owner"})
	mustNil(t, "SchedulesByOwners", err)
	wantA := slices.Clone(ofA)
	domain.SortSchedules(wantA)
	if ids, want := idsOf(got[a.ID], scheduleID), idsOf(wantA, scheduleID); !slices.Equal(ids, want) {
		t.Errorf("schedules of a = %v, want %v (by id)", ids, want)
	}
	for i := range min(len(got[a.ID]), len(wantA)) {
		sameSchedule(t, "schedule of a", got[a.ID][i], wantA[i])
	}
	if ids := idsOf(got[b.ID], scheduleID); !slices.Equal(ids, []string{ofB.ID}) {
		t.Errorf("schedules of b = %v, want [%s]", ids, ofB.ID)
	}
	if n := len(got[c.ID]); n != 0 {
		t.Errorf("owner without schedules has %d", n)
	}
	if n := len(got["no-such-owner"]); n != 0 {
		t.Errorf("unknown owner has %d schedules", n)
	}
	if _, ok := got[stranger.ID]; ok {
		t.Error("result holds an owner that was not asked for")
	}
}

func testListSchedulesPagination(t *testing.T, s store.Store) {
	ctx := t.Context()
	org, _ := createOrganisation(t, s)
	owner, other := createUser(t, s, org.ID), createUser(t, s, org.ID)
	var want []string
	for range 5 {
		want = append(want, createSchedule(t, s, owner, 1).ID)
	}
	slices.Sort(want)
	createSchedule(t, s, other, 1)
	createSchedule(t, s, other, 1)

	pages := collectPages(t, 2, func(p domain.PageRequest) (domain.Page[domain.Schedule], error) {
		return s.ListSchedules(ctx, owner.ID, p)
	})
	if got := pageSizes(pages); !slices.Equal(got, []int{2, 2, 1}) {
		t.Errorf("page sizes = %v, want [2 2 1]", got)
	}
	if got := idsOf(slices.Concat(pages...), scheduleID); !slices.Equal(got, want) {
		t.Errorf("schedules in pages = %v, want %v (by id)", got, want)
	}

	first, err := s.ListSchedules(ctx, owner.ID, domain.PageRequest{Limit: 2})
	mustNil(t, "ListSchedules", err)
	if first.NextToken == nil {
		t.Fatal("first page of three has no nextToken")
	}
	members, err := s.ListMembers(ctx, org.ID, domain.PageRequest{Limit: 1})
	mustNil(t, "ListMembers", err)
	if members.NextToken == nil {
		t.Fatal("first member page has no nextToken")
	}
	tests := []struct {
		name    string
		ownerID string
		token   string
	}{
		{"token of another owner's list", other.ID, *first.NextToken},
		{"tampered", owner.ID, tamper(*first.NextToken)},
		{"member list token", owner.ID, *members.NextToken},
		{"garbage", owner.ID, "garbage"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := s.ListSchedules(ctx, tc.ownerID, domain.PageRequest{Limit: 2, NextToken: tc.token})
			wantCode(t, "ListSchedules", err, domain.CodeBadRequest)
		})
	}
}

func testConcurrentUpdateSchedule(t *testing.T, s store.Store) {
	org, _ := createOrganisation(t, s)
	owner := createUser(t, s, org.ID)
	for round := range 20 {
		sc := createSchedule(t, s, owner, 1)
		titles := []string{"A", "B"}
		errs := make([]error, len(titles))
		start := make(chan struct{})
		var wg sync.WaitGroup
		for i, title := range titles {
			next := sc.Changed(baseTime.Add(time.Hour))
			next.Title = title
			wg.Go(func() {
				<-start
				errs[i] = s.UpdateSchedule(t.Context(), next, sc.Version)
			})
		}
		close(start)
		wg.Wait()

		winner := -1
		for i, err := range errs {
			if err == nil {
				if winner >= 0 {
					t.Fatalf("round %d: both updates with expectedVersion %d succeeded", round, sc.Version)
				}
				winner = i
				continue
			}
			wantCode(t, "losing UpdateSchedule", err, domain.CodeConflict)
		}
		if winner < 0 {
			t.Fatalf("round %d: no update succeeded: %v", round, errs)
		}
		got, _ := getSchedule(t, s, sc.ID)
		if got.Title != titles[winner] || got.Version != sc.Version+1 {
			t.Fatalf("round %d: stored title %q version %d, want the winner's %q version %d",
				round, got.Title, got.Version, titles[winner], sc.Version+1)
		}
	}
}
