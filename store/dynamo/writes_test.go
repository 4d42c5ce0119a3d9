package dynamo_test

import (
	"context"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
	"github.com/aws/smithy-go/middleware"

	"github.com/dayline/dayline/domain"
	"github.com/dayline/dayline/store/dynamo"
	"github.com/dayline/dayline/store/dynamo/dynamotest"
)

func TestDeleteUserOverOneTransaction(t *testing.T) {
	ctx := t.Context()
	s := dynamotest.NewTestStore(t)
	admin := newOrg(t, s)
	member := createUser(t, s, admin.OrganisationID)
	var tasks, scheduleIDs []string
	for range 3 {
		sc := createSchedule(t, s, member, domain.MaxTasksPerSchedule)
		tasks = append(tasks, taskIDs(sc.Tasks)...)
		scheduleIDs = append(scheduleIDs, sc.ID)
		for _, task := range sc.Tasks[:10] {
			c := domain.Completion{OwnerID: member.ID, OrganisationID: member.OrganisationID, ScheduleID: sc.ID,
				TaskID: task.ID, Date: "2026-03-30", CompletedAt: &created}
			if _, err := s.PutCompletion(ctx, c); err != nil {
				t.Fatalf("PutCompletion: %v", err)
			}
		}
	}
	// 3×(1+50) schedule items and references, 30 completions, user and claim: 185 items.
	if err := s.DeleteUser(ctx, member.ID, member.Version+1); !domain.IsCode(err, domain.CodeConflict) {
		t.Fatalf("DeleteUser with a stale version: %v, want Conflict", err)
	}
	if refs, err := s.GetTaskRefs(ctx, tasks); err != nil || len(refs) != len(tasks) {
		t.Fatalf("after a stale DeleteUser: %d of %d task refs, %v", len(refs), len(tasks), err)
	}

	if err := s.DeleteUser(ctx, member.ID, member.Version); err != nil {
		t.Fatalf("DeleteUser: %v", err)
	}
	users, err := s.GetUsers(ctx, []string{member.ID, admin.ID})
	if err != nil || len(users) != 1 || users[0].ID != admin.ID {
		t.Errorf("users after DeleteUser = %v, %v; want only the admin", users, err)
	}
	if got, err := s.GetSchedules(ctx, scheduleIDs); err != nil || len(got) != 0 {
		t.Errorf("schedules after DeleteUser: %d, %v", len(got), err)
	}
	if refs, err := s.GetTaskRefs(ctx, tasks); err != nil || len(refs) != 0 {
		t.Errorf("task refs after DeleteUser: %d, %v", len(refs), err)
	}
	day := domain.OwnerDate{OwnerID: member.ID, Day: "2026-03-30"}
	if done, err := s.CompletionsOn(ctx, []domain.OwnerDate{day}); err != nil || len(done[day]) != 0 {
		t.Errorf("completions after DeleteUser: %d, %v", len(done[day]), err)
	}
	reuse := newUser(admin.OrganisationID)
	reuse.Email = member.Email
	if err := s.CreateUser(ctx, reuse); err != nil {
		t.Errorf("CreateUser with the deleted user's email: %v", err)
	}
}

func TestUpdateScheduleReplacingEveryTask(t *testing.T) {
	ctx := t.Context()
	s := dynamotest.NewTestStore(t)
	owner := newOrg(t, s)
	sc := createSchedule(t, s, owner, domain.MaxTasksPerSchedule)
	next := sc
	next.Tasks = newTasks(sc.ID, domain.MaxTasksPerSchedule)
	next = next.Changed(created.Add(time.Hour))
	// 1 schedule + 50 new references + 50 removed ones: one over a transaction.
	if err := s.UpdateSchedule(ctx, next, sc.Version); err != nil {
		t.Fatalf("UpdateSchedule: %v", err)
	}
	if refs, err := s.GetTaskRefs(ctx, taskIDs(sc.Tasks)); err != nil || len(refs) != 0 {
		t.Errorf("references of the removed tasks: %d, %v", len(refs), err)
	}
	if refs, err := s.GetTaskRefs(ctx, taskIDs(next.Tasks)); err != nil || len(refs) != len(next.Tasks) {
		t.Errorf("references of the new tasks: %d of %d, %v", len(refs), len(next.Tasks), err)
	}
	got, err := s.GetSchedules(ctx, []string{sc.ID})
	if err != nil || len(got) != 1 || got[0].Version != next.Version || !slices.Equal(taskIDs(got[0].Tasks), taskIDs(next.Tasks)) {
		t.Errorf("schedule after update = %+v, %v", got, err)
	}
}

