package loaders

import (
	"context"
	"slices"

	"github.com/dayline/dayline/domain"
)

// The store reads behind each loader: one store call for the keys of one
// batch, answering every key in order.
var (
	readUsers = byID("user", Source.GetUsers, func(u domain.User) string { return u.ID })

	readOrganisations = byID("organisation", Source.GetOrganisations,
		func(o domain.Organisation) string { return o.ID })

	readSchedules = byID("schedule", Source.GetSchedules, func(s domain.Schedule) string { return s.ID })

	readTaskRefs = byID("task", Source.GetTaskRefs, func(t domain.TaskRef) string { return t.TaskID })

	readOwnerSchedules = mapped(Source.SchedulesByOwners)

	readCompletions = mapped(Source.CompletionsOn)
)

// byID adapts a batch read that omits missing ids into a fetchFunc that
// answers every key in order: missing ones get a NotFound error. Invalid
// ids (domain.ValidID), which can name nothing stored, are missing without
// being sent to the store: a 10,000-byte id must not reach a DynamoDB key.
func byID[V any](kind string, get func(Source, context.Context, []string) ([]V, error), id func(V) string) fetchFunc[string, V] {
	return func(ctx context.Context, src Source, keys []string) ([]V, []error) {
		var items []V
		var err error
		if valid := validIDs(keys); len(valid) > 0 {
			items, err = get(src, ctx, valid)
		}
		values := make([]V, len(keys))
		errs := make([]error, len(keys))
		if err != nil {
			for i := range errs {
				errs[i] = err
			}
			return values, errs
		}
		found := make(map[string]V, len(items))
		for _, it := range items {
			found[id(it)] = it
		}
		for i, k := range keys {
			v, ok := found[k]
			if !ok {
				errs[i] = domain.NotFound(kind, k)
			}
			values[i] = v
		}
		return values, errs
	}
}

// mapped adapts a batch read that answers a map into a fetchFunc; absent
// keys get the zero value (an empty list).
func mapped[K comparable, V any](get func(Source, context.Context, []K) (map[K]V, error)) fetchFunc[K, V] {
	return func(ctx context.Context, src Source, keys []K) ([]V, []error) {
		got, err := get(src, ctx, keys)
		values := make([]V, len(keys))
		errs := make([]error, len(keys))
		for i, k := range keys {
			if err != nil {
				errs[i] = err
				continue
			}
			values[i] = got[k]
		}
		return values, errs
	}
}

// readMemberPages reads each requested page with its own ListMembers call
// (a page is a Query: pages do not batch).
func readMemberPages(ctx context.Context, src Source, keys []MemberPageKey) ([]domain.Page[domain.User], []error) {
	pages := make([]domain.Page[domain.User], len(keys))
	errs := make([]error, len(keys))
	for i, k := range keys {
		pages[i], errs[i] = src.ListMembers(ctx, k.OrganisationID, k.Page)
	}
	return pages, errs
}

// validIDs returns the ids that pass domain.ValidID (all of them, without
// copying, when all pass).
func validIDs(ids []string) []string {
	for i, id := range ids {
		if !domain.ValidID(id) {
			valid := slices.Clone(ids[:i])
			for _, id := range ids[i+1:] {
				if domain.ValidID(id) {
					valid = append(valid, id)
				}
			}
			return valid
		}
	}
	return ids
}
