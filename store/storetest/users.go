package storetest

import (
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/dayline/dayline/domain"
	"github.com/dayline/dayline/scalars"
	"github.com/dayline/dayline/store"
)

func testCreateOrganisationReadBack(t *testing.T, s store.Store) {
	ctx := t.Context()
	org, admin := createOrganisation(t, s)

	orgs, err := s.GetOrganisations(ctx, []string{org.ID})
	mustNil(t, "GetOrganisations", err)
	if len(orgs) != 1 {
		t.Fatalf("GetOrganisations returned %d organisations, want 1", len(orgs))
	}
	if got := orgs[0]; got.ID != org.ID || got.Name != org.Name || !got.CreatedAt.Equal(org.CreatedAt) {
		t.Errorf("organisation = %+v, want %+v", got, org)
	}

	got, ok := getUser(t, s, admin.ID)
	if !ok {
		t.Fatal("admin not found after CreateOrganisation")
	}
	if !got.CreatedAt.Equal(admin.CreatedAt) || !got.UpdatedAt.Equal(admin.UpdatedAt) {
		t.Errorf("admin times = %v/%v, want %v/%v", got.CreatedAt, got.UpdatedAt, admin.CreatedAt, admin.UpdatedAt)
	}
	sameUser(t, "admin", got, admin)

	page, err := s.ListMembers(ctx, org.ID, domain.PageRequest{Limit: 10})
	mustNil(t, "ListMembers", err)
	if ids := idsOf(page.Items, userID); !slices.Equal(ids, []string{admin.ID}) || page.NextToken != nil {
		t.Errorf("ListMembers = %v (next %v), want [%s] and no nextToken", ids, page.NextToken, admin.ID)
	}
}

func testCreateOrganisationConflicts(t *testing.T, s store.Store) {
	tests := []struct {
		name string
		// next returns the organisation and admin to create after org and
		// admin exist.
		next func(t *testing.T, org domain.Organisation, admin domain.User) (domain.Organisation, domain.User)
	}{
		{"existing organisation id", func(t *testing.T, org domain.Organisation, _ domain.User) (domain.Organisation, domain.User) {
			again := org
			again.Name = "Other name"
			return again, newUser(t, org.ID, baseTime)
		}},
		{"existing admin id", func(t *testing.T, _ domain.Organisation, admin domain.User) (domain.Organisation, domain.User) {
			org := newOrganisation(t)
			again := admin
			again.OrganisationID = org.ID
			again.Email = "someone.else@example.com"
			return org, again
		}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			org, admin := createOrganisation(t, s)
			nextOrg, nextAdmin := tc.next(t, org, admin)
			err := s.CreateOrganisation(t.Context(), nextOrg, nextAdmin)
			wantCode(t, "CreateOrganisation", err, domain.CodeConflict)

			// Nothing of the failed write is visible; the first write is intact.
			orgs, err := s.GetOrganisations(t.Context(), []string{org.ID, nextOrg.ID})
			mustNil(t, "GetOrganisations", err)
			if len(orgs) != 1 || orgs[0].ID != org.ID || orgs[0].Name != org.Name {
				t.Errorf("organisations after conflict = %+v, want only %+v", orgs, org)
			}
			got, ok := getUser(t, s, admin.ID)
			if !ok {
				t.Fatal("admin missing after conflict")
			}
			sameUser(t, "admin after conflict", got, admin)
			if nextAdmin.ID != admin.ID {
				if _, ok := getUser(t, s, nextAdmin.ID); ok {
					t.Error("admin of the failed CreateOrganisation was stored")
				}
			}
		})
	}
}

func testGetOrganisations(t *testing.T, s store.Store) {
	a, _ := createOrganisation(t, s)
	b, _ := createOrganisation(t, s)
	orgs, err := s.GetOrganisations(t.Context(), []string{a.ID, newID(), b.ID, a.ID, b.ID, ""})
	mustNil(t, "GetOrganisations", err)
	ids := idsOf(orgs, func(o domain.Organisation) string { return o.ID })
	slices.Sort(ids)
	want := []string{a.ID, b.ID}
	slices.Sort(want)
	if !slices.Equal(ids, want) {
		t.Errorf("GetOrganisations ids = %v, want %v", ids, want)
	}
	none, err := s.GetOrganisations(t.Context(), nil)
	mustNil(t, "GetOrganisations(nil)", err)
	if len(none) != 0 {
		t.Errorf("GetOrganisations(nil) = %v, want none", none)
	}
}

func testCreateUserDuplicateID(t *testing.T, s store.Store) {
	org, _ := createOrganisation(t, s)
	u := createUser(t, s, org.ID)
	again := u
	again.Name = "Someone else"
	again.Email = "someone.else@example.com"
	wantCode(t, "CreateUser with an existing id", s.CreateUser(t.Context(), again), domain.CodeConflict)
	got, _ := getUser(t, s, u.ID)
	sameUser(t, "user after conflict", got, u)
	// The failed write claimed no email.
	other := newUser(t, org.ID, baseTime)
	other.Email = again.Email
	mustNil(t, "CreateUser with the email of the failed write", s.CreateUser(t.Context(), other))
}

