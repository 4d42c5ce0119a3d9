package cognito_test

import (
	"context"
	"errors"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/credentials"

	"github.com/dayline/dayline/cognito"
	"github.com/dayline/dayline/cognito/cognitotest"
	"github.com/dayline/dayline/domain"
)

func TestNew(t *testing.T) {
	creds := credentials.NewStaticCredentialsProvider("k", "s", "")
	tests := []struct {
		name    string
		cfg     cognito.Config
		wantErr string
	}{
		{"region from the pool id", cognito.Config{UserPoolID: "eu-west-1_AbC", Credentials: creds}, ""},
		{"region given", cognito.Config{UserPoolID: "AbC", Region: "eu-west-1", Credentials: creds}, ""},
		{"no pool id", cognito.Config{Credentials: creds}, "no user pool id"},
		{"no region", cognito.Config{UserPoolID: "AbC", Credentials: creds}, "names no region"},
		{"no credentials", cognito.Config{UserPoolID: "eu-west-1_AbC"}, cognito.ErrNoCredentials.Error()},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			c, err := cognito.New(tc.cfg)
			switch {
			case tc.wantErr == "" && err != nil:
				t.Fatalf("New: %v", err)
			case tc.wantErr != "" && (err == nil || !strings.Contains(err.Error(), tc.wantErr)):
				t.Fatalf("New: %v, want an error saying %q", err, tc.wantErr)
			case err == nil && c.UserPoolID() != tc.cfg.UserPoolID:
				t.Errorf("UserPoolID() = %q", c.UserPoolID())
			}
		})
	}
}

func TestRegionOf(t *testing.T) {
	for id, want := range map[string]string{"eu-west-1_AbC": "eu-west-1", "local_x1": "local", "AbC": "", "": ""} {
		if got := cognito.RegionOf(id); got != want {
			t.Errorf("RegionOf(%q) = %q, want %q", id, got, want)
		}
	}
}

// TestIAMActionsAreTheCallsMade calls every method of Client that talks
// to Cognito (each takes a context) and checks that the operations sent
// are exactly IAMActions: the list an IAM policy is made from.
func TestIAMActionsAreTheCallsMade(t *testing.T) {
	pool := cognitotest.NewPool(t)
	c := pool.Client(t)
	ctx := t.Context()
	var sub string
	calls := map[string]func() error{
		"CreateUser":          func() (err error) { sub, err = c.CreateUser(ctx, "iam@example.com"); return err },
		"AddUserToGroup":      func() error { return c.AddUserToGroup(ctx, sub, domain.GroupMembers) },
		"RemoveUserFromGroup": func() error { return c.RemoveUserFromGroup(ctx, sub, domain.GroupMembers) },
		"SetEmail":            func() error { return c.SetEmail(ctx, sub, "iam2@example.com") },
		"SignOut":             func() error { return c.SignOut(ctx, sub) },
		"DisableUser":         func() error { return c.DisableUser(ctx, sub) },
		"EnableUser":          func() error { return c.EnableUser(ctx, sub) },
		"DeleteUser":          func() error { return c.DeleteUser(ctx, sub) },
	}
	ctxType := reflect.TypeFor[context.Context]()
	var methods []string
	for m := range reflect.TypeFor[*cognito.Client]().Methods() {
		if m.Type.NumIn() > 1 && m.Type.In(1) == ctxType {
			methods = append(methods, m.Name)
		}
	}
	if want := slices.Sorted(func(yield func(string) bool) {
		for name := range calls {
			if !yield(name) {
				return
			}
		}
	}); !slices.Equal(methods, want) {
		t.Fatalf("Client's methods that call Cognito are %v; this test calls %v: add the new ones here", methods, want)
	}
	for _, name := range []string{"CreateUser", "AddUserToGroup", "RemoveUserFromGroup", "SetEmail", "SignOut", "DisableUser", "EnableUser", "DeleteUser"} {
		if err := calls[name](); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
	}
	var sent []string
	for _, op := range pool.Front.Calls() {
		sent = append(sent, "cognito-idp:"+op)
	}
	if got, want := slices.Sorted(slices.Values(sent)), slices.Sorted(slices.Values(cognito.IAMActions())); !slices.Equal(got, want) {
		t.Errorf("operations sent %v, IAMActions %v", got, want)
	}
}

