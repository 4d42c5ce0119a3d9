package app_test

import (
	"slices"
	"testing"
	"time"

	"github.com/dayline/dayline/app"
	"github.com/dayline/dayline/domain"
	"github.com/dayline/dayline/scalars"
)

func TestUsersActor(t *testing.T) {
	f := newFixture(t)
	tests := []struct {
		name     string
		sub      string
		wantRole domain.Role
		code     domain.Code
	}{
		{"stored member", "ann", domain.RoleMember, ""},
		{"stored admin", "admin", domain.RoleAdmin, ""},
		{"no organisation's user", "nobody", "", domain.CodeUnauthorized},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			a, err := f.svc.Users.Actor(t.Context(), f.loaders(), tc.sub)
			wantCode(t, err, tc.code)
			if a.User.Role != tc.wantRole {
				t.Errorf("role %q, want %q", a.User.Role, tc.wantRole)
			}
		})
	}
}

func TestUsersCreateOrganisation(t *testing.T) {
	tests := []struct {
		name  string
		org   string
		admin app.NewUser
		code  domain.Code
	}{
		{"admin id generated", "Zorgpunt", app.NewUser{Name: "Zoe", Email: "zoe@example.com"}, ""},
		{"blank name", " ", app.NewUser{Name: "Zoe", Email: "zoe@example.com"}, domain.CodeBadRequest},
		{"admin without email", "Zorgpunt", app.NewUser{Name: "Zoe"}, domain.CodeBadRequest},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			f := newFixture(t)
			at := f.later(time.Hour)
			org, err := f.svc.Users.CreateOrganisation(t.Context(), tc.org, tc.admin)
			wantCode(t, err, tc.code)
			if err != nil {
				return
			}
			if org.Name != tc.org || !org.CreatedAt.Equal(at) || org.ID == "" {
				t.Errorf("organisation %+v, want name %q created %v", org, tc.org, at)
			}
			id := f.lastID() // generated after the organisation's
			if u := f.user(t, id); u.Role != domain.RoleAdmin || u.Version != 1 || u.OrganisationID != org.ID || !u.CreatedAt.Equal(at) {
				t.Errorf("admin %+v, want a version-1 admin of %s created %v", u, org.ID, at)
			}
		})
	}
}

func TestUsersAdd(t *testing.T) {
	valid := app.NewUser{Name: "Cas", Email: "cas@example.com", Role: domain.RoleMember}
	tests := []struct {
		name string
		by   func(*fixture) app.Actor
		org  func(*fixture) string
		in   app.NewUser
		code domain.Code
	}{
		{"admin adds a member", byAdmin, ownOrg, valid, ""},
		{"caregiver may not", byCaregiver, ownOrg, valid, domain.CodeUnauthorized},
		{"member may not", byAnn, ownOrg, valid, domain.CodeUnauthorized},
		{"other organisation's admin", byStranger, ownOrg, valid, domain.CodeNotFound},
		{"unknown role", byAdmin, ownOrg, app.NewUser{Name: "Cas", Email: "cas@example.com", Role: "OWNER"}, domain.CodeBadRequest},
		{"blank name", byAdmin, ownOrg, app.NewUser{Name: "", Email: "cas@example.com", Role: domain.RoleMember}, domain.CodeBadRequest},
		{"email taken (any case)", byAdmin, ownOrg, app.NewUser{Name: "Cas", Email: "ANN@example.com", Role: domain.RoleMember}, domain.CodeConflict},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			f := newFixture(t)
			at := f.later(time.Minute)
			u, err := f.svc.Users.Add(t.Context(), tc.by(f), tc.org(f), tc.in)
			wantCode(t, err, tc.code)
			if err != nil {
				return
			}
			if u.ID != f.lastID() {
				t.Errorf("id %q, want the generated %q", u.ID, f.lastID())
			}
			stored := f.user(t, u.ID)
			for _, got := range []domain.User{u, stored} {
				if got.Version != 1 || !got.CreatedAt.Equal(at) || !got.UpdatedAt.Equal(at) || got.Name != tc.in.Name || got.OrganisationID != f.org.ID {
					t.Errorf("user %+v, want version 1 of %s created and updated %v", got, f.org.ID, at)
				}
			}
		})
	}
}

