package resolvers

import (
	"testing"

	"github.com/dayline/dayline/domain"
)

// TestCallerRulesFollowStoredRole: the rules of access.go are decided by
// the stored role (a caller carries no token groups to decide by).
func TestCallerRulesFollowStoredRole(t *testing.T) {
	member := domain.User{ID: "m", OrganisationID: "a", Role: domain.RoleMember}
	caregiver := domain.User{ID: "c", OrganisationID: "a", Role: domain.RoleCaregiver}
	othersTask := domain.TaskRef{TaskID: "t", OrganisationID: "a", OwnerID: member.ID}
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
			c := caller{user: domain.User{ID: "x", OrganisationID: "a", Role: tc.role}}
			if got := c.staff(); got != tc.staff {
				t.Errorf("staff() = %v, want %v", got, tc.staff)
			}
			if got := c.admin(); got != tc.admin {
				t.Errorf("admin() = %v, want %v", got, tc.admin)
			}
			checks := []struct {
				what  string
				err   error
				allow bool
			}{
				{"canSeeUser(other member)", c.canSeeUser(member), tc.staff},
				{"canTick(other member's task)", c.canTick(othersTask), tc.staff},
				{"canPlanFor(member)", c.canPlanFor(member), tc.planForMember},
				{"canPlanFor(caregiver)", c.canPlanFor(caregiver), tc.planForCaregiver},
				{"canManageUsers", c.canManageUsers("a"), tc.admin},
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
