package bolt

import (
	"context"
	"fmt"

	"github.com/dayline/dayline/domain"
	"github.com/dayline/dayline/store"
)

// PutCompletion records that c.OwnerID completed c.TaskID on c.Date, and
// returns the stored completion (Completed is true). Completing twice is
// not an error: the first completion, with its CompletedAt, is kept and
// returned. It returns BadRequest for a malformed date; other errors are
// internal.
func (s *Store) PutCompletion(ctx context.Context, c domain.Completion) (domain.Completion, error) {
	if err := ctx.Err(); err != nil {
		return domain.Completion{}, fmt.Errorf("put completion: %w", err)
	}
	day, err := store.CompletionDay(c.Date)
	if err != nil {
		return domain.Completion{}, fmt.Errorf("put completion: %w", err)
	}
	c.Completed = true
	stored := c
	err = s.update(func(t txn) error {
		k := store.CompletionKey(c.OwnerID, day, c.TaskID)
		held, ok, err := getRecord[domain.Completion](t, k, store.TypeCompletion)
		if err != nil {
			return err
		}
		if ok {
			stored = held.Data
			return nil
		}
		return putRecord(t, newRecord(k, store.TypeCompletion, c.TaskID, c))
	})
	if err != nil {
		return domain.Completion{}, fmt.Errorf("put completion of task %s on %s: %w", c.TaskID, day, err)
	}
	return stored, nil
}

// DeleteCompletion removes the completion of taskID by ownerID on day
// (YYYY-MM-DD). Removing a missing completion is not an error. Errors are
// internal.
func (s *Store) DeleteCompletion(ctx context.Context, ownerID, day, taskID string) error {
	if err := ctx.Err(); err != nil {
		return fmt.Errorf("delete completion: %w", err)
	}
	err := s.update(func(t txn) error {
		return t.delete(store.CompletionKey(ownerID, day, taskID))
	})
	if err != nil {
		return fmt.Errorf("delete completion of task %s on %s: %w", taskID, day, err)
	}
	return nil
}

// CompletionsOn returns the completions of each owner's day, ordered by
// task id, read in one transaction. Every day asked for has an entry; days
// without completions map to an empty slice. Errors are internal.
func (s *Store) CompletionsOn(ctx context.Context, days []domain.OwnerDate) (map[domain.OwnerDate][]domain.Completion, error) {
	if err := ctx.Err(); err != nil {
		return nil, fmt.Errorf("completions on days: %w", err)
	}
	out := make(map[domain.OwnerDate][]domain.Completion, len(days))
	err := s.view(func(t txn) error {
		for _, od := range days {
			if _, done := out[od]; done {
				continue
			}
			list := []domain.Completion{}
			prefix := store.CompletionDayPrefix(od.OwnerID, od.Day)
			err := scanPrefix(t, prefix.PK, prefix.SK, store.TypeCompletion, func(r record[domain.Completion]) error {
				list = append(list, r.Data)
				return nil
			})
			if err != nil {
				return err
			}
			out[od] = list
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("completions on days: %w", err)
	}
	return out, nil
}

// deleteCompletions removes every completion of ownerID.
func (t txn) deleteCompletions(ownerID string) error {
	prefix := store.CompletionsPrefix(ownerID)
	return t.deletePrefix(prefix.PK, prefix.SK)
}
