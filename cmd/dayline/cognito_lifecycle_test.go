package main

import (
	"bytes"
	"net/http"
	"slices"
	"testing"

	"github.com/dayline/dayline/cognito/cognitotest"
	"github.com/dayline/dayline/domain"
)

// userOut is a user as the tests select it.
type userOut struct {
	ID, Name, Email string
	Role            domain.Role
	Version         int
}

const (
	addUserQuery    = `mutation($org: ID!, $n: String!, $e: AWSEmail!, $r: Role!) { addUser(input: {organisationId: $org, name: $n, email: $e, role: $r}) { id name email role version } }`
	updateRoleQuery = `mutation($id: ID!, $v: Int!, $r: Role!) { updateUser(input: {id: $id, expectedVersion: $v, role: $r}) { id role version } }`
	removeUserQuery = `mutation($id: ID!, $v: Int!) { removeUser(id: $id, expectedVersion: $v) { id } }`
	meQuery         = `{ me { id name role } }`
	membersQuery    = `query($org: ID!) { listMembers(organisationId: $org) { items { id } } }`
)

// TestCognitoLifecycle runs `dayline serve` in OIDC mode on a user pool
// of cognito-local and manages an organisation's users through it, each
// caller holding a real token from InitiateAuth: the operator creates the
// organisation and its admin; the admin adds users, who sign in with
// their role's group; a role change moves the groups, signs the user out
// everywhere and ends the old token's rights at once (the stored role
// decides); a removed user can no longer sign in, and its token no longer
// works.
func TestCognitoLifecycle(t *testing.T) {
	pool := cognitotest.NewPool(t)
	if err := run(t.Context(), []string{"operator", "create", "--email", "op@example.com"}, &bytes.Buffer{}, &bytes.Buffer{}, poolEnv(pool)); err != nil {
		t.Fatalf("operator create: %v", err)
	}
	url := serveOnPool(t, pool)
	operator := signIn(t, pool, "op@example.com", domain.GroupOperators)

	// The operator creates the organisation; its admin is the pool's user.
	var created struct{ CreateOrganisation struct{ ID string } }
	mustGraphQL(t, url, operator.IDToken, `mutation { createOrganisation(input: {name: "Zonnehuis", admin: {name: "Ada", email: "ada@example.com"}}) { id } }`, nil, &created)
	org := created.CreateOrganisation.ID
	ada, ok := pool.User(t, "ada@example.com")
	if !ok || ada.Status != "FORCE_CHANGE_PASSWORD" {
		t.Fatalf("the admin in the pool: %+v (found %v), want an invited user", ada, ok)
	}
	admin := signIn(t, pool, "ada@example.com", domain.GroupAdmins)
	var me struct{ Me userOut }
	mustGraphQL(t, url, admin.AccessToken, meQuery, nil, &me)
	if me.Me.ID != ada.Sub || me.Me.Role != domain.RoleAdmin {
		t.Fatalf("the admin reads itself as %+v, want id %s (its sub), ADMIN", me.Me, ada.Sub)
	}

	// addUser: the new users sign in, with their role's group.
	add := func(name, email string, role domain.Role) userOut {
		t.Helper()
		var out struct{ AddUser userOut }
		mustGraphQL(t, url, admin.IDToken, addUserQuery, map[string]any{"org": org, "n": name, "e": email, "r": role}, &out)
		pu, ok := pool.User(t, email)
		if !ok || out.AddUser.ID != pu.Sub || out.AddUser.Role != role || out.AddUser.Version != 1 {
			t.Fatalf("addUser = %+v; the pool's user %+v (found %v)", out.AddUser, pu, ok)
		}
		return out.AddUser
	}
	cas := add("Cas", "cas@example.com", domain.RoleCaregiver)
	mia := add("Mia", "mia@example.com", domain.RoleMember)
	casToken := signIn(t, pool, "cas@example.com", domain.GroupCaregivers)
	miaToken := signIn(t, pool, "mia@example.com", domain.GroupMembers)
	var members struct {
		ListMembers struct{ Items []struct{ ID string } }
	}
	mustGraphQL(t, url, casToken.IDToken, membersQuery, map[string]any{"org": org}, &members)
	if got := len(members.ListMembers.Items); got != 3 {
		t.Errorf("the caregiver lists %d members, want 3", got)
	}
	mustGraphQL(t, url, miaToken.IDToken, meQuery, nil, &me)
	if me.Me.ID != mia.ID || me.Me.Role != domain.RoleMember {
		t.Errorf("the member reads itself as %+v", me.Me)
	}

	// A caregiver demoted: groups moved, signed out; its old token still
	// says Caregivers, but the stored role refuses it at once.
	var updated struct{ UpdateUser userOut }
	mustGraphQL(t, url, admin.IDToken, updateRoleQuery, map[string]any{"id": cas.ID, "v": 1, "r": domain.RoleMember}, &updated)
	if updated.UpdateUser.Role != domain.RoleMember || updated.UpdateUser.Version != 2 {
		t.Errorf("updateUser = %+v", updated.UpdateUser)
	}
	if got := pool.GroupsOf(t, cas.ID); !slices.Equal(got, []string{domain.GroupMembers}) {
		t.Errorf("the demoted user's groups %v, want [Members]", got)
	}
	if n := pool.Front.SignOuts(cas.ID); n != 1 {
		t.Errorf("the demoted user was signed out %d times, want once", n)
	}
	errs, status := graphQL(t, url, casToken.IDToken, membersQuery, map[string]any{"org": org}, nil)
	if status != http.StatusOK || len(errs) != 1 || errs[0].ErrorType != string(domain.CodeUnauthorized) {
		t.Errorf("the old token lists members: HTTP %d, errors %+v; want one Unauthorized", status, errs)
	}
	signIn(t, pool, "cas@example.com", domain.GroupMembers)

	// removeUser: the sign-in is gone, and so are the token's rights.
	mustGraphQL(t, url, admin.IDToken, removeUserQuery, map[string]any{"id": mia.ID, "v": 1}, nil)
	if _, err := pool.SignIn(t.Context(), "mia@example.com", password); err == nil {
		t.Errorf("a removed user signed in")
	}
	if u, ok := pool.User(t, mia.ID); ok {
		t.Errorf("the pool keeps the removed user: %+v", u)
	}
	errs, _ = graphQL(t, url, miaToken.IDToken, meQuery, nil, nil)
	if len(errs) != 1 || errs[0].ErrorType != string(domain.CodeUnauthorized) {
		t.Errorf("the removed user's token reads me: errors %+v, want one Unauthorized", errs)
	}
}