func TestUsersUpdate(t *testing.T) {
	rename := app.UserChanges{Name: ptr("Ann B.")}
	tests := []struct {
		name     string
		by       func(*fixture) app.Actor
		id       string
		expected int
		changes  app.UserChanges
		code     domain.Code
	}{
		{"admin renames a member", byAdmin, "ann", 1, rename, ""},
		{"admin changes a role", byAdmin, "ann", 1, app.UserChanges{Role: ptr(domain.RoleCaregiver)}, ""},
		{"stale version", byAdmin, "ann", 2, rename, domain.CodeConflict},
		{"caregiver may not", byCaregiver, "ann", 1, rename, domain.CodeUnauthorized},
		{"member may not change itself", byAnn, "ann", 1, rename, domain.CodeUnauthorized},
		{"member may not see another", byAnn, "bob", 1, rename, domain.CodeUnauthorized},
		{"other organisation's admin", byStranger, "ann", 1, rename, domain.CodeNotFound},
		{"missing user", byAdmin, "nobody", 1, rename, domain.CodeNotFound},
		{"blank name", byAdmin, "ann", 1, app.UserChanges{Name: ptr(" ")}, domain.CodeBadRequest},
		{"email taken", byAdmin, "ann", 1, app.UserChanges{Email: ptr(scalars.Email("bob@example.com"))}, domain.CodeConflict},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			f := newFixture(t)
			before, _ := f.loaders().Users().Load(t.Context(), tc.id)
			at := f.later(time.Hour)
			u, err := f.svc.Users.Update(t.Context(), f.loaders(), tc.by(f), tc.id, tc.expected, tc.changes)
			wantCode(t, err, tc.code)
			if err != nil {
				if tc.id != "nobody" && f.user(t, tc.id).Version != 1 {
					t.Errorf("a refused update changed the stored version")
				}
				return
			}
			stored := f.user(t, tc.id)
			for _, got := range []domain.User{u, stored} {
				if got.Version != 2 || !got.UpdatedAt.Equal(at) || !got.CreatedAt.Equal(before.CreatedAt) {
					t.Errorf("user %+v, want version 2 updated %v, created %v", got, at, before.CreatedAt)
				}
			}
			if tc.changes.Name != nil && stored.Name != *tc.changes.Name {
				t.Errorf("name %q, want %q", stored.Name, *tc.changes.Name)
			}
			if tc.changes.Role != nil && stored.Role != *tc.changes.Role {
				t.Errorf("role %q, want %q", stored.Role, *tc.changes.Role)
			}
		})
	}
}

func TestUsersRemove(t *testing.T) {
	tests := []struct {
		name     string
		by       func(*fixture) app.Actor
		id       string
		expected int
		code     domain.Code
	}{
		{"admin removes a member", byAdmin, "ann", 1, ""},
		{"admin may not remove itself", byAdmin, "admin", 1, domain.CodeBadRequest},
		{"stale version", byAdmin, "ann", 2, domain.CodeConflict},
		{"caregiver may not", byCaregiver, "ann", 1, domain.CodeUnauthorized},
		{"other organisation's admin", byStranger, "ann", 1, domain.CodeNotFound},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			f := newFixture(t)
			u, err := f.svc.Users.Remove(t.Context(), f.loaders(), tc.by(f), tc.id, tc.expected)
			wantCode(t, err, tc.code)
			_, readErr := f.loaders().Users().Load(t.Context(), tc.id)
			if err != nil {
				wantCode(t, readErr, "")
				return
			}
			if u.ID != tc.id || u.Version != 1 {
				t.Errorf("removed %s version %d, want %s version 1", u.ID, u.Version, tc.id)
			}
			wantCode(t, readErr, domain.CodeNotFound)
		})
	}
}

