package resolvers

import (
	"context"
	"fmt"

	"github.com/dayline/dayline/app"
	"github.com/dayline/dayline/auth"
	"github.com/dayline/dayline/loaders"
)

// actor returns who acts in this operation (the stored user of the token's
// subject, see app.Users.Actor) and the operation's loaders, which api.New
// puts in the context. Unauthorized when the subject is no organisation's
// user.
func (r *Resolver) actor(ctx context.Context) (app.Actor, *loaders.Loaders, error) {
	id, err := auth.IdentityFrom(ctx)
	if err != nil {
		return app.Actor{}, nil, fmt.Errorf("actor: %w", err)
	}
	l, err := loaders.From(ctx)
	if err != nil {
		return app.Actor{}, nil, err
	}
	a, err := r.app.Users.Actor(ctx, l, id.Sub)
	if err != nil {
		return app.Actor{}, nil, err
	}
	return a, l, nil
}
