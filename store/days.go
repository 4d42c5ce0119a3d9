package store

import "github.com/dayline/dayline/scalars"

// CompletionDay returns the YYYY-MM-DD day a completion on date belongs to
// (its offset, if any, ignored): the day DeleteCompletion and
// domain.OwnerDate name. It returns InvalidDate when date is not a valid
// AWSDate.
func CompletionDay(date scalars.Date) (string, error) {
	if _, err := scalars.ParseDate(string(date)); err != nil {
		return "", InvalidDate(date)
	}
	return date.Day(), nil
}
