package app_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/dayline/dayline/app"
	"github.com/dayline/dayline/cognito/cognitotest"
	"github.com/dayline/dayline/domain"
	"github.com/dayline/dayline/loaders"
	"github.com/dayline/dayline/scalars"
	"github.com/dayline/dayline/store"
	"github.com/dayline/dayline/store/bolt"
)

// The Users service with a Directory: a real user pool on cognito-local
// (cognitotest; its Front serves AdminUserGlobalSignOut and fails the
// calls a test names, as Cognito would when down) and a real embedded
// store behind failingWrites, which fails the user write a test names.

// Cognito operations, as the Front records them.
const (
	opCreate     = "AdminCreateUser"
	opAddGroup   = "AdminAddUserToGroup"
	opRemove     = "AdminRemoveUserFromGroup"
	opSetEmail   = "AdminUpdateUserAttributes"
	opSignOut    = "AdminUserGlobalSignOut"
	opDisable    = "AdminDisableUser"
	opEnable     = "AdminEnableUser"
	opDeleteUser = "AdminDeleteUser"
)

// errStoreDown is the failure failingWrites injects.
var errStoreDown = errors.New("store down (injected by the test)")

// failingWrites is a store whose next user write named by fail (the
// method's name) fails with errStoreDown, once.
type failingWrites struct {
	store.Store
	fail string
	// beforeUpdate, when set, runs once before the next UpdateUser (a
	// competing request that commits first).
	beforeUpdate func()
}

func (s *failingWrites) failing(name string) bool {
	if s.fail == name {
		s.fail = ""
		return true
	}
	return false
}

func (s *failingWrites) CreateOrganisation(ctx context.Context, org domain.Organisation, admin domain.User) error {
	if s.failing("CreateOrganisation") {
		return errStoreDown
	}
	return s.Store.CreateOrganisation(ctx, org, admin)
}

func (s *failingWrites) CreateUser(ctx context.Context, u domain.User) error {
	if s.failing("CreateUser") {
		return errStoreDown
	}
	return s.Store.CreateUser(ctx, u)
}

func (s *failingWrites) UpdateUser(ctx context.Context, u domain.User, expectedVersion int) error {
	if before := s.beforeUpdate; before != nil {
		s.beforeUpdate = nil
		before()
	}
	if s.failing("UpdateUser") {
		return errStoreDown
	}
	return s.Store.UpdateUser(ctx, u, expectedVersion)
}

func (s *failingWrites) DeleteUser(ctx context.Context, id string, expectedVersion int) error {
	if s.failing("DeleteUser") {
		return errStoreDown
	}
	return s.Store.DeleteUser(ctx, id, expectedVersion)
}

// dirFixture is an organisation whose admin was created through the
// service, and a member, "mia@example.com", with password "Passw0rd!".
type dirFixture struct {
	pool   *cognitotest.Pool
	st     *failingWrites
	users  *app.Users
	logs   *bytes.Buffer
	org    domain.Organisation
	admin  app.Actor
	member domain.User
}

func newDirFixture(t *testing.T, groups ...string) *dirFixture {
	t.Helper()
	pool := cognitotest.NewPool(t, groups...)
	bs, err := bolt.Open(filepath.Join(t.TempDir(), "dayline.db"), store.NewPageTokens([]byte("test-secret-0123456789")))
	if err != nil {
		t.Fatalf("open store: %v", err)
	}
	t.Cleanup(func() { _ = bs.Close() })
	f := &dirFixture{pool: pool, st: &failingWrites{Store: bs}, logs: &bytes.Buffer{}}
	ids := 0
	env := app.Env{Now: func() time.Time { return monday }, NewID: func() string { ids++; return fmt.Sprintf("ID%04d", ids) }}
	f.users = app.NewUsers(f.st, env).WithDirectory(pool.Client(t), slog.New(slog.NewJSONHandler(f.logs, nil)))
	ctx := t.Context()
	if f.org, err = f.users.CreateOrganisation(ctx, "Zonnehuis", app.NewUser{Name: "Ada", Email: "ada@example.com"}); err != nil {
		t.Fatalf("create organisation: %v", err)
	}
	admin, _ := pool.User(t, "ada@example.com")
	if f.admin, err = f.users.Actor(ctx, f.loaders(), admin.Sub); err != nil {
		t.Fatalf("the admin's sub is no user: %v", err)
	}
	if f.member, err = f.users.Add(ctx, f.admin, f.org.ID, app.NewUser{Name: "Mia", Email: "mia@example.com", Role: domain.RoleMember}); err != nil {
		t.Fatalf("add member: %v", err)
	}
	pool.SetPassword(t, f.member.ID, "Passw0rd!")
	pool.Front.Calls() // forget the set-up's
	return f
}