func TestUsersGet(t *testing.T) {
	tests := []struct {
		name string
		by   func(*fixture) app.Actor
		id   string
		code domain.Code
	}{
		{"member sees itself", byAnn, "ann", ""},
		{"member may not see another member", byAnn, "bob", domain.CodeUnauthorized},
		{"caregiver sees a member", byCaregiver, "bob", ""},
		{"admin sees the caregiver", byAdmin, "carla", ""},
		{"other organisation's admin", byStranger, "ann", domain.CodeNotFound},
		{"missing", byAdmin, "nobody", domain.CodeNotFound},
	}
	f := newFixture(t)
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			u, err := f.svc.Users.Get(t.Context(), f.loaders(), tc.by(f), tc.id)
			wantCode(t, err, tc.code)
			if err == nil && u.ID != tc.id {
				t.Errorf("got user %s, want %s", u.ID, tc.id)
			}
		})
	}
}

func TestUsersMembersAndOrganisation(t *testing.T) {
	tests := []struct {
		name    string
		by      func(*fixture) app.Actor
		org     func(*fixture) string
		limit   *int
		wantIDs []string
		more    bool
		code    domain.Code
	}{
		{"admin lists all", byAdmin, ownOrg, nil, []string{"admin", "carla", "ann", "bob"}, false, ""},
		{"caregiver lists a page", byCaregiver, ownOrg, ptr(3), []string{"admin", "carla", "ann"}, true, ""},
		{"member may not list", byAnn, ownOrg, nil, nil, false, domain.CodeUnauthorized},
		{"member's bad limit: the rule first", byAnn, ownOrg, ptr(0), nil, false, domain.CodeUnauthorized},
		{"bad limit", byAdmin, ownOrg, ptr(0), nil, false, domain.CodeBadRequest},
		{"other organisation", byStranger, ownOrg, nil, nil, false, domain.CodeNotFound},
	}
	f := newFixture(t)
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			l := f.loaders()
			p, err := f.svc.Users.Members(t.Context(), l, tc.by(f), tc.org(f), app.PageArgs{Limit: tc.limit})
			wantCode(t, err, tc.code)
			if err != nil {
				return
			}
			var ids []string
			for _, u := range p.Items {
				ids = append(ids, u.ID)
			}
			if !slices.Equal(ids, tc.wantIDs) || (p.NextToken != nil) != tc.more {
				t.Errorf("members %v (next %v), want %v (more %v)", ids, p.NextToken != nil, tc.wantIDs, tc.more)
			}
			org, err := f.svc.Users.Organisation(t.Context(), l, tc.by(f), tc.org(f))
			wantCode(t, err, "")
			if org.Name != "Zonnehuis" {
				t.Errorf("organisation %q, want Zonnehuis", org.Name)
			}
		})
	}
	t.Run("another organisation is not found", func(t *testing.T) {
		_, err := f.svc.Users.Organisation(t.Context(), f.loaders(), f.stranger, f.org.ID)
		wantCode(t, err, domain.CodeNotFound)
	})
}

func TestUsersBatchReads(t *testing.T) {
	f := newFixture(t)
	users := []*domain.User{&f.ann.User, &f.bob.User, &f.stranger.User}
	orgs, errs := f.svc.Users.OrganisationsOf(t.Context(), f.loaders(), f.ann, users)
	wants := []domain.Code{"", domain.CodeUnauthorized, domain.CodeNotFound}
	for i, want := range wants {
		t.Run("organisation of "+users[i].ID, func(t *testing.T) {
			wantCode(t, errs[i], want)
			if want == "" && (orgs[i] == nil || orgs[i].ID != f.org.ID) {
				t.Errorf("organisation %v, want %s", orgs[i], f.org.ID)
			}
			if want != "" && orgs[i] != nil {
				t.Errorf("organisation %v for a refused parent, want nil", orgs[i])
			}
		})
	}
	schedule := f.routine(t, "bob")
	owners, errs := f.svc.Users.OwnersOf(t.Context(), f.loaders(), f.caregiver, []*domain.Schedule{&schedule})
	t.Run("owner seen by a caregiver", func(t *testing.T) {
		wantCode(t, errs[0], "")
		if owners[0] == nil || owners[0].ID != "bob" {
			t.Errorf("owner %v, want bob", owners[0])
		}
	})
}