func testEmailUniquePerOrganisation(t *testing.T, s store.Store) {
	org, _ := createOrganisation(t, s)
	otherOrg, _ := createOrganisation(t, s)
	tests := []struct {
		name     string
		sameOrg  bool
		email    func(taken string) string
		wantCode domain.Code // "" for success, else Conflict (store.EmailTaken)
	}{
		{"same email, same organisation", true, func(e string) string { return e }, domain.CodeConflict},
		{"other case and spaces, same organisation", true, func(e string) string { return "  " + strings.ToUpper(e) + " " }, domain.CodeConflict},
		{"same email, other organisation", false, func(e string) string { return e }, ""},
		{"other email, same organisation", true, func(e string) string { return "x" + e }, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			taken := newUser(t, org.ID, baseTime)
			taken.Email = scalars.Email("Alice." + strings.ToLower(newID()) + "@Example.com")
			mustNil(t, "CreateUser", s.CreateUser(t.Context(), taken))

			u := newUser(t, org.ID, baseTime)
			if !tc.sameOrg {
				u.OrganisationID = otherOrg.ID
			}
			u.Email = scalars.Email(tc.email(string(taken.Email)))
			err := s.CreateUser(t.Context(), u)
			_, stored := getUser(t, s, u.ID)
			if tc.wantCode == "" {
				mustNil(t, "CreateUser", err)
				if !stored {
					t.Error("user not stored")
				}
				return
			}
			wantError(t, "CreateUser", err, store.EmailTaken(u.Email))
			if stored {
				t.Error("user stored despite the conflict")
			}
		})
	}
}

func testGetUsers(t *testing.T, s store.Store) {
	org, admin := createOrganisation(t, s)
	u := createUser(t, s, org.ID)
	users, err := s.GetUsers(t.Context(), []string{u.ID, newID(), admin.ID, u.ID, newID(), admin.ID})
	mustNil(t, "GetUsers", err)
	if len(users) != 2 {
		t.Fatalf("GetUsers returned %d users (%v), want 2", len(users), idsOf(users, userID))
	}
	byID := map[string]domain.User{}
	for _, got := range users {
		byID[got.ID] = got
	}
	for _, want := range []domain.User{admin, u} {
		got, ok := byID[want.ID]
		if !ok {
			t.Errorf("GetUsers misses %s", want.ID)
			continue
		}
		sameUser(t, "GetUsers", got, want)
	}
	none, err := s.GetUsers(t.Context(), nil)
	mustNil(t, "GetUsers(nil)", err)
	if len(none) != 0 {
		t.Errorf("GetUsers(nil) = %v, want none", none)
	}
}

// changed returns u with the next version, as UpdateUser expects it.
func changed(u domain.User) domain.User {
	u.Version++
	u.UpdatedAt = u.UpdatedAt.Add(time.Minute)
	return u
}

func testUpdateUser(t *testing.T, s store.Store) {
	ctx := t.Context()
	org, _ := createOrganisation(t, s)

	t.Run("applies", func(t *testing.T) {
		u := createUser(t, s, org.ID)
		next := changed(u)
		next.Name, next.Role, next.Phone = "Renamed", domain.RoleCaregiver, nil
		mustNil(t, "UpdateUser", s.UpdateUser(ctx, next, u.Version))
		got, _ := getUser(t, s, u.ID)
		sameUser(t, "updated user", got, next)
	})

	t.Run("stale version changes nothing", func(t *testing.T) {
		u := createUser(t, s, org.ID)
		v2 := changed(u)
		v2.Name = "Version 2"
		mustNil(t, "UpdateUser", s.UpdateUser(ctx, v2, u.Version))
		stale := changed(u)
		stale.Name = "Lost update"
		stale.Email = "lost.update@example.com"
		wantCode(t, "UpdateUser with a stale version", s.UpdateUser(ctx, stale, u.Version), domain.CodeConflict)
		got, _ := getUser(t, s, u.ID)
		sameUser(t, "user after stale update", got, v2)
		other := newUser(t, org.ID, baseTime)
		other.Email = stale.Email
		mustNil(t, "CreateUser with the email of the stale update", s.CreateUser(ctx, other))
	})

	t.Run("email taken by another user", func(t *testing.T) {
		u := createUser(t, s, org.ID)
		other := createUser(t, s, org.ID)
		next := changed(u)
		next.Email = scalars.Email(strings.ToUpper(string(other.Email)))
		wantCode(t, "UpdateUser to a taken email", s.UpdateUser(ctx, next, u.Version), domain.CodeConflict)
		got, _ := getUser(t, s, u.ID)
		sameUser(t, "user after conflict", got, u)
	})

	t.Run("email change frees the old email", func(t *testing.T) {
		u := createUser(t, s, org.ID)
		next := changed(u)
		next.Email = scalars.Email("new." + string(u.Email))
		mustNil(t, "UpdateUser", s.UpdateUser(ctx, next, u.Version))

		reuse := newUser(t, org.ID, baseTime)
		reuse.Email = u.Email
		mustNil(t, "CreateUser with the freed email", s.CreateUser(ctx, reuse))
		clash := newUser(t, org.ID, baseTime)
		clash.Email = next.Email
		wantCode(t, "CreateUser with the new email", s.CreateUser(ctx, clash), domain.CodeConflict)
	})

	t.Run("own email in another case", func(t *testing.T) {
		u := createUser(t, s, org.ID)
		next := changed(u)
		next.Email = scalars.Email(strings.ToUpper(string(u.Email)))
		mustNil(t, "UpdateUser", s.UpdateUser(ctx, next, u.Version))
		got, _ := getUser(t, s, u.ID)
		sameUser(t, "updated user", got, next)
	})
}
