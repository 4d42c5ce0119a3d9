package app

import (
	"testing"

	"github.com/dayline/dayline/domain"
)

// TestActorRulesFollowStoredRole: the rules of actor.go are decided by the
// stored role (an actor carries no token groups to decide by).
func TestActorRulesFollowStoredRole(t *testing.T) {
	member := domain.User{ID: "m", OrganisationID: "a", Role: domain.RoleMember}
	caregiver := domain.User{ID: "c", OrganisationID: "a", Role: domain.RoleCaregiver}
	othersTask := domain.TaskRef{TaskID: "t", OrganisationID: "a", OwnerID: member.ID}
	othersSchedule := domain.Schedule{ID: "s", OrganisationID: "a", OwnerID: member.ID}
	tests := []struct {
		name             string
		role             domain.Role
		staff, admin     bool
		planForMember    bool
		planForCaregiver bool
	}{
		{"stored member (a demoted caregiver or admin)", domain.RoleMember, false, false, false, false},
		{"stored caregiver (a demoted admin, a promoted member)", domain.RoleCaregiver, true, false, true, false},
		{"stored admin", domain.RoleAdmin, true, true, true, true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			a := Actor{User: domain.User{ID: "x", OrganisationID: "a", Role: tc.role}}
			if got := a.staff(); got != tc.staff {
				t.Errorf("staff() = %v, want %v", got, tc.staff)
			}
			if got := a.admin(); got != tc.admin {
				t.Errorf("admin() = %v, want %v", got, tc.admin)
			}
			checks := []struct {
				what  string
				err   error
				allow bool
			}{
				{"canSeeUser(other member)", a.canSeeUser(member), tc.staff},
				{"canSeeSchedule(other member's)", a.canSeeSchedule(othersSchedule), tc.staff},
				{"canTick(other member's task)", a.canTick(othersTask), tc.staff},
				{"canPlanFor(member)", a.canPlanFor(member), tc.planForMember},
				{"canPlanFor(caregiver)", a.canPlanFor(caregiver), tc.planForCaregiver},
				{"canManageUsers", a.canManageUsers("a"), tc.admin},
				{"canListMembers", a.canListMembers("a"), tc.staff},
			}
			for _, ch := range checks {
				switch {
				case ch.allow && ch.err != nil:
					t.Errorf("%s: %v, want allowed", ch.what, ch.err)
				case !ch.allow && domain.ErrorCode(ch.err) != domain.CodeUnauthorized:
					t.Errorf("%s: %v, want Unauthorized", ch.what, ch.err)
				}
			}
		})
	}
}

// TestActorOtherOrganisationIsNotFound: whatever its role, an actor learns
// nothing of another organisation: every rule answers NotFound.
func TestActorOtherOrganisationIsNotFound(t *testing.T) {
	elsewhere := domain.User{ID: "m", OrganisationID: "b", Role: domain.RoleMember}
	for _, role := range []domain.Role{domain.RoleMember, domain.RoleCaregiver, domain.RoleAdmin} {
		t.Run(string(role), func(t *testing.T) {
			a := Actor{User: domain.User{ID: "x", OrganisationID: "a", Role: role}}
			for what, err := range map[string]error{
				"canSeeUser":     a.canSeeUser(elsewhere),
				"canSeeSchedule": a.canSeeSchedule(domain.Schedule{ID: "s", OrganisationID: "b", OwnerID: "m"}),
				"canTick":        a.canTick(domain.TaskRef{TaskID: "t", OrganisationID: "b", OwnerID: "m"}),
				"canPlanFor":     a.canPlanFor(elsewhere),
				"canManageUsers": a.canManageUsers("b"),
				"canListMembers": a.canListMembers("b"),
			} {
				if domain.ErrorCode(err) != domain.CodeNotFound {
					t.Errorf("%s: %v, want NotFound", what, err)
				}
			}
		})
	}
}
