package app

import (
	"context"

	"github.com/dayline/dayline/domain"
	"github.com/dayline/dayline/loaders"
)

// Actor is the signed-in user a service acts for: the user record of the
// token's subject, loaded afresh from the store for every operation (see
// Users.Actor).
//
// The token's groups drive only the schema's field directives, so an actor
// holds none of them: every rule here (tenant, ownership, role) is decided
// by the stored user, its organisation and its role. A caller needs both,
// the group for the directive and the role for the rule, so a user demoted
// or removed in the store loses rights on the next request, whatever the
// groups of its still-valid token say. Operators are no organisation's
// users and have no Actor: creating an organisation is theirs by its
// directive alone.
type Actor struct {
	User domain.User
}

// staff reports whether the actor's stored role (admin or caregiver) lets
// it see and plan for others in its organisation.
func (a Actor) staff() bool { return a.admin() || a.caregiver() }

// admin reports whether the actor's stored role is admin.
func (a Actor) admin() bool { return a.User.Role == domain.RoleAdmin }

// caregiver reports whether the actor's stored role is caregiver.
func (a Actor) caregiver() bool { return a.User.Role == domain.RoleCaregiver }

// sameOrganisation returns NotFound (never revealing that the id exists)
// unless orgID is the actor's organisation.
func (a Actor) sameOrganisation(orgID, kind, id string) error {
	if orgID != a.User.OrganisationID {
		return domain.NotFound(kind, id)
	}
	return nil
}

// canSeeUser: same organisation; staff see everyone, members only themselves.
func (a Actor) canSeeUser(u domain.User) error {
	if err := a.sameOrganisation(u.OrganisationID, "user", u.ID); err != nil {
		return err
	}
	if a.staff() || a.User.ID == u.ID {
		return nil
	}
	return domain.Unauthorized("members can only see themselves")
}

// canSeeSchedule: same organisation; staff see all, members their own.
func (a Actor) canSeeSchedule(s domain.Schedule) error {
	if err := a.sameOrganisation(s.OrganisationID, "schedule", s.ID); err != nil {
		return err
	}
	if a.staff() || a.User.ID == s.OwnerID {
		return nil
	}
	return domain.Unauthorized("members can only see their own schedules")
}

// canPlanFor: may the actor create or change schedules owned by owner?
// By stored role: admins plan for anyone in their organisation, caregivers
// for members.
func (a Actor) canPlanFor(owner domain.User) error {
	if err := a.sameOrganisation(owner.OrganisationID, "user", owner.ID); err != nil {
		return err
	}
	switch {
	case a.admin():
		return nil
	case a.caregiver() && owner.Role == domain.RoleMember:
		return nil
	}
	return domain.Unauthorized("you may not plan schedules for user %s", owner.ID)
}

// canTick: members tick their own tasks; staff may tick for anyone in
// their organisation.
func (a Actor) canTick(ref domain.TaskRef) error {
	if err := a.sameOrganisation(ref.OrganisationID, "task", ref.TaskID); err != nil {
		return err
	}
	if a.staff() || a.User.ID == ref.OwnerID {
		return nil
	}
	return domain.Unauthorized("members can only tick their own tasks")
}

// canManageUsers: admins of the organisation.
func (a Actor) canManageUsers(orgID string) error {
	if err := a.sameOrganisation(orgID, "organisation", orgID); err != nil {
		return err
	}
	if !a.admin() {
		return domain.Unauthorized("only admins manage users")
	}
	return nil
}

// canListMembers: staff of the organisation.
func (a Actor) canListMembers(orgID string) error {
	if err := a.sameOrganisation(orgID, "organisation", orgID); err != nil {
		return err
	}
	if !a.staff() {
		return domain.Unauthorized("only admins and caregivers list members")
	}
	return nil
}

// visibleUser loads a user the actor may see: NotFound if missing or in
// another organisation, Unauthorized if a member asks for someone else.
func (a Actor) visibleUser(ctx context.Context, l *loaders.Loaders, id string) (domain.User, error) {
	u, err := l.Users().Load(ctx, id)
	if err != nil {
		return domain.User{}, err
	}
	return u, a.canSeeUser(u)
}

// visibleSchedule loads a schedule the actor may see: NotFound if missing
// or in another organisation, Unauthorized if a member asks for someone
// else's.
func (a Actor) visibleSchedule(ctx context.Context, l *loaders.Loaders, id string) (domain.Schedule, error) {
	s, err := l.Schedules().Load(ctx, id)
	if err != nil {
		return domain.Schedule{}, err
	}
	return s, a.canSeeSchedule(s)
}
