package resolvers

import (
	"context"
	"errors"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/gqlerror"

	"github.com/dayline/dayline/domain"
	"github.com/dayline/dayline/loaders"
	"github.com/dayline/dayline/scalars"
)

// The bodies of the batch resolvers (gqlgen.yml, batch: true): gqlgen calls
// each once with every parent of a list, and each reads the keys of all
// its parents at once (loaders.Loader.LoadMany), so a list costs one store
// call per kind of read whatever its length. Each parent keeps the rules
// and errors of a one-parent resolver: a parent the caller may not see
// gets that error (and reads nothing), a key that failed gets its error,
// each at its own path and with the field's location in the document.

// organisationsOf returns the organisation of each user.
func organisationsOf(ctx context.Context, users []*domain.User) ([]*domain.Organisation, error) {
	return forVisibleUsers(ctx, users, func(l *loaders.Loaders, visible []*domain.User) ([]*domain.Organisation, []error) {
		ids := make([]string, len(visible))
		for i, u := range visible {
			ids[i] = u.OrganisationID
		}
		orgs, errs := l.Organisations().LoadMany(ctx, ids)
		out := make([]*domain.Organisation, len(orgs))
		for i := range orgs {
			if errs[i] == nil {
				out[i] = &orgs[i]
			}
		}
		return out, errs
	})
}

// schedulesOf returns all of each user's schedules (none: an empty list).
func schedulesOf(ctx context.Context, users []*domain.User) ([][]domain.Schedule, error) {
	return forVisibleUsers(ctx, users, func(l *loaders.Loaders, visible []*domain.User) ([][]domain.Schedule, []error) {
		ids := make([]string, len(visible))
		for i, u := range visible {
			ids[i] = u.ID
		}
		schedules, errs := l.OwnerSchedules().LoadMany(ctx, ids)
		for i, s := range schedules {
			if s == nil && errs[i] == nil {
				schedules[i] = []domain.Schedule{}
			}
		}
		return schedules, errs
	})
}

// agendasOf returns each user's agenda on date.
func agendasOf(ctx context.Context, users []*domain.User, date scalars.Date) ([][]domain.AgendaItem, error) {
	return forVisibleUsers(ctx, users, func(l *loaders.Loaders, visible []*domain.User) ([][]domain.AgendaItem, []error) {
		keys := make([]domain.OwnerDate, len(visible))
		for i, u := range visible {
			keys[i] = domain.OwnerDate{OwnerID: u.ID, Day: date.Day()}
		}
		days, errs := l.Days(ctx, keys)
		agendas := make([][]domain.AgendaItem, len(days))
		for i, d := range days {
			if errs[i] == nil {
				agendas[i], errs[i] = domain.BuildAgenda(d.Schedules, d.Completions, date)
			}
		}
		return agendas, errs
	})
}

// ownersOf returns the owner of each schedule: a user the caller may see.
func ownersOf(ctx context.Context, schedules []*domain.Schedule) ([]*domain.User, error) {
	c, l, err := batchScope(ctx)
	if err != nil {
		return nil, err
	}
	ids := make([]string, len(schedules))
	for i, s := range schedules {
		ids[i] = s.OwnerID
	}
	users, errs := l.Users().LoadMany(ctx, ids)
	owners := make([]*domain.User, len(users))
	for i := range users {
		if errs[i] == nil {
			errs[i] = c.canSeeUser(users[i])
		}
		if errs[i] == nil {
			owners[i] = &users[i]
		}
	}
	return owners, batchErrors(ctx, errs)
}

// forVisibleUsers resolves a field for many users: each user the caller
// may not see gets its canSeeUser error; read gets the others, in order,
// and answers a value and an error for each.
func forVisibleUsers[T any](ctx context.Context, users []*domain.User,
	read func(l *loaders.Loaders, visible []*domain.User) ([]T, []error),
) ([]T, error) {
	c, l, err := batchScope(ctx)
	if err != nil {
		return nil, err
	}
	errs := make([]error, len(users))
	visible := make([]*domain.User, 0, len(users))
	at := make([]int, 0, len(users))
	for i, u := range users {
		if errs[i] = c.canSeeUser(*u); errs[i] == nil {
			visible, at = append(visible, u), append(at, i)
		}
	}
	values, readErrs := read(l, visible)
	out := make([]T, len(users))
	for j, i := range at {
		out[i], errs[i] = values[j], readErrs[j]
	}
	return out, batchErrors(ctx, errs)
}

// batchScope returns the caller and the loaders a batch resolver needs;
// its error (for every parent) is located.
func batchScope(ctx context.Context) (caller, *loaders.Loaders, error) {
	c, err := currentCaller(ctx)
	if err != nil {
		return caller{}, nil, located(ctx, err)
	}
	l, err := loaders.From(ctx)
	if err != nil {
		return caller{}, nil, located(ctx, err)
	}
	return c, l, nil
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