func TestUserLifecycle(t *testing.T) {
	pool := cognitotest.NewPool(t)
	c := pool.Client(t)
	ctx := t.Context()

	sub, err := c.CreateUser(ctx, "ann@example.com")
	if err != nil {
		t.Fatalf("CreateUser: %v", err)
	}
	u, ok := pool.User(t, sub)
	if !ok || u.Sub != sub || u.Email != "ann@example.com" || !u.Enabled || u.Status != "FORCE_CHANGE_PASSWORD" {
		t.Fatalf("created user %+v (found %v), want ann@example.com, enabled, invited", u, ok)
	}
	if err := c.AddUserToGroup(ctx, sub, domain.GroupCaregivers); err != nil {
		t.Fatalf("AddUserToGroup: %v", err)
	}
	if got := pool.GroupsOf(t, sub); !slices.Equal(got, []string{domain.GroupCaregivers}) {
		t.Errorf("groups %v, want [Caregivers]", got)
	}
	pool.SetPassword(t, sub, "Passw0rd!")
	if _, err := pool.SignIn(ctx, "ann@example.com", "Passw0rd!"); err != nil {
		t.Fatalf("sign in: %v", err)
	}
	if err := c.SetEmail(ctx, sub, "ann.b@example.com"); err != nil {
		t.Fatalf("SetEmail: %v", err)
	}
	if _, err := pool.SignIn(ctx, "ann.b@example.com", "Passw0rd!"); err != nil {
		t.Errorf("sign in with the new email: %v", err)
	}
	if err := c.RemoveUserFromGroup(ctx, sub, domain.GroupCaregivers); err != nil {
		t.Fatalf("RemoveUserFromGroup: %v", err)
	}
	if got := pool.GroupsOf(t, sub); len(got) != 0 {
		t.Errorf("groups %v, want none", got)
	}
	if err := c.SignOut(ctx, sub); err != nil || pool.Front.SignOuts(sub) != 1 {
		t.Errorf("SignOut: %v, %d sign-outs", err, pool.Front.SignOuts(sub))
	}
	if err := c.DisableUser(ctx, sub); err != nil {
		t.Fatalf("DisableUser: %v", err)
	}
	if u, _ := pool.User(t, sub); u.Enabled {
		t.Errorf("disabled user is enabled")
	}
	if err := c.EnableUser(ctx, sub); err != nil {
		t.Fatalf("EnableUser: %v", err)
	}
	if u, _ := pool.User(t, sub); !u.Enabled {
		t.Errorf("enabled user is disabled")
	}
	if err := c.DeleteUser(ctx, sub); err != nil {
		t.Fatalf("DeleteUser: %v", err)
	}
	if _, ok := pool.User(t, sub); ok {
		t.Errorf("deleted user is still there")
	}
	if _, err := pool.SignIn(ctx, "ann.b@example.com", "Passw0rd!"); err == nil {
		t.Errorf("a deleted user signed in")
	}
}

func TestErrors(t *testing.T) {
	pool := cognitotest.NewPool(t)
	c := pool.Client(t)
	ctx := t.Context()
	taken, err := c.CreateUser(ctx, "taken@example.com")
	if err != nil {
		t.Fatalf("CreateUser: %v", err)
	}
	tests := []struct {
		name     string
		inject   string
		call     func() error
		code     domain.Code // "" for none
		notFound bool
	}{
		{"email taken", "", func() error { _, err := c.CreateUser(ctx, "taken@example.com"); return err }, domain.CodeConflict, false},
		{"its own email again", "", func() error { return c.SetEmail(ctx, taken, "taken@example.com") }, "", false},
		{"no such user", "", func() error { return c.DisableUser(ctx, "no-such-sub") }, domain.CodeInternal, true},
		{"no such group", "", func() error { return c.AddUserToGroup(ctx, taken, "Nobodies") }, domain.CodeInternal, false},
		{"Cognito down", "AdminAddUserToGroup", func() error { return c.AddUserToGroup(ctx, taken, domain.GroupMembers) }, domain.CodeUnavailable, false},
		{"Cognito down while creating", "AdminCreateUser", func() error { _, err := c.CreateUser(ctx, "new@example.com"); return err }, domain.CodeUnavailable, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if tc.inject != "" {
				pool.Front.FailNext(tc.inject)
			}
			err := tc.call()
			switch {
			case tc.code == "" && err != nil:
				t.Fatalf("error %v, want none", err)
			case tc.code != "" && err == nil:
				t.Fatalf("no error, want %s", tc.code)
			case err != nil && domain.ErrorCode(err) != tc.code:
				t.Errorf("error %v is %s, want %s", err, domain.ErrorCode(err), tc.code)
			}
			if got := errors.Is(err, cognito.ErrUserNotFound); got != tc.notFound {
				t.Errorf("errors.Is(%v, ErrUserNotFound) = %v, want %v", err, got, tc.notFound)
			}
			var api *cognito.APIError
			if err != nil && !errors.As(err, &api) {
				t.Errorf("error %v does not carry Cognito's answer", err)
			}
		})
	}
}
