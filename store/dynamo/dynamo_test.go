package dynamo_test

import (
	"context"
	"errors"
	"fmt"
	"net"
	"strconv"
	"strings"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws/retry"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/smithy-go/middleware"
	"github.com/oklog/ulid/v2"

	"github.com/dayline/dayline/domain"
	"github.com/dayline/dayline/scalars"
	"github.com/dayline/dayline/store"
	"github.com/dayline/dayline/store/dynamo"
	"github.com/dayline/dayline/store/dynamo/dynamotest"
	"github.com/dayline/dayline/store/storetest"
)

func TestContract(t *testing.T) {
	dynamotest.Endpoint(t) // one skip for the whole suite without DynamoDB Local
	storetest.Run(t, func(t *testing.T) store.Store { return dynamotest.NewTestStore(t) })
}

var created = time.Date(2026, 3, 29, 7, 30, 0, 0, time.UTC)

func newID() string { return ulid.Make().String() }

// newOrg stores a new organisation with its admin and returns the admin.
func newOrg(t *testing.T, s *dynamo.Store) domain.User {
	t.Helper()
	org := domain.Organisation{ID: newID(), Name: "Zonnehuis", CreatedAt: created}
	admin := newUser(org.ID)
	admin.Role = domain.RoleAdmin
	if err := s.CreateOrganisation(t.Context(), org, admin); err != nil {
		t.Fatalf("CreateOrganisation: %v", err)
	}
	return admin
}

func newUser(orgID string) domain.User {
	id := newID()
	return domain.User{ID: id, OrganisationID: orgID, Name: "Member " + id, Email: scalars.Email(strings.ToLower(id) + "@example.com"),
		Role: domain.RoleMember, Version: 1, CreatedAt: created, UpdatedAt: created}
}

// createUser stores a new member of orgID.
func createUser(t *testing.T, s *dynamo.Store, orgID string) domain.User {
	t.Helper()
	u := newUser(orgID)
	if err := s.CreateUser(t.Context(), u); err != nil {
		t.Fatalf("CreateUser: %v", err)
	}
	return u
}

func newTasks(scheduleID string, n int) []domain.Task {
	tasks := make([]domain.Task, n)
	for i := range tasks {
		tasks[i] = domain.Task{ID: newID(), ScheduleID: scheduleID, Title: fmt.Sprintf("Task %d", i),
			StartTime: scalars.Time(fmt.Sprintf("%02d:%02d", 6+i/6, i%6*10)), DurationMinutes: 5, Position: i}
	}
	return tasks
}

// createSchedule stores a schedule of owner with n tasks.
func createSchedule(t *testing.T, s *dynamo.Store, owner domain.User, n int) domain.Schedule {
	t.Helper()
	id := newID()
	sc := domain.Schedule{ID: id, OrganisationID: owner.OrganisationID, OwnerID: owner.ID, Title: "Day",
		Timezone: "Europe/Amsterdam", Days: []domain.Weekday{domain.Monday}, Active: true,
		Tasks: newTasks(id, n), Version: 1, CreatedAt: created, UpdatedAt: created}
	if err := s.CreateSchedule(t.Context(), sc); err != nil {
		t.Fatalf("CreateSchedule: %v", err)
	}
	return sc
}

func taskIDs(tasks []domain.Task) []string {
	ids := make([]string, len(tasks))
	for i, task := range tasks {
		ids[i] = task.ID
	}
	return ids
}

func TestCreateTableIsIdempotent(t *testing.T) {
	client := dynamotest.NewClient(dynamotest.Endpoint(t))
	table := dynamotest.NewTable(t, client)
	if err := dynamo.CreateTable(t.Context(), client, table); err != nil {
		t.Fatalf("CreateTable of an existing table: %v", err)
	}
	if err := dynamo.New(client, table, dynamotest.Tokens()).CheckTable(t.Context()); err != nil {
		t.Errorf("CheckTable: %v", err)
	}
}

func TestCheckTableMissing(t *testing.T) {
	client := dynamotest.NewClient(dynamotest.Endpoint(t))
	s := dynamo.New(client, dynamotest.UniqueTableName(t), dynamotest.Tokens())
	err := s.CheckTable(t.Context())
	if err == nil || !strings.Contains(err.Error(), "dayline table create") {
		t.Errorf("CheckTable of a missing table = %v, want an error mentioning `dayline table create`", err)
	}
}

