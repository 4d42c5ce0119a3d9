package storetest

import (
	"sync"
	"testing"

	"github.com/dayline/dayline/domain"
	"github.com/dayline/dayline/store"
)

// testSchedulesPerOwnerLimit: an owner holds at most
// domain.MaxSchedulesPerOwner schedules. One more is BadRequest and writes
// nothing; a deleted schedule frees its place; concurrent creates never
// pass the bound; a removed user's count goes with it.
func testSchedulesPerOwnerLimit(t *testing.T, s store.Store) {
	ctx := t.Context()
	org, _ := createOrganisation(t, s)
	owner, other := createUser(t, s, org.ID), createUser(t, s, org.ID)
	var held []domain.Schedule
	for range domain.MaxSchedulesPerOwner {
		held = append(held, createSchedule(t, s, owner, 1))
	}
	count := func(t *testing.T, ownerID string) int {
		t.Helper()
		got, err := s.SchedulesByOwners(ctx, []string{ownerID})
		mustNil(t, "SchedulesByOwners", err)
		return len(got[ownerID])
	}
	refused := func(t *testing.T, sc domain.Schedule) {
		t.Helper()
		err := s.CreateSchedule(ctx, sc)
		wantCode(t, "CreateSchedule beyond the limit", err, domain.CodeBadRequest)
		if msg := domain.ErrorMessage(err); msg != domain.TooManySchedules().Message {
			t.Errorf("message %q, want %q", msg, domain.TooManySchedules().Message)
		}
		if got, err := s.GetSchedules(ctx, []string{sc.ID}); err != nil || len(got) != 0 {
			t.Errorf("a refused schedule was written: %v, %v", got, err)
		}
		if refs, err := s.GetTaskRefs(ctx, []string{sc.Tasks[0].ID}); err != nil || len(refs) != 0 {
			t.Errorf("task references of a refused schedule were written: %v, %v", refs, err)
		}
	}

	t.Run("one more is refused", func(t *testing.T) {
		refused(t, newSchedule(t, owner, 1))
		if n := count(t, owner.ID); n != domain.MaxSchedulesPerOwner {
			t.Errorf("owner holds %d schedules, want %d", n, domain.MaxSchedulesPerOwner)
		}
	})
	t.Run("other owners are not affected", func(t *testing.T) {
		createSchedule(t, s, other, 1)
	})
	t.Run("a deleted schedule frees its place", func(t *testing.T) {
		mustNil(t, "DeleteSchedule", s.DeleteSchedule(ctx, held[0].ID, held[0].Version, baseTime))
		held = held[1:]
		held = append(held, createSchedule(t, s, owner, 1))
		refused(t, newSchedule(t, owner, 1))
	})
	t.Run("concurrent creates stop at the limit", func(t *testing.T) {
		for _, sc := range held[:2] {
			mustNil(t, "DeleteSchedule", s.DeleteSchedule(ctx, sc.ID, sc.Version, baseTime))
		}
		const tries = 6
		errs := make([]error, tries)
		start := make(chan struct{})
		var wg sync.WaitGroup
		for i := range tries {
			sc := newSchedule(t, owner, 1)
			wg.Go(func() {
				<-start
				errs[i] = s.CreateSchedule(ctx, sc)
			})
		}
		close(start)
		wg.Wait()
		created := 0
		for _, err := range errs {
			switch domain.ErrorCode(err) {
			case domain.CodeInternal:
				if err != nil {
					t.Errorf("concurrent CreateSchedule: %v", err)
					continue
				}
				created++
			case domain.CodeBadRequest, domain.CodeConflict: // refused, or lost a race
			default:
				t.Errorf("concurrent CreateSchedule: %v", err)
			}
		}
		if n := count(t, owner.ID); n != domain.MaxSchedulesPerOwner-2+created || n > domain.MaxSchedulesPerOwner {
			t.Errorf("owner holds %d schedules after %d concurrent creates succeeded, at most %d allowed", n, created, domain.MaxSchedulesPerOwner)
		}
		if created > 2 {
			t.Errorf("%d concurrent creates succeeded with 2 places free", created)
		}
	})
	t.Run("a removed user's count goes with it", func(t *testing.T) {
		if n := count(t, owner.ID); n < domain.MaxSchedulesPerOwner {
			for range domain.MaxSchedulesPerOwner - n {
				createSchedule(t, s, owner, 1)
			}
		}
		mustNil(t, "DeleteUser", s.DeleteUser(ctx, owner.ID, owner.Version))
		again := owner
		mustNil(t, "CreateUser with the removed user's id", s.CreateUser(ctx, again))
		createSchedule(t, s, again, 1)
		if n := count(t, again.ID); n != 1 {
			t.Errorf("the new user holds %d schedules, want 1", n)
		}
	})
}
