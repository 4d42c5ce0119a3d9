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
// returned. It returns BadRequest (store.InvalidDate) for a malformed date;
// other errors are internal.
func (s *Store) PutCompletion(ctx context.Context, c domain.Completion) (domain.Completion, error) {
	if err := ctx.Err(); err != nil {
		return domain.Completion{}, fmt.Errorf("put completion: %w", err)
	}
	day, err := store.CompletionDay(c.Date)
	if err != nil {
		return domain.Completion{}, fmt.Errorf("put completion: %w", err)
	}
	r := newCompletionRecord(c)
	stored := r.domain()
	err = s.update(func(t *txn) error {
		k := completionKey(c.OwnerID, day, c.TaskID)
		held, ok, err := get[completionRecord](t, t.completions(), k)
		if err != nil {
			return err
		}
		if ok {
			stored = held
			return nil
		}
		return put(t.completions(), k, r)
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
	err := s.update(func(t *txn) error {
		return t.completions().Delete(completionKey(ownerID, day, taskID))
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
	err := s.view(func(t *txn) error {
		for _, od := range days {
			if _, done := out[od]; done {
				continue
			}
			list := []domain.Completion{}
			err := scan(t.completions(), completionDayPrefix(od.OwnerID, od.Day), func(k, raw []byte) error {
				c, err := cachedDecode[completionRecord](t.cache, raw)
				if err != nil {
					return fmt.Errorf("record %q: %w", k, err)
				}
				list = append(list, c)
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
func (t *txn) deleteCompletions(ownerID string) error {
	var keys [][]byte
	err := scan(t.completions(), completionsPrefix(ownerID), func(k, _ []byte) error {
		keys = append(keys, append([]byte(nil), k...))
		return nil
	})
	if err != nil {
		return err
	}
	for _, k := range keys {
		if err := t.completions().Delete(k); err != nil {
			return err
		}
	}
	return nil
}
