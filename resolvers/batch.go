package resolvers

import (
	"context"
	"errors"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/gqlerror"

	"github.com/dayline/dayline/app"
	"github.com/dayline/dayline/loaders"
)

// The batch resolvers (gqlgen.yml, batch: true) get every parent of a list
// in one call and hand them to a service's batch read (app.Users.OwnersOf,
// OrganisationsOf, app.Schedules.OfOwners, app.Agenda.OfUsers), which
// answers a value and an error per parent. What is left here is GraphQL's:
// gqlgen adds no location to a batch resolver's errors, so these add the
// field's location, as gqlgen does for a one-parent resolver.

// batchActor is actor for a batch resolver: its error (for every parent)
// is located.
func (r *Resolver) batchActor(ctx context.Context) (app.Actor, *loaders.Loaders, error) {
	a, l, err := r.actor(ctx)
	if err != nil {
		return app.Actor{}, nil, located(ctx, err)
	}
	return a, l, nil
}

// batchErrors returns errs, one per parent, as gqlgen's per-parent errors
// (each located, see located), or nil when every parent succeeded.
func batchErrors(ctx context.Context, errs []error) error {
	failed := false
	for i, err := range errs {
		if err != nil {
			errs[i], failed = located(ctx, err), true
		}
	}
	if !failed {
		return nil
	}
	return graphql.BatchErrorList(errs)
}

// located returns err carrying the location of ctx's field in the
// document, as gqlgen gives the error of a one-parent resolver; gqlgen
// adds no location to a batch resolver's errors. The path is left unset:
// gqlgen sets each parent's own.
func located(ctx context.Context, err error) error {
	if _, ok := errors.AsType[*gqlerror.Error](err); ok {
		return err
	}
	fc := graphql.GetFieldContext(ctx)
	if fc == nil || fc.Field.Position == nil || fc.Field.Position.Line == 0 {
		return err
	}
	pos := fc.Field.Position
	return &gqlerror.Error{Message: err.Error(), Err: err,
		Locations: []gqlerror.Location{{Line: pos.Line, Column: pos.Column}}}
}
