package e2e_test

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"testing"

	"github.com/dayline/dayline/domain"
	"github.com/dayline/dayline/store"
)

// brokenStore serves a store with two faults a test can switch on: every
// CompletionsOn call fails, and every page of members also lists a user of
// another organisation.
type brokenStore struct {
	store.Store
	completionsErr error
	foreignMember  string
}

func (f *brokenStore) CompletionsOn(ctx context.Context, days []domain.OwnerDate) (map[domain.OwnerDate][]domain.Completion, error) {
	if f.completionsErr != nil {
		return nil, f.completionsErr
	}
	return f.Store.CompletionsOn(ctx, days)
}

func (f *brokenStore) ListMembers(ctx context.Context, orgID string, p domain.PageRequest) (domain.Page[domain.User], error) {
	page, err := f.Store.ListMembers(ctx, orgID, p)
	if err != nil || f.foreignMember == "" {
		return page, err
	}
	users, err := f.Store.GetUsers(ctx, []string{f.foreignMember})
	if err != nil {
		return page, err
	}
	page.Items = append(slices.Clone(page.Items), users...)
	return page, nil
}

const memberFieldsQuery = `query($d: AWSDate!) { me { organisation { members(limit: 10) { items {
	id organisation { id } agenda(date: $d) { startsAt } schedules { id owner { id } } } } } } }`

// TestNestedFieldErrorsArePerParent: the fields under a list of members
// are resolved for the whole list at once, yet each member keeps its own
// outcome: a read that fails fails the field of every member that needed
// it, each with an error at its own path, and a member the caller may not
// see (a page that lists another organisation's user) gets NotFound on each
// of its fields while the others keep their data.
func TestNestedFieldErrorsArePerParent(t *testing.T) {
	type member struct {
		ID           string
		Organisation *struct{ ID string }
		Agenda       *[]struct{ StartsAt string }
		Schedules    *[]struct {
			ID    string
			Owner *struct{ ID string }
		}
	}
	run := func(t *testing.T, open opener, fault func(*brokenStore)) ([]member, []string) {
		var faulty *brokenStore
		e := newEnv(t, func(t testing.TB) store.Store {
			faulty = &brokenStore{Store: open(t)}
			return faulty
		})
		fault(faulty)
		r := e.as("a-caregiver", memberFieldsQuery, map[string]any{"d": testDay})
		var body struct {
			Data struct {
				Me struct {
					Organisation struct {
						Members struct{ Items []member }
					}
				}
			}
			Errors []struct {
				Message    string
				ErrorType  string
				Path       []any
				Locations  []struct{ Line, Column int }
				Extensions struct{ Code string }
			}
		}
		decodeRaw(t, r, &body)
		var errs []string
		for _, er := range body.Errors {
			path, _ := json.Marshal(er.Path)
			errs = append(errs, fmt.Sprintf("%s %v %s %s: %s", path, er.Locations, er.ErrorType, er.Extensions.Code, er.Message))
		}
		slices.Sort(errs)
		return body.Data.Me.Organisation.Members.Items, errs
	}
	// Where each field is in memberFieldsQuery.
	locations := map[string]string{"organisation": "[{2 5}]", "agenda": "[{2 25}]", "schedules": "[{2 55}]"}
	at := func(i int, field string) string {
		return fmt.Sprintf(`["me","organisation","members","items",%d,%q] %s`, i, field, locations[field])
	}

	forEachStore(t, func(t *testing.T, open opener) {
		t.Run("failed read", func(t *testing.T) {
			items, errs := run(t, open, func(f *brokenStore) {
				f.completionsErr = domain.Errorf(domain.CodeUnavailable, "database unavailable")
			})
			var want []string
			for i := range 4 {
				want = append(want, at(i, "agenda")+" ServiceUnavailable ServiceUnavailable: database unavailable")
			}
			if !slices.Equal(errs, want) {
				t.Errorf("errors:\n%s\nwant:\n%s", join(errs), join(want))
			}
			if len(items) != 4 {
				t.Fatalf("%d members, want 4", len(items))
			}
			for _, m := range items {
				if m.Agenda != nil || m.Organisation == nil || m.Organisation.ID != "a" || m.Schedules == nil {
					t.Errorf("%s: agenda %v (want null), organisation %v, schedules %v", m.ID, m.Agenda, m.Organisation, m.Schedules)
				}
			}
		})
		t.Run("member of another organisation", func(t *testing.T) {
			items, errs := run(t, open, func(f *brokenStore) { f.foreignMember = "b-member-1" })
			var want []string
			for _, field := range []string{"agenda", "organisation", "schedules"} {
				want = append(want, at(4, field)+" NotFound NotFound: user b-member-1 not found")
			}
			slices.Sort(want)
			if !slices.Equal(errs, want) {
				t.Errorf("errors:\n%s\nwant:\n%s", join(errs), join(want))
			}
			if len(items) != 5 {
				t.Fatalf("%d members, want 5", len(items))
			}
			for _, m := range items[:4] {
				if m.Agenda == nil || m.Organisation == nil || m.Schedules == nil {
					t.Errorf("%s lost data: agenda %v, organisation %v, schedules %v", m.ID, m.Agenda, m.Organisation, m.Schedules)
				}
				if m.Schedules != nil {
					for _, s := range *m.Schedules {
						if s.Owner == nil || s.Owner.ID != m.ID {
							t.Errorf("%s: schedule %s owner %v", m.ID, s.ID, s.Owner)
						}
					}
				}
			}
			if f := items[4]; f.ID != "b-member-1" || f.Agenda != nil || f.Organisation != nil || f.Schedules != nil {
				t.Errorf("foreign member: %+v, want its fields null", f)
			}
		})
	})
}

func join(lines []string) string {
	out := ""
	for _, l := range lines {
		out += "  " + l + "\n"
	}
	return out
}
