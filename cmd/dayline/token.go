package main

import (
	"context"
	"fmt"
	"io"
	"strings"

	"github.com/dayline/dayline/domain"
)

// userByEmail is what the embedded store offers for finding a user by email
// across organisations (an admin verb, never a request path).
type userByEmail interface {
	FindUsersByEmail(ctx context.Context, email string) ([]domain.User, error)
}

// token mints a dev token for cfg.User, printed on stdout.
func token(ctx context.Context, cfg config, stdout, stderr io.Writer, env func(string) (string, bool)) error {
	if cfg.User == "" {
		return usageErrorf(verbToken, "--user is required: a user id or email")
	}
	if cfg.Issuer != "" {
		return fmt.Errorf("dayline token mints dev tokens only; with an OIDC issuer configured (%s), sign in through it instead", cfg.Issuer)
	}
	st, err := openStore(ctx, cfg, env, checkTable)
	if err != nil {
		return fmt.Errorf("%w (is `dayline serve` running on it? stop it, or use a token printed by `serve --demo`)", err)
	}
	defer st.close()
	u, err := findUser(ctx, st.Store, cfg.User)
	if err != nil {
		return err
	}
	an, err := newAuthn(cfg)
	if err != nil {
		return err
	}
	tok, err := an.local.Mint(u.ID, []string{u.Role.Group()}, string(u.Email), cfg.TTL)
	if err != nil {
		return fmt.Errorf("mint token: %w", err)
	}
	fmt.Fprintf(stderr, "token for %s (%s, %s), valid %s:\n", u.ID, u.Email, u.Role, cfg.TTL)
	fmt.Fprintln(stdout, tok)
	return nil
}

func findUser(ctx context.Context, st interface {
	GetUsers(context.Context, []string) ([]domain.User, error)
}, idOrEmail string) (domain.User, error) {
	users, err := st.GetUsers(ctx, []string{idOrEmail})
	if err != nil {
		return domain.User{}, fmt.Errorf("look up user: %w", err)
	}
	if len(users) == 1 {
		return users[0], nil
	}
	finder, ok := st.(userByEmail)
	if !strings.Contains(idOrEmail, "@") || !ok {
		return domain.User{}, fmt.Errorf("no user with id %q", idOrEmail)
	}
	users, err = finder.FindUsersByEmail(ctx, idOrEmail)
	if err != nil {
		return domain.User{}, fmt.Errorf("look up user by email: %w", err)
	}
	switch len(users) {
	case 0:
		return domain.User{}, fmt.Errorf("no user with email %q", idOrEmail)
	case 1:
		return users[0], nil
	}
	return domain.User{}, fmt.Errorf("%d users have email %q (in different organisations): pass the user id", len(users), idOrEmail)
}