func TestTransactionConditionFailures(t *testing.T) {
	s := dynamotest.NewTestStore(t)
	admin := newOrg(t, s)

	stale := admin
	stale.Version, stale.Name = admin.Version+2, "Lost update"
	oldReturned, err := s.PutUserAtVersion(t.Context(), stale, admin.Version+1)
	if !domain.IsCode(err, domain.CodeConflict) {
		t.Errorf("put at a stale version: %v, want Conflict", err)
	}
	if !oldReturned {
		t.Error("the cancelled transaction did not return the old item (ReturnValuesOnConditionCheckFailure ALL_OLD)")
	}

	missing := newUser(admin.OrganisationID)
	if _, err := s.PutUserAtVersion(t.Context(), missing, missing.Version); !domain.IsCode(err, domain.CodeNotFound) {
		t.Errorf("put of a missing user: %v, want NotFound", err)
	}
}

// cancelTransactions makes the first times TransactWriteItems calls fail
// as DynamoDB does when it cancels a transaction for reason code (on its
// first action) without writing anything.
func cancelTransactions(times int, code string) func(*middleware.Stack) error {
	var mu sync.Mutex
	return func(stack *middleware.Stack) error {
		return stack.Initialize.Add(middleware.InitializeMiddlewareFunc("TestCancel",
			func(ctx context.Context, in middleware.InitializeInput, next middleware.InitializeHandler) (middleware.InitializeOutput, middleware.Metadata, error) {
				params, ok := in.Parameters.(*dynamodb.TransactWriteItemsInput)
				mu.Lock()
				cancel := ok && times > 0
				if cancel {
					times--
				}
				mu.Unlock()
				if !cancel {
					return next.HandleInitialize(ctx, in)
				}
				reasons := make([]types.CancellationReason, len(params.TransactItems))
				for i := range reasons {
					reasons[i].Code = aws.String("None")
				}
				reasons[0].Code = aws.String(code)
				return middleware.InitializeOutput{}, middleware.Metadata{}, &types.TransactionCanceledException{
					Message: aws.String("Transaction cancelled"), CancellationReasons: reasons}
			}), middleware.Before)
	}
}

func TestTransactionConflictsAreRetried(t *testing.T) {
	endpoint := dynamotest.Endpoint(t)
	table := dynamotest.NewTable(t, dynamotest.NewClient(endpoint))
	storeWith := func(times int, code string) *dynamo.Store {
		client := dynamotest.NewClient(endpoint, func(o *dynamodb.Options) {
			o.APIOptions = append(o.APIOptions, cancelTransactions(times, code))
		})
		return dynamo.New(client, table, dynamotest.Tokens())
	}

	tests := []struct {
		name     string
		times    int
		code     string
		wantCode domain.Code // "" for success
	}{
		{"conflict twice, then through", 2, "TransactionConflict", ""},
		{"throttled twice, then through", 2, "ThrottlingError", ""},
		{"conflict every time", 1000, "TransactionConflict", domain.CodeConflict},
		{"throttled every time", 1000, "ThrottlingError", domain.CodeUnavailable},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s := storeWith(tc.times, tc.code)
			u := newUser(newID())
			err := s.CreateUser(t.Context(), u)
			users, readErr := s.GetUsers(t.Context(), []string{u.ID})
			if readErr != nil {
				t.Fatalf("GetUsers: %v", readErr)
			}
			if tc.wantCode == "" {
				if err != nil || len(users) != 1 {
					t.Errorf("CreateUser = %v, %d users stored; want success after the retries", err, len(users))
				}
				return
			}
			if code := domain.ErrorCode(err); code != tc.wantCode || len(users) != 0 {
				t.Errorf("CreateUser = %v (%s), %d users stored; want %s and nothing stored", err, code, len(users), tc.wantCode)
			}
		})
	}
}
