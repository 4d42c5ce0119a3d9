package app

import (
	"context"

	"github.com/dayline/dayline/domain"
	"github.com/dayline/dayline/loaders"
	"github.com/dayline/dayline/scalars"
)

// Agenda is the service of agendas: the occurrences of a user's active
// schedules' tasks on a date, in time order, with completion state
// (domain.BuildAgenda). It writes nothing, so it has no store: it reads
// through the operation's loaders, which read schedules and completions
// together.
type Agenda struct{}

// NewAgenda returns the Agenda service.
func NewAgenda() *Agenda { return &Agenda{} }

// Of returns user userID's agenda on date, if the actor may see the user
// (NotFound across organisations, Unauthorized for a member asking for
// someone else's). BadRequest for a schedule with an unknown timezone.
func (s *Agenda) Of(ctx context.Context, l *loaders.Loaders, by Actor, userID string, date scalars.Date) ([]domain.AgendaItem, error) {
	if _, err := by.visibleUser(ctx, l, userID); err != nil {
		return nil, err
	}
	day, err := l.Day(ctx, domain.OwnerDate{OwnerID: userID, Day: date.Day()})
	if err != nil {
		return nil, err
	}
	return domain.BuildAgenda(day.Schedules, day.Completions, date)
}

// OfUsers returns each user's agenda on date, in order, with one error per
// user (see Of). One batched read of schedules and one of completions for
// all of them.
func (s *Agenda) OfUsers(ctx context.Context, l *loaders.Loaders, by Actor, users []*domain.User, date scalars.Date) ([][]domain.AgendaItem, []error) {
	return forVisibleUsers(by, users, func(visible []*domain.User) ([][]domain.AgendaItem, []error) {
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
