package app

import "github.com/dayline/dayline/domain"

// The batch reads (OrganisationsOf, OwnersOf, Schedules.OfOwners,
// Agenda.OfUsers) answer for many parents at once, as gqlgen's batch
// resolvers ask: each reads the keys of all its parents in one batched
// loader call (loaders.Loader.LoadMany), so a list costs one store call per
// kind of read whatever its length. Each parent keeps the rules and errors
// of a one-parent read: a parent the actor may not see gets that error
// (and reads nothing), a key that failed gets its error.

// forVisibleUsers answers for many users: each user the actor may not see
// gets its canSeeUser error; read gets the others, in order, and answers a
// value and an error for each.
func forVisibleUsers[T any](by Actor, users []*domain.User, read func(visible []*domain.User) ([]T, []error)) ([]T, []error) {
	errs := make([]error, len(users))
	visible := make([]*domain.User, 0, len(users))
	at := make([]int, 0, len(users))
	for i, u := range users {
		if errs[i] = by.canSeeUser(*u); errs[i] == nil {
			visible, at = append(visible, u), append(at, i)
		}
	}
	values, readErrs := read(visible)
	out := make([]T, len(users))
	for j, i := range at {
		out[i], errs[i] = values[j], readErrs[j]
	}
	return out, errs
}
