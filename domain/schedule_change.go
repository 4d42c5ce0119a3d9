package domain

import (
	"slices"
	"time"
)

// Changed returns the schedule after a change: version bumped, UpdatedAt set,
// task positions renumbered to their order. It does not modify s.
func (s Schedule) Changed(now time.Time) Schedule {
	next := s
	next.Tasks = slices.Clone(s.Tasks)
	for i := range next.Tasks {
		next.Tasks[i].Position = i
		next.Tasks[i].ScheduleID = s.ID
	}
	next.Version = s.Version + 1
	next.UpdatedAt = now
	return next
}

// TaskIndex returns the index of the task with the given id, or a NotFound error.
func (s Schedule) TaskIndex(taskID string) (int, error) {
	for i, t := range s.Tasks {
		if t.ID == taskID {
			return i, nil
		}
	}
	return -1, NotFound("task", taskID)
}

// InsertTask returns tasks with t inserted at position (appended when
// position is nil or past the end), or a BadRequest error for a negative one.
func InsertTask(tasks []Task, t Task, position *int) ([]Task, error) {
	at := len(tasks)
	if position != nil {
		if *position < 0 {
			return nil, BadRequest("position must not be negative")
		}
		at = min(*position, len(tasks))
	}
	return slices.Insert(slices.Clone(tasks), at, t), nil
}

// ReorderTasks returns tasks in the order of ids, or a BadRequest error unless
// ids names every task exactly once.
func ReorderTasks(tasks []Task, ids []string) ([]Task, error) {
	if len(ids) != len(tasks) {
		return nil, BadRequest("taskIds must name each of the schedule's %d tasks exactly once", len(tasks))
	}
	byID := make(map[string]Task, len(tasks))
	for _, t := range tasks {
		byID[t.ID] = t
	}
	out := make([]Task, 0, len(ids))
	for _, id := range ids {
		t, ok := byID[id]
		if !ok {
			return nil, BadRequest("taskIds must name each of the schedule's %d tasks exactly once", len(tasks))
		}
		delete(byID, id)
		out = append(out, t)
	}
	return out, nil
}
