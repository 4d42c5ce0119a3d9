package dynamo

import (
	"context"
	"errors"
	"io"
	"net"
	"syscall"

	"github.com/aws/aws-sdk-go-v2/aws/retry"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
	"github.com/aws/smithy-go"
	smithyhttp "github.com/aws/smithy-go/transport/http"

	"github.com/dayline/dayline/domain"
	"github.com/dayline/dayline/scalars"
)

// unavailableMessage is what a client is told when the database cannot be
// reached; the cause stays in the error chain for logs.
const unavailableMessage = "database unavailable, try again"

// unavailableError is a domain ServiceUnavailable error that keeps its
// cause: errors.As finds the *domain.Error (for the presenter), errors.Is
// and errors.As also find the SDK's error (for logs and tests).
type unavailableError struct {
	domainErr *domain.Error
	cause     error
}

func (e *unavailableError) Error() string { return "database unavailable: " + e.cause.Error() }

func (e *unavailableError) Unwrap() []error { return []error{e.domainErr, e.cause} }

func newUnavailable(cause error) error {
	return &unavailableError{domainErr: domain.Unavailable(unavailableMessage), cause: cause}
}

// emailClaimedByOther is the Conflict error of a write that releases the
// claim of email by user userID when another user holds that claim.
func emailClaimedByOther(email scalars.Email, userID string) *domain.Error {
	return domain.Errorf(domain.CodeConflict, "email %s of user %s is claimed by another user", email, userID)
}

// translate maps an error of the SDK to the store's error contract: errors
// that mean the database cannot answer now (network failures, a deadline,
// throttling or 5xx answers left after the retryer's attempts) become
// ServiceUnavailable errors wrapping the cause; domain errors and a
// cancelled context are returned unchanged; anything else is returned as is
// (an internal error). Condition failures are not handled here: callers
// look for them first (conditionFailure, transact).
func translate(err error) error {
	if err == nil {
		return nil
	}
	var de *domain.Error
	if errors.As(err, &de) || errors.Is(err, context.Canceled) {
		return err
	}
	if isUnavailable(err) {
		return newUnavailable(err)
	}
	return err
}

// isUnavailable reports whether err says that DynamoDB could not be reached
// or could not answer in time.
func isUnavailable(err error) bool {
	if errors.Is(err, context.DeadlineExceeded) {
		return true
	}
	var apiErr smithy.APIError
	if errors.As(err, &apiErr) {
		code := apiErr.ErrorCode()
		if _, throttled := retry.DefaultThrottleErrorCodes[code]; throttled {
			return true
		}
		if code == "InternalServerError" || code == "ServiceUnavailable" || code == "RequestTimeout" {
			return true
		}
	}
	var respErr *smithyhttp.ResponseError
	if errors.As(err, &respErr) && respErr.HTTPStatusCode() >= 500 {
		return true
	}
	var netErr net.Error
	if errors.As(err, &netErr) {
		return true
	}
	return errors.Is(err, syscall.ECONNREFUSED) || errors.Is(err, syscall.ECONNRESET) ||
		errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, io.EOF)
}

// conditionFailure reports whether err is a ConditionalCheckFailedException
// and returns the item as it was when the request asked for
// ReturnValuesOnConditionCheckFailure ALL_OLD (nil if it was missing or not
// returned).
func conditionFailure(err error) (old map[string]types.AttributeValue, ok bool) {
	var ccf *types.ConditionalCheckFailedException
	if !errors.As(err, &ccf) {
		return nil, false
	}
	return ccf.Item, true
}

// Cancellation reason codes of TransactionCanceledException.
const (
	reasonConditionalCheckFailed = "ConditionalCheckFailed"
	reasonTransactionConflict    = "TransactionConflict"
	reasonThrottlingError        = "ThrottlingError"
	reasonThroughputExceeded     = "ProvisionedThroughputExceeded"
)

// cancellation returns the reasons of a TransactionCanceledException, one
// per write in request order; ok is false for any other error.
func cancellation(err error) (reasons []types.CancellationReason, ok bool) {
	var tce *types.TransactionCanceledException
	if !errors.As(err, &tce) {
		return nil, false
	}
	return tce.CancellationReasons, true
}

func reasonCode(r types.CancellationReason) string {
	if r.Code == nil {
		return ""
	}
	return *r.Code
}
