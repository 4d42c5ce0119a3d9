package app

import (
	"context"
	"errors"
	"fmt"
	"log/slog"

	"github.com/dayline/dayline/domain"
)

// Directory is the user pool where an organisation's users sign in
// (Cognito in OIDC mode; package cognito's Client satisfies it). The
// Users service keeps it in step with the store: see docs/users.md for
// each operation's order and compensation. Every method names the user
// by its sub, which is its Dayline id. Errors carrying a domain code
// (Conflict for a taken email, ServiceUnavailable when the pool is busy)
// reach the client as they are; any other is an internal error.
type Directory interface {
	// CreateUser creates a user signing in with email, sends it the
	// invitation, and returns its sub.
	CreateUser(ctx context.Context, email string) (sub string, err error)
	AddUserToGroup(ctx context.Context, sub, group string) error
	RemoveUserFromGroup(ctx context.Context, sub, group string) error
	// SetEmail changes the email the user signs in with.
	SetEmail(ctx context.Context, sub, email string) error
	// SignOut signs the user out everywhere (its refresh tokens end).
	SignOut(ctx context.Context, sub string) error
	DisableUser(ctx context.Context, sub string) error
	EnableUser(ctx context.Context, sub string) error
	DeleteUser(ctx context.Context, sub string) error
}

// WithDirectory returns a copy of s that manages its users in dir too
// (OIDC mode with a user pool): ids are the pool's subs, and every user
// change is made in dir and in the store, in the order docs/users.md
// gives. Failed compensations, and a removed user left disabled in dir,
// are logged to log. A nil dir returns s.
func (s *Users) WithDirectory(dir Directory, log *slog.Logger) *Users {
	if dir == nil {
		return s
	}
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	c := *s
	c.dir, c.log = dir, log
	return &c
}

// saga is one operation's changes to the directory so far, with how to
// undo each: when a later step fails, rollback undoes them, last first.
type saga struct {
	op   string
	log  *slog.Logger
	undo []func(context.Context) error
}

// do runs step; when it succeeds, undo (nil: nothing to undo) joins the
// changes to roll back. When it fails, the changes so far are rolled back
// and step's error returned (with any failed undo joined to it).
func (g *saga) do(ctx context.Context, step, undo func(context.Context) error) error {
	if err := step(ctx); err != nil {
		return g.rollback(ctx, err)
	}
	if undo != nil {
		g.undo = append(g.undo, undo)
	}
	return nil
}

// rollback undoes the changes so far, last first, each tried even when
// one before failed, and returns cause with every failed undo joined as
// text (each logged too: a domain error's cause is not), so that cause
// alone decides the error's code. The undos run without
// ctx's cancellation: a client that went away must not stop them.
func (g *saga) rollback(ctx context.Context, cause error) error {
	ctx = context.WithoutCancel(ctx)
	errs := []error{cause}
	for i := len(g.undo) - 1; i >= 0; i-- {
		if err := g.undo[i](ctx); err != nil {
			g.log.ErrorContext(ctx, "user directory and store disagree: an undo failed", "operation", g.op, "error", err, "cause", cause)
			// %v: an undo's domain code (ServiceUnavailable, say) must
			// not become the answer's; cause's decides it.
			errs = append(errs, fmt.Errorf("%s: undo: %v", g.op, err))
		}
	}
	g.undo = nil
	if len(errs) == 1 {
		return cause
	}
	return errors.Join(errs...)
}

// newSaga starts operation op's changes.
func (s *Users) newSaga(op string) *saga { return &saga{op: op, log: s.log} }

// enrol creates u's sign-in in the directory, puts it in the group of u's
// role, and returns u with its id: the pool's sub. The undo (recorded in
// g) deletes the sign-in.
func (s *Users) enrol(ctx context.Context, g *saga, u domain.User) (domain.User, error) {
	sub, err := s.dir.CreateUser(ctx, string(u.Email))
	if err != nil {
		return domain.User{}, fmt.Errorf("create sign-in: %w", err)
	}
	u.ID = sub
	g.undo = append(g.undo, func(ctx context.Context) error { return s.dir.DeleteUser(ctx, sub) })
	group := u.Role.Group()
	if err := g.do(ctx, func(ctx context.Context) error { return s.dir.AddUserToGroup(ctx, sub, group) }, nil); err != nil {
		return domain.User{}, fmt.Errorf("add to group %s: %w", group, err)
	}
	return u, nil
}