func (f *dirFixture) loaders() *loaders.Loaders { return loaders.NewImmediate(f.st) }

// stored returns user id as the store has it, and whether it has it.
func (f *dirFixture) stored(t *testing.T, id string) (domain.User, bool) {
	t.Helper()
	users, err := f.st.GetUsers(t.Context(), []string{id})
	if err != nil {
		t.Fatalf("GetUsers: %v", err)
	}
	if len(users) == 0 {
		return domain.User{}, false
	}
	return users[0], true
}

// members returns the emails of the organisation's stored users.
func (f *dirFixture) members(t *testing.T) []string {
	t.Helper()
	p, err := f.st.ListMembers(t.Context(), f.org.ID, domain.PageRequest{Limit: 100})
	if err != nil {
		t.Fatalf("ListMembers: %v", err)
	}
	var emails []string
	for _, u := range p.Items {
		emails = append(emails, string(u.Email))
	}
	return emails
}

// wantGroups fails t unless user (sub or email) is in exactly groups.
func (f *dirFixture) wantGroups(t *testing.T, user string, groups ...string) {
	t.Helper()
	if got := f.pool.GroupsOf(t, user); !slices.Equal(got, groups) {
		t.Errorf("groups of %s %v, want %v", user, got, groups)
	}
}

func TestDirectoryCreateOrganisation(t *testing.T) {
	f := newDirFixture(t)
	admin, _ := f.pool.User(t, "ada@example.com")
	if f.admin.User.ID != admin.Sub || f.admin.User.Role != domain.RoleAdmin {
		t.Errorf("first admin %+v, want the pool's user %s as ADMIN", f.admin.User, admin.Sub)
	}
	f.wantGroups(t, admin.Sub, domain.GroupAdmins)

	t.Run("store write fails: the admin is deleted again", func(t *testing.T) {
		f.st.fail = "CreateOrganisation"
		_, err := f.users.CreateOrganisation(t.Context(), "Elsewhere", app.NewUser{Name: "Sam", Email: "sam@example.com"})
		if !errors.Is(err, errStoreDown) {
			t.Fatalf("error %v, want the store's", err)
		}
		if got, want := f.pool.Front.Calls(), []string{opCreate, opAddGroup, opDeleteUser}; !slices.Equal(got, want) {
			t.Errorf("calls %v, want %v", got, want)
		}
		if u, ok := f.pool.User(t, "sam@example.com"); ok {
			t.Errorf("the pool keeps %+v", u)
		}
	})
	t.Run("email taken in the pool: nothing stored", func(t *testing.T) {
		_, err := f.users.CreateOrganisation(t.Context(), "Elsewhere", app.NewUser{Name: "Mia", Email: "mia@example.com"})
		wantCode(t, err, domain.CodeConflict)
		if got, want := f.pool.Front.Calls(), []string{opCreate}; !slices.Equal(got, want) {
			t.Errorf("calls %v, want %v", got, want)
		}
	})
	t.Run("invalid input: no call at all", func(t *testing.T) {
		_, err := f.users.CreateOrganisation(t.Context(), " ", app.NewUser{Name: "Sam", Email: "sam@example.com"})
		wantCode(t, err, domain.CodeBadRequest)
		if got := f.pool.Front.Calls(); len(got) != 0 {
			t.Errorf("calls %v, want none", got)
		}
	})
}

func TestDirectoryAdd(t *testing.T) {
	tests := []struct {
		name      string
		groups    []string // the pool's; nil: all four
		inject    string   // a Cognito operation to fail
		failStore bool
		email     string
		code      domain.Code // "" for none; CodeInternal for the store's failure
		calls     []string
	}{
		{name: "added, in its group", email: "cas@example.com", calls: []string{opCreate, opAddGroup}},
		{name: "email taken in the pool", email: "mia@example.com", code: domain.CodeConflict, calls: []string{opCreate}},
		{name: "Cognito down", inject: opCreate, email: "cas@example.com", code: domain.CodeUnavailable, calls: []string{opCreate}},
		{name: "the role's group is missing", groups: []string{domain.GroupAdmins, domain.GroupMembers}, email: "cas@example.com", code: domain.CodeInternal, calls: []string{opCreate, opAddGroup, opDeleteUser}},
		{name: "store write fails", failStore: true, email: "cas@example.com", code: domain.CodeInternal, calls: []string{opCreate, opAddGroup, opDeleteUser}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			f := newDirFixture(t, tc.groups...)
			before := f.members(t)
			if tc.inject != "" {
				f.pool.Front.FailNext(tc.inject)
			}
			if tc.failStore {
				f.st.fail = "CreateUser"
			}
			u, err := f.users.Add(t.Context(), f.admin, f.org.ID, app.NewUser{Name: "Cas", Email: scalars.Email(tc.email), Role: domain.RoleCaregiver})
			wantCode(t, err, tc.code)
			if got := f.pool.Front.Calls(); !slices.Equal(got, tc.calls) {
				t.Errorf("calls %v, want %v", got, tc.calls)
			}
			if tc.code != "" {
				if after := f.members(t); !slices.Equal(after, before) {
					t.Errorf("members %v, want %v (unchanged)", after, before)
				}
				if tc.email == "cas@example.com" {
					if u, ok := f.pool.User(t, tc.email); ok {
						t.Errorf("the pool keeps %+v", u)
					}
				}
				return
			}
			pu, ok := f.pool.User(t, tc.email)
			if !ok || pu.Sub != u.ID || pu.Status != "FORCE_CHANGE_PASSWORD" {
				t.Fatalf("pool user %+v (found %v), want sub %s, invited", pu, ok, u.ID)
			}
			f.wantGroups(t, u.ID, domain.GroupCaregivers)
			if s, ok := f.stored(t, u.ID); !ok || s.Role != domain.RoleCaregiver {
				t.Errorf("stored %+v (found %v)", s, ok)
			}
		})
	}
}

