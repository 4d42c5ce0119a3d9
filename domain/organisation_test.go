package domain_test

import (
	"testing"
	"time"

	"github.com/dayline/dayline/domain"
)

func TestUserChanged(t *testing.T) {
	created := time.Date(2026, 3, 29, 7, 30, 0, 0, time.UTC)
	later := created.Add(time.Hour)
	u := domain.User{ID: "u", Name: "Ada", Version: 3, CreatedAt: created, UpdatedAt: created}
	next := u.Changed(later)
	tests := []struct {
		name      string
		got, want any
	}{
		{"version bumped", next.Version, 4},
		{"updatedAt set", next.UpdatedAt, later},
		{"createdAt kept", next.CreatedAt, created},
		{"fields kept", next.Name, "Ada"},
		{"original untouched", u.Version, 3},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if tc.got != tc.want {
				t.Errorf("got %v, want %v", tc.got, tc.want)
			}
		})
	}
}
