// Package demo seeds a demo organisation so a newcomer has data to query:
// an admin, a caregiver, two members and a week of schedules.
package demo

import (
	"context"
	"fmt"
	"time"

	"github.com/dayline/dayline/domain"
	"github.com/dayline/dayline/scalars"
	"github.com/dayline/dayline/store"
)

// Fixed ids so the README's examples work against any demo database.
const (
	OrganisationID = "demo-org"
	AdminID        = "demo-admin"
	CaregiverID    = "demo-caregiver"
	Member1ID      = "demo-member-1"
	Member2ID      = "demo-member-2"
	Timezone       = "Europe/Amsterdam"
)

// Users returns the demo users (the admin first).
func Users(now time.Time) []domain.User {
	mk := func(id, name, email string, role domain.Role, offset time.Duration) domain.User {
		t := now.Add(offset)
		return domain.User{ID: id, OrganisationID: OrganisationID, Name: name, Email: scalars.Email(email),
			Role: role, Version: 1, CreatedAt: t, UpdatedAt: t}
	}
	phone := scalars.Phone("+31 20 555 0101")
	member1 := mk(Member1ID, "Sam Member", "sam@demo.dayline.dev", domain.RoleMember, 3*time.Millisecond)
	member1.Phone = &phone
	return []domain.User{
		mk(AdminID, "Ada Admin", "ada@demo.dayline.dev", domain.RoleAdmin, 0),
		mk(CaregiverID, "Cato Caregiver", "cato@demo.dayline.dev", domain.RoleCaregiver, time.Millisecond),
		member1,
		mk(Member2ID, "Noor Member", "noor@demo.dayline.dev", domain.RoleMember, 4*time.Millisecond),
	}
}

// Seeded reports whether the demo organisation exists in st.
func Seeded(ctx context.Context, st store.Store) (bool, error) {
	orgs, err := st.GetOrganisations(ctx, []string{OrganisationID})
	if err != nil {
		return false, fmt.Errorf("look for demo organisation: %w", err)
	}
	return len(orgs) > 0, nil
}

// Seed writes the demo organisation, its users and their schedules, and
// ticks the first task of today's routine for member 1. It fails with a
// Conflict if any of it exists already; call Seeded first.
func Seed(ctx context.Context, st store.Store, now time.Time, newID func() string) error {
	users := Users(now)
	org := domain.Organisation{ID: OrganisationID, Name: "Sunrise Care (demo)", CreatedAt: now}
	if err := st.CreateOrganisation(ctx, org, users[0]); err != nil {
		return fmt.Errorf("seed organisation: %w", err)
	}
	for _, u := range users[1:] {
		if err := st.CreateUser(ctx, u); err != nil {
			return fmt.Errorf("seed user %s: %w", u.ID, err)
		}
	}
	for _, ownerID := range []string{Member1ID, Member2ID} {
		for _, s := range schedulesFor(ownerID, now, newID) {
			if err := st.CreateSchedule(ctx, s); err != nil {
				return fmt.Errorf("seed schedule %q for %s: %w", s.Title, ownerID, err)
			}
		}
	}
	return tickFirstTaskToday(ctx, st, now)
}

func tickFirstTaskToday(ctx context.Context, st store.Store, now time.Time) error {
	loc, err := time.LoadLocation(Timezone)
	if err != nil {
		return fmt.Errorf("load demo timezone: %w", err)
	}
	today := scalars.DateOf(now.In(loc))
	owned, err := st.SchedulesByOwners(ctx, []string{Member1ID})
	if err != nil {
		return fmt.Errorf("read demo schedules: %w", err)
	}
	agenda, err := domain.BuildAgenda(owned[Member1ID], nil, today)
	if err != nil || len(agenda) == 0 {
		return err
	}
	first := agenda[0]
	done := now
	_, err = st.PutCompletion(ctx, domain.Completion{
		OwnerID: Member1ID, OrganisationID: OrganisationID, ScheduleID: first.ScheduleID,
		TaskID: first.Task.ID, Date: today, Completed: true, CompletedAt: &done,
	})
	return err
}
