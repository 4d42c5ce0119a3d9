package cognito

import (
	"errors"
	"fmt"
	"net/http"

	"github.com/dayline/dayline/domain"
)

// ErrUserNotFound is returned (wrapped) when the pool has no user of the
// given username or sub.
var ErrUserNotFound = errors.New("cognito: no such user in the user pool")

// Client-facing messages of Cognito's refusals, defined once.
const (
	msgEmailTaken   = "email %s cannot be used: another user signs in with it"
	msgEmailRefused = "email %s was refused by the user directory"
	msgUnavailable  = "the user directory is unavailable right now: try again"
	msgNoInvitation = "the invitation to %s could not be sent: try again"
)

// busyTypes are Cognito's exceptions that a later retry may not meet.
var busyTypes = map[string]bool{
	"TooManyRequestsException": true,
	"LimitExceededException":   true,
	"InternalErrorException":   true,
	"ThrottlingException":      true,
	"ServiceUnavailable":       true,
}

// translate turns a call's error into what callers see: ErrUserNotFound,
// a domain error (keeping the cause in the chain), or err as it is. email
// is the address a CreateUser named ("" for the other calls).
func translate(err error, email string) error {
	if err == nil {
		return nil
	}
	var api *APIError
	if !errors.As(err, &api) {
		// No answer at all: the network, a deadline, the credentials.
		return fmt.Errorf("%w: %w", domain.Unavailable(msgUnavailable), err)
	}
	switch {
	case api.Type == "UserNotFoundException":
		return fmt.Errorf("%w: %w", ErrUserNotFound, err)
	case api.Type == "UsernameExistsException" || api.Type == "AliasExistsException":
		return fmt.Errorf("%w: %w", domain.Errorf(domain.CodeConflict, msgEmailTaken, email), err)
	case api.Type == "InvalidParameterException" && email != "":
		return fmt.Errorf("%w: %w", domain.Errorf(domain.CodeBadRequest, msgEmailRefused, email), err)
	case api.Type == "CodeDeliveryFailureException":
		return fmt.Errorf("%w: %w", domain.Unavailable(msgNoInvitation, email), err)
	case busyTypes[api.Type] || api.StatusCode >= http.StatusInternalServerError:
		return fmt.Errorf("%w: %w", domain.Unavailable(msgUnavailable), err)
	}
	return err
}