// reconcile makes the directory follow the change of was into next: a
// new email becomes the sign-in; a new role moves the user from its old
// group to the new one and signs it out everywhere. The undo, recorded in
// g with the first change made, is converge (sign-out has none: the user
// signs in again).
func (s *Users) reconcile(ctx context.Context, g *saga, was, next domain.User) error {
	sub := was.ID
	type change struct {
		what string
		run  func(context.Context) error
	}
	var changes []change
	if domain.NormalizedEmail(was.Email) != domain.NormalizedEmail(next.Email) {
		changes = append(changes, change{"change sign-in email",
			func(ctx context.Context) error { return s.dir.SetEmail(ctx, sub, string(next.Email)) }})
	}
	from, to := was.Role.Group(), next.Role.Group()
	if from != to {
		changes = append(changes,
			change{"add to group " + to, func(ctx context.Context) error { return s.dir.AddUserToGroup(ctx, sub, to) }},
			change{"remove from group " + from, func(ctx context.Context) error { return s.dir.RemoveUserFromGroup(ctx, sub, from) }},
			change{"sign out", func(ctx context.Context) error { return s.dir.SignOut(ctx, sub) }})
	}
	for i, c := range changes {
		var undo func(context.Context) error
		if i == 0 {
			undo = s.converge(sub, next)
		}
		if err := g.do(ctx, c.run, undo); err != nil {
			return fmt.Errorf("%s: %w", c.what, err)
		}
	}
	return nil
}

// converge returns the undo of reconcile's change of user sub into next:
// it makes the directory match the user as the store holds it when the
// undo runs, not as this operation read it, since another update may
// have committed meanwhile (two admins saving one user at once), and
// restoring what this one read would then undo the winner's change. The
// stored email becomes the sign-in again, and the stored role's group
// replaces next's. A user gone from the store is left as it is (its
// removal disables and deletes it).
func (s *Users) converge(sub string, next domain.User) func(context.Context) error {
	return func(ctx context.Context) error {
		users, err := s.store.GetUsers(ctx, []string{sub})
		if err != nil {
			return fmt.Errorf("read user %s: %w", sub, err)
		}
		if len(users) == 0 {
			return nil
		}
		stored := users[0]
		var errs []error
		if domain.NormalizedEmail(stored.Email) != domain.NormalizedEmail(next.Email) {
			errs = append(errs, s.dir.SetEmail(ctx, sub, string(stored.Email)))
		}
		if have, want := next.Role.Group(), stored.Role.Group(); have != want {
			errs = append(errs, s.dir.AddUserToGroup(ctx, sub, want), s.dir.RemoveUserFromGroup(ctx, sub, have))
		}
		return errors.Join(errs...)
	}
}

// disable stops u from signing in; the undo (recorded in g) enables it.
func (s *Users) disable(ctx context.Context, g *saga, u domain.User) error {
	err := g.do(ctx,
		func(ctx context.Context) error { return s.dir.DisableUser(ctx, u.ID) },
		func(ctx context.Context) error { return s.dir.EnableUser(ctx, u.ID) })
	if err != nil {
		return fmt.Errorf("disable sign-in: %w", err)
	}
	return nil
}

// forget deletes removed user u's sign-in, which is disabled already. Its
// failure is logged, not returned: the user is removed from the store and
// cannot sign in, and a retried removeUser would find no user; the
// disabled sign-in stays until someone deletes it (docs/users.md).
func (s *Users) forget(ctx context.Context, u domain.User) {
	ctx = context.WithoutCancel(ctx)
	if err := s.dir.DeleteUser(ctx, u.ID); err != nil {
		s.log.WarnContext(ctx, "removed user's sign-in left disabled in the user directory: delete it there", "user_id", u.ID, "error", err)
	}
}