func TestDirectoryUpdate(t *testing.T) {
	caregiver := app.UserChanges{Role: ptr(domain.RoleCaregiver)}
	newEmail := app.UserChanges{Email: ptr(scalars.Email("mia.b@example.com"))}
	tests := []struct {
		name      string
		changes   app.UserChanges
		inject    string
		failStore bool
		expected  int
		code      domain.Code
		calls     []string
	}{
		{name: "new role: groups moved, signed out", changes: caregiver, calls: []string{opAddGroup, opRemove, opSignOut}},
		{name: "new email", changes: newEmail, calls: []string{opSetEmail}},
		{name: "new name: no call", changes: app.UserChanges{Name: ptr("Mia B.")}},
		{name: "stale version: no call", changes: caregiver, expected: 2, code: domain.CodeConflict},
		{name: "adding to the new group fails", changes: caregiver, inject: opAddGroup, code: domain.CodeUnavailable, calls: []string{opAddGroup}},
		{name: "leaving the old group fails", changes: caregiver, inject: opRemove, code: domain.CodeUnavailable, calls: []string{opAddGroup, opRemove, opAddGroup, opRemove}},
		{name: "sign-out fails", changes: caregiver, inject: opSignOut, code: domain.CodeUnavailable, calls: []string{opAddGroup, opRemove, opSignOut, opAddGroup, opRemove}},
		{name: "store write fails after the role moved", changes: caregiver, failStore: true, code: domain.CodeInternal, calls: []string{opAddGroup, opRemove, opSignOut, opAddGroup, opRemove}},
		{name: "store write fails after the email changed", changes: newEmail, failStore: true, code: domain.CodeInternal, calls: []string{opSetEmail, opSetEmail}},
		// cognito-local 5.3.0 lets two users share an email here (Cognito
		// answers AliasExistsException); the store refuses it, and the
		// sign-in email is set back.
		{name: "email taken in the organisation", changes: app.UserChanges{Email: ptr(scalars.Email("ada@example.com"))}, code: domain.CodeConflict, calls: []string{opSetEmail, opSetEmail}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			f := newDirFixture(t)
			if tc.inject != "" {
				f.pool.Front.FailNext(tc.inject)
			}
			if tc.failStore {
				f.st.fail = "UpdateUser"
			}
			expected := tc.expected
			if expected == 0 {
				expected = 1
			}
			_, err := f.users.Update(t.Context(), f.loaders(), f.admin, f.member.ID, expected, tc.changes)
			wantCode(t, err, tc.code)
			if got := f.pool.Front.Calls(); !slices.Equal(got, tc.calls) {
				t.Errorf("calls %v, want %v", got, tc.calls)
			}
			stored, _ := f.stored(t, f.member.ID)
			pu, _ := f.pool.User(t, f.member.ID)
			if tc.code != "" {
				if stored.Version != 1 || stored.Role != domain.RoleMember || stored.Email != "mia@example.com" {
					t.Errorf("stored %+v, want it unchanged", stored)
				}
				f.wantGroups(t, f.member.ID, domain.GroupMembers)
				if pu.Email != "mia@example.com" {
					t.Errorf("sign-in email %s, want it unchanged", pu.Email)
				}
				return
			}
			if stored.Version != 2 {
				t.Errorf("stored version %d, want 2", stored.Version)
			}
			if tc.changes.Role != nil {
				f.wantGroups(t, f.member.ID, domain.GroupCaregivers)
				if n := f.pool.Front.SignOuts(f.member.ID); n != 1 {
					t.Errorf("%d global sign-outs, want 1", n)
				}
			}
			if tc.changes.Email != nil {
				if pu.Email != string(*tc.changes.Email) {
					t.Errorf("sign-in email %s, want %s", pu.Email, *tc.changes.Email)
				}
				if _, err := f.pool.SignIn(t.Context(), string(*tc.changes.Email), "Passw0rd!"); err != nil {
					t.Errorf("sign in with the new email: %v", err)
				}
			}
		})
	}
}