func TestUnreachableIsUnavailable(t *testing.T) {
	const maxAttempts = 2
	client := dynamotest.NewClient("http://"+refusingAddr(t), func(o *dynamodb.Options) {
		o.Retryer = retry.NewStandard(func(so *retry.StandardOptions) {
			so.MaxAttempts = maxAttempts
			so.MaxBackoff = 10 * time.Millisecond
		})
		o.APIOptions = append(o.APIOptions, countAttempts)
	})
	s := dynamo.New(client, "dayline-unreachable", dynamotest.Tokens())

	tests := []struct {
		name string
		call func(ctx context.Context) error
	}{
		{"GetUsers", func(ctx context.Context) error { _, err := s.GetUsers(ctx, []string{"u1"}); return err }},
		{"ListMembers", func(ctx context.Context) error {
			_, err := s.ListMembers(ctx, "org", domain.PageRequest{Limit: 5})
			return err
		}},
		{"CreateUser", func(ctx context.Context) error { return s.CreateUser(ctx, newUser("org")) }},
		{"DeleteCompletion", func(ctx context.Context) error { return s.DeleteCompletion(ctx, "u1", "2026-03-29", "t1") }},
		{"CheckTable", func(ctx context.Context) error { return s.CheckTable(ctx) }},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			// A fast failure: every call gives up after the retryer's
			// attempts (counted, not timed).
			ctx, usage := dynamo.WithUsage(t.Context())
			ctx, attempts := withAttemptCount(ctx)
			err := tc.call(ctx)
			calls := usage.Requests()
			if calls == 0 || attempts.Load() != int64(calls*maxAttempts) {
				t.Errorf("%d calls made %d attempts, want %d each", calls, attempts.Load(), maxAttempts)
			}
			if code := domain.ErrorCode(err); code != domain.CodeUnavailable {
				t.Fatalf("error %v has code %s, want %s", err, code, domain.CodeUnavailable)
			}
			if msg := domain.ErrorMessage(err); msg != "database unavailable, try again" {
				t.Errorf("client message = %q", msg)
			}
			if !errors.Is(err, syscall.ECONNREFUSED) {
				t.Errorf("error %v does not keep its cause (connection refused)", err)
			}
		})
	}
}

// refusingAddr returns a loopback address that refuses every connection
// until t ends: a TCP socket is bound to it but does not listen. The socket
// keeps the port, so no other test can listen on it meanwhile (a port
// freed and dialled later could be taken by one, which would answer).
func refusingAddr(t *testing.T) string {
	t.Helper()
	fd, err := syscall.Socket(syscall.AF_INET, syscall.SOCK_STREAM, 0)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { syscall.Close(fd) })
	if err := syscall.Bind(fd, &syscall.SockaddrInet4{Addr: [4]byte{127, 0, 0, 1}}); err != nil {
		t.Fatal(err)
	}
	sa, err := syscall.Getsockname(fd)
	if err != nil {
		t.Fatal(err)
	}
	return net.JoinHostPort("127.0.0.1", strconv.Itoa(sa.(*syscall.SockaddrInet4).Port))
}

type attemptCountKey struct{}

// withAttemptCount returns a context in which countAttempts counts the
// attempts of DynamoDB calls (the first try and the retryer's retries).
func withAttemptCount(ctx context.Context) (context.Context, *atomic.Int64) {
	n := new(atomic.Int64)
	return context.WithValue(ctx, attemptCountKey{}, n), n
}

// countAttempts is client middleware that counts each attempt of a call
// made with a context of withAttemptCount: it sits in the Finalize step
// after the retryer, which runs the rest of the step once per attempt.
func countAttempts(stack *middleware.Stack) error {
	return stack.Finalize.Add(middleware.FinalizeMiddlewareFunc("TestCountAttempts",
		func(ctx context.Context, in middleware.FinalizeInput, next middleware.FinalizeHandler) (middleware.FinalizeOutput, middleware.Metadata, error) {
			if n, ok := ctx.Value(attemptCountKey{}).(*atomic.Int64); ok {
				n.Add(1)
			}
			return next.HandleFinalize(ctx, in)
		}), middleware.After)
}
