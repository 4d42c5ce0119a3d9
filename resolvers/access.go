package resolvers

import (
	"context"
	"fmt"

	"github.com/dayline/dayline/auth"
	"github.com/dayline/dayline/domain"
	"github.com/dayline/dayline/loaders"
)

// caller is the signed-in user: the verified token plus the user record
// from the store (the token alone never decides the organisation).
type caller struct {
	identity auth.Identity
	user     domain.User
}

// staff reports whether the caller may manage others in its organisation.
func (c caller) staff() bool {
	return c.identity.InGroup(domain.GroupAdmins, domain.GroupCaregivers)
}

func (c caller) admin() bool { return c.identity.InGroup(domain.GroupAdmins) }

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
	u, err := l.Users().Load(ctx, id.Sub)()
	if domain.IsCode(err, domain.CodeNotFound) {
		return caller{}, domain.Unauthorized("you are not a member of any organisation")
	}
	if err != nil {
		return caller{}, err
	}
	return caller{identity: id, user: u}, nil
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
// Admins plan for anyone in their organisation, caregivers for members.
func (c caller) canPlanFor(owner domain.User) error {
	if err := c.sameOrganisation(owner.OrganisationID, "user", owner.ID); err != nil {
		return err
	}
	switch {
	case c.admin():
		return nil
	case c.identity.InGroup(domain.GroupCaregivers) && owner.Role == domain.RoleMember:
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
	u, err := l.Users().Load(ctx, id)()
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
	s, err := l.Schedules().Load(ctx, id)()
	if err != nil {
		return domain.Schedule{}, err
	}
	return s, c.canSeeSchedule(s)
}
