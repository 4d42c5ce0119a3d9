package resolvers

import (
	"testing"

	"github.com/dayline/dayline/auth"
	"github.com/dayline/dayline/domain"
)

// TestCallerRulesFollowStoredRole: the token's groups never decide a rule
// of access.go; the stored role does, whatever groups the token carries.
func TestCallerRulesFollowStoredRole(t *testing.T) {
	member := domain.User{ID: "m", OrganisationID: "a", Role: domain.RoleMember}
	caregiver := domain.User{ID: "c", OrganisationID: "a", Role: domain.RoleCaregiver}
	othersTask := domain.TaskRef{TaskID: "t", OrganisationID: "a", OwnerID: member.ID}
	tests := []struct {
		name             string
		groups           []string
		role             domain.Role
		staff, admin     bool
		planForMember    bool
		planForCaregiver bool
	}{
		{"demoted caregiver, Caregivers token", []string{domain.GroupCaregivers}, domain.RoleMember, false, false, false, false},
		{"demoted admin, Admins token", []string{domain.GroupAdmins}, domain.RoleMember, false, false, false, false},
		{"admin demoted to caregiver, Admins token", []string{domain.GroupAdmins}, domain.RoleCaregiver, true, false, true, false},
		{"promoted member, Members token", []string{domain.GroupMembers}, domain.RoleCaregiver, true, false, true, false},
		{"promoted to admin, no groups", nil, domain.RoleAdmin, true, true, true, true},
		{"member, every group", []string{domain.GroupOperators, domain.GroupAdmins, domain.GroupCaregivers}, domain.RoleMember, false, false, false, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			c := caller{
				identity: auth.Identity{Sub: "x", Groups: tc.groups},
				user:     domain.User{ID: "x", OrganisationID: "a", Role: tc.role},
			}
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
