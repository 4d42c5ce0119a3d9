package cognito

import (
	"context"
	"errors"
)

// attribute is a Cognito user attribute as the API spells it.
type attribute struct {
	Name  string `json:"Name"`
	Value string `json:"Value"`
}

// userRequest names one user of the pool: what most admin calls take.
type userRequest struct {
	UserPoolID string `json:"UserPoolId"`
	Username   string `json:"Username"`
}

// groupRequest names one user and one group of the pool.
type groupRequest struct {
	UserPoolID string `json:"UserPoolId"`
	Username   string `json:"Username"`
	GroupName  string `json:"GroupName"`
}

// CreateUser creates a user signing in with email (verified: the
// invitation goes there) and returns its sub, the user's id for Dayline
// and its username for every later call. Cognito emails the invitation
// with a temporary password (DesiredDeliveryMediums EMAIL; the pool must
// use email as its username attribute). A Conflict when the pool has a
// user with that email, a BadRequest when Cognito refuses the email,
// ServiceUnavailable when Cognito is busy, down or cannot send the
// invitation.
func (c *Client) CreateUser(ctx context.Context, email string) (string, error) {
	in := struct {
		UserPoolID             string      `json:"UserPoolId"`
		Username               string      `json:"Username"`
		UserAttributes         []attribute `json:"UserAttributes"`
		DesiredDeliveryMediums []string    `json:"DesiredDeliveryMediums"`
	}{
		UserPoolID: c.pool, Username: email,
		UserAttributes:         []attribute{{"email", email}, {"email_verified", "true"}},
		DesiredDeliveryMediums: []string{"EMAIL"},
	}
	var out struct {
		User struct {
			Username   string      `json:"Username"`
			Attributes []attribute `json:"Attributes"`
		} `json:"User"`
	}
	if err := c.call(ctx, opAdminCreateUser, in, &out); err != nil {
		return "", translate(err, email)
	}
	for _, a := range out.User.Attributes {
		if a.Name == "sub" && a.Value != "" {
			return a.Value, nil
		}
	}
	return "", errors.New("cognito AdminCreateUser: the answer holds no sub")
}

// AddUserToGroup puts user sub in group. ErrUserNotFound when the pool
// has no such user; ServiceUnavailable when Cognito is busy or down.
func (c *Client) AddUserToGroup(ctx context.Context, sub, group string) error {
	return translate(c.call(ctx, opAdminAddUserToGroup, groupRequest{c.pool, sub, group}, nil), "")
}

// RemoveUserFromGroup takes user sub out of group (a user not in it is
// left as it is). ErrUserNotFound when the pool has no such user;
// ServiceUnavailable when Cognito is busy or down.
func (c *Client) RemoveUserFromGroup(ctx context.Context, sub, group string) error {
	return translate(c.call(ctx, opAdminRemoveUserFromGroup, groupRequest{c.pool, sub, group}, nil), "")
}

// SignOut signs user sub out everywhere: its refresh tokens stop working,
// so its groups change at its next sign-in. ErrUserNotFound when the pool
// has no such user; ServiceUnavailable when Cognito is busy or down.
func (c *Client) SignOut(ctx context.Context, sub string) error {
	return translate(c.call(ctx, opAdminUserGlobalSignOut, userRequest{c.pool, sub}, nil), "")
}

// DisableUser stops user sub from signing in (and revokes its tokens).
// ErrUserNotFound when the pool has no such user; ServiceUnavailable when
// Cognito is busy or down.
func (c *Client) DisableUser(ctx context.Context, sub string) error {
	return translate(c.call(ctx, opAdminDisableUser, userRequest{c.pool, sub}, nil), "")
}

// EnableUser lets a disabled user sub sign in again. ErrUserNotFound when
// the pool has no such user; ServiceUnavailable when Cognito is busy or
// down.
func (c *Client) EnableUser(ctx context.Context, sub string) error {
	return translate(c.call(ctx, opAdminEnableUser, userRequest{c.pool, sub}, nil), "")
}

// DeleteUser deletes user sub from the pool. ErrUserNotFound when the
// pool has no such user; ServiceUnavailable when Cognito is busy or down.
func (c *Client) DeleteUser(ctx context.Context, sub string) error {
	return translate(c.call(ctx, opAdminDeleteUser, userRequest{c.pool, sub}, nil), "")
}

// SetEmail changes user sub's email, its sign-in, to email (verified).
// A Conflict when another user of the pool signs in with it, a BadRequest
// when Cognito refuses it, ErrUserNotFound when the pool has no such user,
// ServiceUnavailable when Cognito is busy or down.
func (c *Client) SetEmail(ctx context.Context, sub, email string) error {
	in := struct {
		UserPoolID     string      `json:"UserPoolId"`
		Username       string      `json:"Username"`
		UserAttributes []attribute `json:"UserAttributes"`
	}{c.pool, sub, []attribute{{"email", email}, {"email_verified", "true"}}}
	return translate(c.call(ctx, opAdminUpdateUserAttributes, in, nil), email)
}
