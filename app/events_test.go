package app_test

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/dayline/dayline/app"
	"github.com/dayline/dayline/domain"
	"github.com/dayline/dayline/pubsub"
)

// recorder is a Publisher that keeps what it is sent, and fails when told.
type recorder struct {
	events []pubsub.Event
	fail   bool
}

func (r *recorder) Publish(_ context.Context, e pubsub.Event) error {
	if r.fail {
		return errors.New("bus unreachable")
	}
	r.events = append(r.events, e)
	return nil
}

// publishing returns services over f's store that publish to rec.
func publishing(f *fixture, rec *recorder) *app.Services {
	return app.New(f.st, app.Env{
		Now: func() time.Time { return f.now }, NewID: func() string { f.ids++; return fmt.Sprintf("ID%04d", f.ids) },
		Events: rec,
	})
}

// TestServicesPublishChanges: each schedule change and each tick
// publishes one event of ids and a version, after it succeeded; a failed
// change publishes nothing.
func TestServicesPublishChanges(t *testing.T) {
	f := newFixture(t)
	rec := &recorder{}
	svc := publishing(f, rec)
	ctx := t.Context()
	s := f.routine(t, "ann")
	changed := func(version int, deleted bool) pubsub.Event {
		return pubsub.Event{Kind: pubsub.ScheduleChanged, OrganisationID: f.org.ID, OwnerID: "ann", ScheduleID: s.ID, Version: version, Deleted: deleted}
	}

	if _, err := svc.Schedules.Update(ctx, f.loaders(), f.caregiver, s.ID, 1, app.ScheduleChanges{Title: ptr("New")}); err != nil {
		t.Fatal(err)
	}
	if _, err := svc.Schedules.Update(ctx, f.loaders(), f.caregiver, s.ID, 1, app.ScheduleChanges{Title: ptr("Stale")}); !domain.IsCode(err, domain.CodeConflict) {
		t.Fatalf("stale update: %v", err)
	}
	task := s.Tasks[0].ID
	if _, err := svc.Completions.Complete(ctx, f.loaders(), f.ann, task, "2026-03-30"); err != nil {
		t.Fatal(err)
	}
	if _, err := svc.Completions.Uncomplete(ctx, f.loaders(), f.ann, task, "2026-03-30"); err != nil {
		t.Fatal(err)
	}
	if _, err := svc.Schedules.Delete(ctx, f.loaders(), f.admin, s.ID, 2); err != nil {
		t.Fatal(err)
	}
	tick := pubsub.Event{Kind: pubsub.TaskCompleted, OrganisationID: f.org.ID, OwnerID: "ann", ScheduleID: s.ID, TaskID: task, Date: "2026-03-30"}
	want := []pubsub.Event{changed(2, false), tick, tick, changed(2, true)}
	if len(rec.events) != len(want) {
		t.Fatalf("events %+v, want %+v", rec.events, want)
	}
	for i := range want {
		if rec.events[i] != want[i] {
			t.Errorf("event %d: %+v, want %+v", i, rec.events[i], want[i])
		}
	}
	deleted, err := f.st.GetDeletedSchedule(ctx, s.ID)
	if err != nil || deleted.Title != "New" || deleted.Version != 2 {
		t.Errorf("tombstone: %+v %v, want the schedule as deleted", deleted, err)
	}
}

// TestFailedPublishKeepsTheChange: a bus that fails never fails the
// mutation (delivery is at most once).
func TestFailedPublishKeepsTheChange(t *testing.T) {
	f := newFixture(t)
	svc := publishing(f, &recorder{fail: true})
	s := f.routine(t, "ann")
	got, err := svc.Schedules.Update(t.Context(), f.loaders(), f.caregiver, s.ID, 1, app.ScheduleChanges{Title: ptr("Kept")})
	if err != nil || got.Version != 2 {
		t.Fatalf("update with a failing bus: %+v %v", got, err)
	}
	if stored := f.schedule(t, s.ID); stored.Title != "Kept" {
		t.Errorf("stored title %q", stored.Title)
	}
}
