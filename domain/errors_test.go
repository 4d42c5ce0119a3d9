package domain_test

import (
	"fmt"
	"testing"

	"github.com/dayline/dayline/domain"
)

func TestErrorConstructors(t *testing.T) {
	tests := []struct {
		name        string
		err         *domain.Error
		wantCode    domain.Code
		wantMessage string
	}{
		{"BadRequest", domain.BadRequest("limit %d is too big", 500), domain.CodeBadRequest, "limit 500 is too big"},
		{"Unauthorized", domain.Unauthorized("token %s expired", "t1"), domain.CodeUnauthorized, "token t1 expired"},
		{"Unavailable", domain.Unavailable("database %s, try again", "unavailable"), domain.CodeUnavailable, "database unavailable, try again"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			wrapped := fmt.Errorf("context: %w", tc.err)
			if got := domain.ErrorCode(wrapped); got != tc.wantCode {
				t.Errorf("code %s, want %s", got, tc.wantCode)
			}
			if got := domain.ErrorMessage(wrapped); got != tc.wantMessage {
				t.Errorf("message %q, want %q", got, tc.wantMessage)
			}
		})
	}
}
