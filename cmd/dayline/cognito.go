package main

import (
	"context"
	"fmt"
	"io"
	"net"
	"net/url"
	"strings"

	"github.com/dayline/dayline/app"
	"github.com/dayline/dayline/cognito"
	"github.com/dayline/dayline/domain"
	"github.com/dayline/dayline/store/dynamo"
)

// The Cognito client satisfies the Users service's Directory.
var _ app.Directory = (*cognito.Client)(nil)

// newCognitoClient builds the client of cfg's user pool: the region the
// pool id starts with, the credentials of dynamo.AWSCredentials (keys in
// the environment, a container's or an instance's role). With an
// endpoint override on a loopback address (a cognito-local) and no AWS
// keys in the environment it uses dummy credentials, which cognito-local
// accepts; any other endpoint (a VPC endpoint, say) gets the real ones.
func newCognitoClient(cfg config, env func(string) (string, bool)) (*cognito.Client, error) {
	creds := dynamo.AWSCredentials(env)
	if _, ok := env("AWS_ACCESS_KEY_ID"); !ok && loopbackURL(cfg.CognitoEndpoint) {
		creds = dynamo.LocalCredentials()
	}
	c, err := cognito.New(cognito.Config{UserPoolID: cfg.UserPoolID, Endpoint: cfg.CognitoEndpoint, Credentials: creds})
	if err != nil {
		return nil, fmt.Errorf("%s: %w", named("cognito-user-pool-id"), err)
	}
	return c, nil
}

// newDirectory returns where the Users service manages users' sign-ins:
// cfg's user pool, or nil (no pool id: users live in the store alone). A
// pool needs an issuer, and the issuer must be that pool's (its URL ends
// with the pool id), so that tokens' subs are the pool's users.
func newDirectory(cfg config, env func(string) (string, bool)) (app.Directory, error) {
	if cfg.UserPoolID == "" {
		return nil, nil
	}
	if cfg.Issuer == "" {
		return nil, fmt.Errorf("%s needs %s: dev tokens name no user of a pool", named("cognito-user-pool-id"), named("issuer"))
	}
	if !strings.HasSuffix(strings.TrimSuffix(cfg.Issuer, "/"), "/"+cfg.UserPoolID) {
		return nil, fmt.Errorf("%s %q is not the user pool of %s %q", named("cognito-user-pool-id"), cfg.UserPoolID, named("issuer"), cfg.Issuer)
	}
	c, err := newCognitoClient(cfg, env)
	if err != nil {
		return nil, err
	}
	return c, nil
}

// operatorCreate creates a platform operator in cfg's user pool: a user
// signing in with cfg.Email (Cognito emails the invitation with a
// temporary password) in the Operators group, who may create
// organisations. Operators have no Dayline record. `dayline operator
// create`, run once for a fresh deployment.
func operatorCreate(ctx context.Context, cfg config, stdout, stderr io.Writer, env func(string) (string, bool)) error {
	switch {
	case cfg.Email == "":
		return usageErrorf(verbOperatorCreate, "--email is required: the operator's sign-in email")
	case cfg.UserPoolID == "":
		return usageErrorf(verbOperatorCreate, "%s is required", named("cognito-user-pool-id"))
	}
	if err := domain.CheckRequiredText("email", cfg.Email, domain.MaxEmailBytes, domain.SingleLine); err != nil || !strings.Contains(cfg.Email, "@") {
		return usageErrorf(verbOperatorCreate, "--email %q is no email address", cfg.Email)
	}
	c, err := newCognitoClient(cfg, env)
	if err != nil {
		return err
	}
	fmt.Fprintf(stderr, "creating operator %s in user pool %s ...\n", cfg.Email, cfg.UserPoolID)
	sub, err := c.CreateUser(ctx, cfg.Email)
	if err != nil {
		return fmt.Errorf("create operator %s: %w", cfg.Email, err)
	}
	if err := c.AddUserToGroup(ctx, sub, domain.GroupOperators); err != nil {
		if undo := c.DeleteUser(context.WithoutCancel(ctx), sub); undo != nil {
			return fmt.Errorf("add operator %s to group %s: %w (and deleting the user again failed: %v; delete it in the pool)", cfg.Email, domain.GroupOperators, err, undo)
		}
		return fmt.Errorf("add operator %s to group %s (the user was deleted again; does the pool have the group?): %w", cfg.Email, domain.GroupOperators, err)
	}
	fmt.Fprintf(stdout, "operator %s created (sub %s), in group %s: Cognito has emailed the invitation with a temporary password\n", cfg.Email, sub, domain.GroupOperators)
	return nil
}

// loopbackURL reports whether raw is an http(s) URL of a loopback host
// (127.0.0.1, ::1, localhost).
func loopbackURL(raw string) bool {
	u, err := url.Parse(raw)
	if err != nil || u.Host == "" {
		return false
	}
	host := u.Hostname()
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}
