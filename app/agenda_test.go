package app_test

import (
	"slices"
	"testing"
	"time"

	"github.com/dayline/dayline/app"
	"github.com/dayline/dayline/domain"
	"github.com/dayline/dayline/scalars"
)

func TestAgendaOf(t *testing.T) {
	f := newFixture(t)
	s := f.routine(t, "ann") // Breakfast 09:00, Wake up 07:30
	ticked := f.later(time.Hour)
	if _, err := f.svc.Completions.Complete(t.Context(), f.loaders(), f.ann, s.Tasks[1].ID, onMonday); err != nil {
		t.Fatalf("complete: %v", err)
	}
	tests := []struct {
		name      string
		by        func(*fixture) app.Actor
		user      string
		date      scalars.Date
		want      []string // task titles, in time order
		completed []bool
		code      domain.Code
	}{
		{"member's own day", byAnn, "ann", onMonday, []string{"Wake up", "Breakfast"}, []bool{true, false}, ""},
		{"caregiver sees a member's", byCaregiver, "ann", onMonday, []string{"Wake up", "Breakfast"}, []bool{true, false}, ""},
		{"a day without the routine", byAnn, "ann", onWednesday, []string{}, []bool{}, ""},
		{"a member without schedules", byBob, "bob", onMonday, []string{}, []bool{}, ""},
		{"member may not see another's", byBob, "ann", onMonday, nil, nil, domain.CodeUnauthorized},
		{"other organisation's admin", byStranger, "ann", onMonday, nil, nil, domain.CodeNotFound},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			items, err := f.svc.Agenda.Of(t.Context(), f.loaders(), tc.by(f), tc.user, tc.date)
			wantCode(t, err, tc.code)
			checkAgenda(t, items, tc.want, tc.completed, ticked)
			user := f.user(t, tc.user)
			agendas, errs := f.svc.Agenda.OfUsers(t.Context(), f.loaders(), tc.by(f), []*domain.User{&user}, tc.date)
			wantCode(t, errs[0], tc.code)
			checkAgenda(t, agendas[0], tc.want, tc.completed, ticked)
		})
	}
}

// checkAgenda fails t unless items are the tasks titled want, in order,
// completed as completed says (at ticked).
func checkAgenda(t *testing.T, items []domain.AgendaItem, want []string, completed []bool, ticked time.Time) {
	t.Helper()
	titles := make([]string, len(items))
	done := make([]bool, len(items))
	for i, it := range items {
		titles[i], done[i] = it.Task.Title, it.Completed
		if it.Completed && (it.CompletedAt == nil || !it.CompletedAt.Equal(ticked)) {
			t.Errorf("%s completed at %v, want %v", it.Task.Title, it.CompletedAt, ticked)
		}
	}
	if want == nil {
		if items != nil {
			t.Errorf("agenda %v for a refused read, want nil", titles)
		}
		return
	}
	if !slices.Equal(titles, want) || !slices.Equal(done, completed) {
		t.Errorf("agenda %v completed %v, want %v completed %v", titles, done, want, completed)
	}
}
