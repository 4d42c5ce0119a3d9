package app

import (
	"context"
	"sync"

	"github.com/dayline/dayline/domain"
)

// deletedLogSize is how many deleted schedules a DeletedLog remembers.
const deletedLogSize = 1024

// DeletedLog remembers the schedules this instance deleted last (at most
// deletedLogSize), so that deleteSchedule's subscribers on this instance
// get the schedule as it was deleted. It implements DeletedSchedules.
//
// It knows only this instance's deletions: with several instances (a
// Redis bus), subscribers on the others get no payload for a deletion
// until the store keeps tombstones (a DeletedSchedules of the store).
type DeletedLog struct {
	mu    sync.Mutex
	byID  map[string]domain.Schedule
	order []string
}

// NewDeletedLog returns an empty log.
func NewDeletedLog() *DeletedLog { return &DeletedLog{byID: map[string]domain.Schedule{}} }

// record remembers s, forgetting the oldest entry beyond the size.
func (d *DeletedLog) record(s domain.Schedule) {
	d.mu.Lock()
	defer d.mu.Unlock()
	if _, ok := d.byID[s.ID]; !ok {
		d.order = append(d.order, s.ID)
	}
	d.byID[s.ID] = s
	if len(d.order) > deletedLogSize {
		delete(d.byID, d.order[0])
		d.order = d.order[1:]
	}
}

// GetDeletedSchedule returns schedule id as this instance deleted it;
// NotFound if it did not (or has forgotten it).
func (d *DeletedLog) GetDeletedSchedule(_ context.Context, id string) (domain.Schedule, error) {
	d.mu.Lock()
	defer d.mu.Unlock()
	s, ok := d.byID[id]
	if !ok {
		return domain.Schedule{}, domain.NotFound("schedule", id)
	}
	return s, nil
}
