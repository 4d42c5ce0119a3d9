package storetest

import (
	"context"
	"testing"

	"github.com/dayline/dayline/domain"
	"github.com/dayline/dayline/store"
)

// testCancelledContext checks that every method fails on a cancelled
// context, and that writes then change nothing.
func testCancelledContext(t *testing.T, s store.Store) {
	org, _ := createOrganisation(t, s)
	owner := createUser(t, s, org.ID)
	sc := createSchedule(t, s, owner, 1)
	day := domain.OwnerDate{OwnerID: owner.ID, Day: "2026-03-29"}

	newOrg := newOrganisation(t)
	newAdmin := newUser(t, newOrg.ID, baseTime)
	newMember := newUser(t, org.ID, baseTime)
	newSched := newSchedule(t, owner, 1)
	renamed := changed(owner)
	renamed.Name = "Renamed"
	retitled := withTasks(sc, sc.Tasks)
	retitled.Title = "Retitled"

	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	page := domain.PageRequest{Limit: 10}
	tests := []struct {
		name string
		call func() error
	}{
		{"CreateOrganisation", func() error { return s.CreateOrganisation(ctx, newOrg, newAdmin) }},
		{"GetOrganisations", func() error { _, err := s.GetOrganisations(ctx, []string{org.ID}); return err }},
		{"GetUsers", func() error { _, err := s.GetUsers(ctx, []string{owner.ID}); return err }},
		{"ListMembers", func() error { _, err := s.ListMembers(ctx, org.ID, page); return err }},
		{"CreateUser", func() error { return s.CreateUser(ctx, newMember) }},
		{"UpdateUser", func() error { return s.UpdateUser(ctx, renamed, owner.Version) }},
		{"DeleteUser", func() error { return s.DeleteUser(ctx, owner.ID, owner.Version) }},
		{"GetSchedules", func() error { _, err := s.GetSchedules(ctx, []string{sc.ID}); return err }},
		{"SchedulesByOwners", func() error { _, err := s.SchedulesByOwners(ctx, []string{owner.ID}); return err }},
		{"ListSchedules", func() error { _, err := s.ListSchedules(ctx, owner.ID, page); return err }},
		{"CreateSchedule", func() error { return s.CreateSchedule(ctx, newSched) }},
		{"UpdateSchedule", func() error { return s.UpdateSchedule(ctx, retitled, sc.Version) }},
		{"DeleteSchedule", func() error { return s.DeleteSchedule(ctx, sc.ID, sc.Version, baseTime) }},
		{"GetDeletedSchedule", func() error { _, err := s.GetDeletedSchedule(ctx, sc.ID); return err }},
		{"GetTaskRefs", func() error { _, err := s.GetTaskRefs(ctx, []string{sc.Tasks[0].ID}); return err }},
		{"PutCompletion", func() error {
			_, err := s.PutCompletion(ctx, newCompletion(sc, sc.Tasks[0].ID, "2026-03-29", baseTime))
			return err
		}},
		{"DeleteCompletion", func() error { return s.DeleteCompletion(ctx, owner.ID, day.Day, sc.Tasks[0].ID) }},
		{"CompletionsOn", func() error { _, err := s.CompletionsOn(ctx, []domain.OwnerDate{day}); return err }},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if err := tc.call(); err == nil {
				t.Errorf("%s with a cancelled context returned no error", tc.name)
			}
		})
	}

	// None of the writes happened.
	if orgs, err := s.GetOrganisations(t.Context(), []string{newOrg.ID}); err != nil || len(orgs) != 0 {
		t.Errorf("organisation created with a cancelled context: %v %v", orgs, err)
	}
	if _, ok := getUser(t, s, newMember.ID); ok {
		t.Error("user created with a cancelled context")
	}
	if got, ok := getUser(t, s, owner.ID); !ok {
		t.Error("user deleted with a cancelled context")
	} else {
		sameUser(t, "user after cancelled writes", got, owner)
	}
	if _, ok := getSchedule(t, s, newSched.ID); ok {
		t.Error("schedule created with a cancelled context")
	}
	if got, ok := getSchedule(t, s, sc.ID); !ok {
		t.Error("schedule deleted with a cancelled context")
	} else {
		sameSchedule(t, "schedule after cancelled writes", got, sc)
	}
	if n := len(completionsOn(t, s, owner.ID, "2026-03-29")); n != 0 {
		t.Errorf("%d completions stored with a cancelled context", n)
	}
}
