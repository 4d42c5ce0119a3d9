package resolvers

import (
	"context"
	"encoding/json"

	"github.com/dayline/dayline/auth"
	"github.com/dayline/dayline/domain"
	"github.com/dayline/dayline/loaders"
	"github.com/dayline/dayline/scalars"
)

// Prefetch reads ahead, into ctx's loaders, what the batch resolver of
// parentType.field reads for the parents whose ids are parentIDs: it reads
// the parents (with the caller, in the same store call where they are of
// one kind), runs the batch resolver on all of them, as the server does
// for a list, and discards its answers and errors. args are the field's
// arguments as JSON.
//
// It is for the AppSync adapter, which resolves a BatchInvoke as one
// operation of aliased root fields, one per parent: with the loaders
// warmed, those fields read nothing more, so a batch costs the store what
// the server's list costs by construction rather than by the loaders'
// wait. What it reads is only cached: every alias still runs its own
// resolver, with its own checks and errors.
//
// It reports false, having read nothing, for a field without a batch
// resolver, arguments it cannot read, or a context without caller or
// loaders.
func (r *Resolver) Prefetch(ctx context.Context, parentType, field string, parentIDs []string, args map[string]json.RawMessage) bool {
	id, err := auth.IdentityFrom(ctx)
	if err != nil {
		return false
	}
	l, err := loaders.From(ctx)
	if err != nil {
		return false
	}
	switch parentType + "." + field {
	case "User.organisation":
		_, _ = r.User().Organisation(ctx, prefetchUsers(ctx, l, id.Sub, parentIDs))
	case "User.schedules":
		_, _ = r.User().Schedules(ctx, prefetchUsers(ctx, l, id.Sub, parentIDs))
	case "User.agenda":
		var date scalars.Date
		if err := unmarshalArg(args["date"], &date); err != nil {
			return false
		}
		_, _ = r.User().Agenda(ctx, prefetchUsers(ctx, l, id.Sub, parentIDs), date)
	case "Schedule.owner":
		_, _ = l.Users().LoadNow(ctx, id.Sub)
		schedules, errs := l.Schedules().LoadMany(ctx, parentIDs)
		_, _ = r.Schedule().Owner(ctx, found(schedules, errs))
	default:
		return false
	}
	return true
}

// prefetchUsers reads the users ids and the caller in one LoadMany and
// returns the users that exist.
func prefetchUsers(ctx context.Context, l *loaders.Loaders, caller string, ids []string) []*domain.User {
	users, errs := l.Users().LoadMany(ctx, append(ids[:len(ids):len(ids)], caller))
	return found(users[:len(ids)], errs[:len(ids)])
}

// found returns pointers to the values read without error.
func found[V any](values []V, errs []error) []*V {
	out := make([]*V, 0, len(values))
	for i := range values {
		if errs[i] == nil {
			out = append(out, &values[i])
		}
	}
	return out
}

// unmarshalArg decodes a GraphQL argument given as JSON into a scalar that
// reads GraphQL input values (UnmarshalGQL); a missing argument is an
// error.
func unmarshalArg(raw json.RawMessage, into interface{ UnmarshalGQL(any) error }) error {
	var v any
	if err := json.Unmarshal(raw, &v); err != nil {
		return err
	}
	return into.UnmarshalGQL(v)
}