// TestDirectoryConcurrentUpdates: two admins change one user at once. The
// loser's store write meets the winner's commit (Conflict), and its undo
// makes the directory match what the store holds (the winner's role and
// email), not what the loser read: the two never disagree.
func TestDirectoryConcurrentUpdates(t *testing.T) {
	f := newDirFixture(t)
	ctx := t.Context()
	f.st.beforeUpdate = func() {
		winner := app.UserChanges{Role: ptr(domain.RoleAdmin), Email: ptr(scalars.Email("mia.admin@example.com"))}
		if _, err := f.users.Update(ctx, f.loaders(), f.admin, f.member.ID, 1, winner); err != nil {
			t.Errorf("the winner's update: %v", err)
		}
	}
	loser := app.UserChanges{Role: ptr(domain.RoleCaregiver), Email: ptr(scalars.Email("mia.care@example.com"))}
	_, err := f.users.Update(ctx, f.loaders(), f.admin, f.member.ID, 1, loser)
	wantCode(t, err, domain.CodeConflict)
	stored, _ := f.stored(t, f.member.ID)
	if stored.Role != domain.RoleAdmin || stored.Email != "mia.admin@example.com" || stored.Version != 2 {
		t.Fatalf("stored %+v, want the winner's admin with its email at version 2", stored)
	}
	f.wantGroups(t, f.member.ID, domain.GroupAdmins)
	if pu, _ := f.pool.User(t, f.member.ID); pu.Email != "mia.admin@example.com" {
		t.Errorf("sign-in email %s, want the stored mia.admin@example.com", pu.Email)
	}
}

func TestDirectoryRemove(t *testing.T) {
	tests := []struct {
		name      string
		inject    []string
		failStore bool
		code      domain.Code
		calls     []string
		removed   bool // from the store
		inPool    bool // still in the pool (disabled when removed)
		logged    string
	}{
		{name: "removed: disabled, then deleted", calls: []string{opDisable, opDeleteUser}, removed: true},
		{name: "disabling fails", inject: []string{opDisable}, code: domain.CodeUnavailable, calls: []string{opDisable}, inPool: true},
		{name: "store write fails: enabled again", failStore: true, code: domain.CodeInternal, calls: []string{opDisable, opEnable}, inPool: true},
		{name: "the last delete fails: removed, left disabled", inject: []string{opDeleteUser}, calls: []string{opDisable, opDeleteUser}, removed: true, inPool: true, logged: "left disabled"},
		{name: "store write and its undo fail", inject: []string{opEnable}, failStore: true, code: domain.CodeInternal, calls: []string{opDisable, opEnable}, inPool: true, logged: "an undo failed"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			f := newDirFixture(t)
			for _, op := range tc.inject {
				f.pool.Front.FailNext(op)
			}
			if tc.failStore {
				f.st.fail = "DeleteUser"
			}
			_, err := f.users.Remove(t.Context(), f.loaders(), f.admin, f.member.ID, 1)
			wantCode(t, err, tc.code)
			if tc.failStore && !errors.Is(err, errStoreDown) {
				t.Errorf("error %v does not carry the store's", err)
			}
			if got := f.pool.Front.Calls(); !slices.Equal(got, tc.calls) {
				t.Errorf("calls %v, want %v", got, tc.calls)
			}
			if _, ok := f.stored(t, f.member.ID); ok == tc.removed {
				t.Errorf("in the store: %v, want %v", ok, !tc.removed)
			}
			pu, ok := f.pool.User(t, f.member.ID)
			if ok != tc.inPool {
				t.Fatalf("in the pool: %v, want %v", ok, tc.inPool)
			}
			wantEnabled := tc.inPool && !tc.removed && !strings.Contains(tc.logged, "undo")
			if ok && pu.Enabled != wantEnabled {
				t.Errorf("enabled: %v, want %v", pu.Enabled, wantEnabled)
			}
			_, signInErr := f.pool.SignIn(t.Context(), "mia@example.com", "Passw0rd!")
			if tc.removed && !tc.inPool && signInErr == nil {
				t.Errorf("a removed user signed in")
			}
			if tc.logged != "" && !strings.Contains(f.logs.String(), tc.logged) {
				t.Errorf("log %q does not say %q", f.logs.String(), tc.logged)
			}
		})
	}
}
