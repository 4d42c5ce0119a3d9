package storetest

import (
	"slices"
	"testing"

	"github.com/dayline/dayline/domain"
	"github.com/dayline/dayline/scalars"
	"github.com/dayline/dayline/store"
)

// userData is what a user owns, as read back from the store.
type userData struct {
	schedules   []string // ids, by id
	taskRefs    int
	completions int
}

// readUserData reads what user owns in schedules (task refs of taskIDs,
// completions on days).
func readUserData(t *testing.T, s store.Store, userID string, taskIDs []string, days []scalars.Date) userData {
	t.Helper()
	ctx := t.Context()
	var d userData
	byOwner, err := s.SchedulesByOwners(ctx, []string{userID})
	mustNil(t, "SchedulesByOwners", err)
	d.schedules = idsOf(byOwner[userID], scheduleID)
	refs, err := s.GetTaskRefs(ctx, taskIDs)
	mustNil(t, "GetTaskRefs", err)
	d.taskRefs = len(refs)
	var ods []domain.OwnerDate
	for _, day := range days {
		ods = append(ods, domain.OwnerDate{OwnerID: userID, Day: day.Day()})
	}
	done, err := s.CompletionsOn(ctx, ods)
	mustNil(t, "CompletionsOn", err)
	for _, od := range ods {
		d.completions += len(done[od])
	}
	return d
}

func testDeleteUser(t *testing.T, s store.Store) {
	ctx := t.Context()
	org, admin := createOrganisation(t, s)
	days := []scalars.Date{"2026-03-29", "2026-03-30"}

	member := createUser(t, s, org.ID)
	s1, s2 := createSchedule(t, s, member, 2), createSchedule(t, s, member, 1)
	putCompletion(t, s, s1, s1.Tasks[0].ID, days[0])
	putCompletion(t, s, s1, s1.Tasks[1].ID, days[1])
	putCompletion(t, s, s2, s2.Tasks[0].ID, days[0])
	memberTasks := append(idsOf(s1.Tasks, taskID), idsOf(s2.Tasks, taskID)...)
	memberSchedules := []string{s1.ID, s2.ID}
	slices.Sort(memberSchedules)
	before := userData{schedules: memberSchedules, taskRefs: 3, completions: 3}

	other := createUser(t, s, org.ID)
	otherSchedule := createSchedule(t, s, other, 1)
	putCompletion(t, s, otherSchedule, otherSchedule.Tasks[0].ID, days[0])
	otherTasks := idsOf(otherSchedule.Tasks, taskID)
	otherBefore := userData{schedules: []string{otherSchedule.ID}, taskRefs: 1, completions: 1}

	wantCode(t, "DeleteUser with a stale version", s.DeleteUser(ctx, member.ID, member.Version+1), domain.CodeConflict)
	if _, ok := getUser(t, s, member.ID); !ok {
		t.Fatal("user removed by a stale DeleteUser")
	}
	if got := readUserData(t, s, member.ID, memberTasks, days); !equalUserData(got, before) {
		t.Errorf("after stale DeleteUser the user owns %+v, want %+v", got, before)
	}

	mustNil(t, "DeleteUser", s.DeleteUser(ctx, member.ID, member.Version))
	if _, ok := getUser(t, s, member.ID); ok {
		t.Error("user still there after DeleteUser")
	}
	gone, err := s.GetSchedules(ctx, memberSchedules)
	mustNil(t, "GetSchedules", err)
	if len(gone) != 0 {
		t.Errorf("schedules of the deleted user still there: %v", idsOf(gone, scheduleID))
	}
	if got := readUserData(t, s, member.ID, memberTasks, days); !equalUserData(got, userData{}) {
		t.Errorf("after DeleteUser the user still owns %+v", got)
	}
	if got := readUserData(t, s, other.ID, otherTasks, days); !equalUserData(got, otherBefore) {
		t.Errorf("after deleting another user, this one owns %+v, want %+v", got, otherBefore)
	}
	members, err := s.ListMembers(ctx, org.ID, domain.PageRequest{Limit: 10})
	mustNil(t, "ListMembers", err)
	if ids := idsOf(members.Items, userID); !slices.Equal(ids, []string{admin.ID, other.ID}) {
		t.Errorf("members after DeleteUser = %v, want [%s %s]", ids, admin.ID, other.ID)
	}

	reuse := newUser(t, org.ID, baseTime)
	reuse.Email = member.Email
	mustNil(t, "CreateUser with the deleted user's email", s.CreateUser(ctx, reuse))

	wantCode(t, "DeleteUser again", s.DeleteUser(ctx, member.ID, member.Version), domain.CodeNotFound)
}

func equalUserData(a, b userData) bool {
	return slices.Equal(a.schedules, b.schedules) && a.taskRefs == b.taskRefs && a.completions == b.completions
}
