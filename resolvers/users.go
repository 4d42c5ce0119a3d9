package resolvers

import (
	"context"
	"fmt"
	"time"

	"github.com/dayline/dayline/domain"
	"github.com/dayline/dayline/graph/model"
	"github.com/dayline/dayline/loaders"
	"github.com/dayline/dayline/scalars"
)

// newUser builds a version-1 user; id "" gets a generated id (dev mode:
// with Cognito the id is the user's sub).
func newUser(r *Resolver, orgID, id, name string, email scalars.Email, phone *scalars.Phone, role domain.Role, now time.Time) domain.User {
	if id == "" {
		id = r.NewID()
	}
	return domain.User{
		ID: id, OrganisationID: orgID, Name: name, Email: email, Phone: phone,
		Role: role, Version: 1, CreatedAt: now, UpdatedAt: now,
	}
}

// applyUserInput copies the given fields of in onto u.
func applyUserInput(u *domain.User, in model.UpdateUserInput) {
	if in.Name != nil {
		u.Name = *in.Name
	}
	if in.Email != nil {
		u.Email = *in.Email
	}
	if in.Phone != nil {
		u.Phone = in.Phone
	}
	if in.Role != nil {
		u.Role = *in.Role
	}
}

func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}

// listMembers returns a page of orgID's users: staff of that organisation only.
func listMembers(ctx context.Context, c caller, orgID string, limit *int, nextToken *string) (*model.UserConnection, error) {
	if err := c.sameOrganisation(orgID, "organisation", orgID); err != nil {
		return nil, err
	}
	if !c.staff() {
		return nil, domain.Unauthorized("only admins and caregivers list members")
	}
	page, err := domain.NewPageRequest(limit, nextToken)
	if err != nil {
		return nil, err
	}
	l, err := loaders.From(ctx)
	if err != nil {
		return nil, err
	}
	p, err := l.MemberPages().LoadNow(ctx, loaders.MemberPageKey{OrganisationID: orgID, Page: page})
	if err != nil {
		return nil, fmt.Errorf("list members of %s: %w", orgID, err)
	}
	for _, u := range p.Items {
		l.Users().Prime(u.ID, u)
	}
	return &model.UserConnection{Items: p.Items, NextToken: p.NextToken}, nil
}

// listSchedules returns a page of ownerID's schedules; the caller must
// already be allowed to see the owner.
func listSchedules(ctx context.Context, r *Resolver, ownerID string, limit *int, nextToken *string) (*model.ScheduleConnection, error) {
	page, err := domain.NewPageRequest(limit, nextToken)
	if err != nil {
		return nil, err
	}
	p, err := r.Store.ListSchedules(ctx, ownerID, page)
	if err != nil {
		return nil, fmt.Errorf("list schedules of %s: %w", ownerID, err)
	}
	return &model.ScheduleConnection{Items: p.Items, NextToken: p.NextToken}, nil
}
