package storetest

import (
	"slices"
	"testing"
	"time"

	"github.com/dayline/dayline/domain"
	"github.com/dayline/dayline/scalars"
	"github.com/dayline/dayline/store"
)

func sameCompletion(t *testing.T, what string, got, want domain.Completion) {
	t.Helper()
	assertEqual(t, what, got, want, normCompletion)
}

// completionsOn reads the completions of one owner's day.
func completionsOn(t *testing.T, s store.Store, ownerID string, day scalars.Date) []domain.Completion {
	t.Helper()
	od := domain.OwnerDate{OwnerID: ownerID, Day: day.Day()}
	done, err := s.CompletionsOn(t.Context(), []domain.OwnerDate{od})
	mustNil(t, "CompletionsOn", err)
	return done[od]
}

func completionTaskIDs(cs []domain.Completion) []string {
	ids := idsOf(cs, func(c domain.Completion) string { return c.TaskID })
	slices.Sort(ids)
	return ids
}

func testPutCompletionIdempotent(t *testing.T, s store.Store) {
	ctx := t.Context()
	org, _ := createOrganisation(t, s)
	owner := createUser(t, s, org.ID)
	sc := createSchedule(t, s, owner, 1)
	day := scalars.Date("2026-03-29")

	first := newCompletion(sc, sc.Tasks[0].ID, day, baseTime.Add(time.Hour))
	got, err := s.PutCompletion(ctx, first)
	mustNil(t, "PutCompletion", err)
	sameCompletion(t, "first PutCompletion", got, first)

	second := newCompletion(sc, sc.Tasks[0].ID, day, baseTime.Add(2*time.Hour))
	got, err = s.PutCompletion(ctx, second)
	mustNil(t, "second PutCompletion", err)
	if got.CompletedAt == nil || !got.CompletedAt.Equal(*first.CompletedAt) || !got.Completed {
		t.Errorf("second PutCompletion returned %+v, want the first CompletedAt %v", got, *first.CompletedAt)
	}

	stored := completionsOn(t, s, owner.ID, day)
	if len(stored) != 1 {
		t.Fatalf("%d completions stored, want 1", len(stored))
	}
	sameCompletion(t, "stored completion", stored[0], first)
}

func testCompletionsOn(t *testing.T, s store.Store) {
	org, _ := createOrganisation(t, s)
	a, b := createUser(t, s, org.ID), createUser(t, s, org.ID)
	sa, sb := createSchedule(t, s, a, 3), createSchedule(t, s, b, 1)
	day1, day2, day3 := scalars.Date("2026-03-29"), scalars.Date("2026-03-30"), scalars.Date("2026-03-31")

	want := map[domain.OwnerDate][]string{
		{OwnerID: a.ID, Day: day1.Day()}: {sa.Tasks[0].ID, sa.Tasks[1].ID},
		{OwnerID: a.ID, Day: day2.Day()}: {sa.Tasks[2].ID},
		{OwnerID: a.ID, Day: day3.Day()}: nil,
		{OwnerID: b.ID, Day: day1.Day()}: {sb.Tasks[0].ID},
		{OwnerID: b.ID, Day: day2.Day()}: nil,
	}
	stored := putCompletion(t, s, sa, sa.Tasks[0].ID, day1)
	putCompletion(t, s, sa, sa.Tasks[1].ID, day1)
	putCompletion(t, s, sa, sa.Tasks[2].ID, day2)
	putCompletion(t, s, sb, sb.Tasks[0].ID, day1)

	var days []domain.OwnerDate
	for od := range want {
		days = append(days, od)
	}
	got, err := s.CompletionsOn(t.Context(), days)
	mustNil(t, "CompletionsOn", err)
	for od, ids := range want {
		slices.Sort(ids)
		if g := completionTaskIDs(got[od]); !slices.Equal(g, ids) {
			t.Errorf("completions of %+v = %v, want %v", od, g, ids)
		}
		for _, c := range got[od] {
			if c.OwnerID != od.OwnerID || c.Date.Day() != od.Day {
				t.Errorf("completions of %+v hold %+v", od, c)
			}
			if c.TaskID == stored.TaskID && c.Date == stored.Date {
				sameCompletion(t, "completion", c, stored)
			}
		}
	}
	none, err := s.CompletionsOn(t.Context(), nil)
	mustNil(t, "CompletionsOn(nil)", err)
	if len(none) != 0 {
		t.Errorf("CompletionsOn(nil) = %v, want empty", none)
	}
}

func testDeleteCompletion(t *testing.T, s store.Store) {
	ctx := t.Context()
	org, _ := createOrganisation(t, s)
	owner := createUser(t, s, org.ID)
	sc := createSchedule(t, s, owner, 2)
	day := scalars.Date("2026-03-29")
	first := putCompletion(t, s, sc, sc.Tasks[0].ID, day)
	putCompletion(t, s, sc, sc.Tasks[1].ID, day)

	mustNil(t, "DeleteCompletion", s.DeleteCompletion(ctx, owner.ID, day.Day(), first.TaskID))
	if got := completionTaskIDs(completionsOn(t, s, owner.ID, day)); !slices.Equal(got, []string{sc.Tasks[1].ID}) {
		t.Errorf("completions after DeleteCompletion = %v, want [%s]", got, sc.Tasks[1].ID)
	}
	mustNil(t, "DeleteCompletion again", s.DeleteCompletion(ctx, owner.ID, day.Day(), first.TaskID))
	mustNil(t, "DeleteCompletion of one never stored", s.DeleteCompletion(ctx, owner.ID, "2026-03-30", newID()))

	// Completing again after a delete records the new time.
	again := newCompletion(sc, first.TaskID, day, baseTime.Add(3*time.Hour))
	got, err := s.PutCompletion(ctx, again)
	mustNil(t, "PutCompletion after delete", err)
	sameCompletion(t, "PutCompletion after delete", got, again)
}
