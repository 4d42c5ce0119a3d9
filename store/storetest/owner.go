package storetest

import (
	"testing"

	"github.com/dayline/dayline/domain"
	"github.com/dayline/dayline/store"
)

// testCreateScheduleNeedsOwner: a schedule for a user that does not exist,
// was removed, or belongs to another organisation is NotFound, and nothing
// is written.
func testCreateScheduleNeedsOwner(t *testing.T, s store.Store) {
	org, _ := createOrganisation(t, s)
	other, _ := createOrganisation(t, s)
	removed := createUser(t, s, org.ID)
	if err := s.DeleteUser(t.Context(), removed.ID, removed.Version); err != nil {
		t.Fatalf("DeleteUser: %v", err)
	}
	foreign := createUser(t, s, other.ID)
	cases := map[string]domain.Schedule{
		"never existed": newSchedule(t, newUser(t, org.ID, baseTime), 2),
		"removed":       newSchedule(t, removed, 2),
	}
	wrongOrg := newSchedule(t, foreign, 2)
	wrongOrg.OrganisationID = org.ID
	cases["other organisation"] = wrongOrg
	for name, sc := range cases {
		t.Run(name, func(t *testing.T) {
			err := s.CreateSchedule(t.Context(), sc)
			if domain.ErrorCode(err) != domain.CodeNotFound {
				t.Fatalf("CreateSchedule for %s owner: %v, want NotFound", name, err)
			}
			if got, err := s.GetSchedules(t.Context(), []string{sc.ID}); err != nil || len(got) != 0 {
				t.Errorf("a schedule was written: %v, %v", got, err)
			}
			if refs, err := s.GetTaskRefs(t.Context(), []string{sc.Tasks[0].ID}); err != nil || len(refs) != 0 {
				t.Errorf("task references were written: %v, %v", refs, err)
			}
		})
	}
}
