package resolvers

import (
	"context"
	"fmt"

	"github.com/dayline/dayline/auth"
	"github.com/dayline/dayline/domain"
	"github.com/dayline/dayline/loaders"
)

// caller is the signed-in user: the user record of the token's subject,
// loaded afresh from the store for every operation.
//
// The token's groups drive only the schema's field directives
// (fieldauth.go), so a caller holds none of them: every rule here (tenant,
// ownership, role) is decided by the stored user, its organisation and its
// role. A caller needs both, the group for the directive and the role for
// the rule, so a user demoted or removed in the store loses rights on the
// next request, whatever the groups of its still-valid token say.
// Operators are no organisation's users and have no caller:
// createOrganisation is theirs by its directive alone.
type caller struct {
	user domain.User
}

// staff reports whether the caller's stored role (admin or caregiver) lets
// it see and plan for others in its organisation.
func (c caller) staff() bool { return c.admin() || c.caregiver() }

// admin reports whether the caller's stored role is admin.
func (c caller) admin() bool { return c.user.Role == domain.RoleAdmin }

// caregiver reports whether the caller's stored role is caregiver.
func (c caller) caregiver() bool { return c.user.Role == domain.RoleCaregiver }

// currentCaller returns the caller, or Unauthorized when the token's subject
// is not a user of any organisation.
func currentCaller(ctx context.Context) (caller, error) {
	id, err := auth.IdentityFrom(ctx)
	if err != nil {
		return caller{}, fmt.Errorf("caller: %w", err)
	}
	l, err := loaders.From(ctx)
	if err != nil {
		return caller{}, err
	}
	u, err := l.Users().Load(ctx, id.Sub)
	if domain.IsCode(err, domain.CodeNotFound) {
		return caller{}, domain.Unauthorized("you are not a member of any organisation")
	}
	if err != nil {
		return caller{}, err
	}
	return caller{user: u}, nil
}

// sameOrganisation returns NotFound (never revealing that the id exists)
// unless orgID is the caller's organisation.
func (c caller) sameOrganisation(orgID, kind, id string) error {
	if orgID != c.user.OrganisationID {
		return domain.NotFound(kind, id)
	}
	return nil
}

// canSeeUser: same organisation; staff see everyone, members only themselves.
func (c caller) canSeeUser(u domain.User) error {
	if err := c.sameOrganisation(u.OrganisationID, "user", u.ID); err != nil {
		return err
	}
	if c.staff() || c.user.ID == u.ID {
		return nil
	}
	return domain.Unauthorized("members can only see themselves")
}

// canSeeSchedule: same organisation; staff see all, members their own.
func (c caller) canSeeSchedule(s domain.Schedule) error {
	if err := c.sameOrganisation(s.OrganisationID, "schedule", s.ID); err != nil {
		return err
	}
	if c.staff() || c.user.ID == s.OwnerID {
		return nil
	}
	return domain.Unauthorized("members can only see their own schedules")
}

// canPlanFor: may the caller create or change schedules owned by owner?
// By stored role: admins plan for anyone in their organisation, caregivers
// for members.
func (c caller) canPlanFor(owner domain.User) error {
	if err := c.sameOrganisation(owner.OrganisationID, "user", owner.ID); err != nil {
		return err
	}
	switch {
	case c.admin():
		return nil
	case c.caregiver() && owner.Role == domain.RoleMember:
		return nil
	}
	return domain.Unauthorized("you may not plan schedules for user %s", owner.ID)
}

// canTick: members tick their own tasks; staff may tick for anyone in
// their organisation.
func (c caller) canTick(ref domain.TaskRef) error {
	if err := c.sameOrganisation(ref.OrganisationID, "task", ref.TaskID); err != nil {
		return err
	}
	if c.staff() || c.user.ID == ref.OwnerID {
		return nil
	}
	return domain.Unauthorized("members can only tick their own tasks")
}

// canManageUsers: admins of the organisation.
func (c caller) canManageUsers(orgID string) error {
	if err := c.sameOrganisation(orgID, "organisation", orgID); err != nil {
		return err
	}
	if !c.admin() {
		return domain.Unauthorized("only admins manage users")
	}
	return nil
}

// loadVisibleUser loads a user the caller may see.
func (c caller) loadVisibleUser(ctx context.Context, id string) (domain.User, error) {
	l, err := loaders.From(ctx)
	if err != nil {
		return domain.User{}, err
	}
	u, err := l.Users().Load(ctx, id)
	if err != nil {
		return domain.User{}, err
	}
	return u, c.canSeeUser(u)
}

// loadVisibleSchedule loads a schedule the caller may see.
func (c caller) loadVisibleSchedule(ctx context.Context, id string) (domain.Schedule, error) {
	l, err := loaders.From(ctx)
	if err != nil {
		return domain.Schedule{}, err
	}
	s, err := l.Schedules().Load(ctx, id)
	if err != nil {
		return domain.Schedule{}, err
	}
	return s, c.canSeeSchedule(s)
}
