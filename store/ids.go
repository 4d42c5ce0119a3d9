package store

import (
	"github.com/dayline/dayline/domain"
	"github.com/dayline/dayline/scalars"
)

// UniqueIDs returns ids without duplicates, in first-seen order: batch
// reads ask for each item once.
func UniqueIDs(ids []string) []string {
	seen := make(map[string]bool, len(ids))
	out := make([]string, 0, len(ids))
	for _, id := range ids {
		if !seen[id] {
			seen[id] = true
			out = append(out, id)
		}
	}
	return out
}

// CompletionDay returns the YYYY-MM-DD day a completion on date is stored
// under (its offset, if any, ignored), or a BadRequest error when date is
// not a valid AWSDate.
func CompletionDay(date scalars.Date) (string, error) {
	if _, err := scalars.ParseDate(string(date)); err != nil {
		return "", domain.BadRequest("date %q is not an AWSDate", date)
	}
	return date.Day(), nil
}
