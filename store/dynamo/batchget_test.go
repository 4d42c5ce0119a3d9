package dynamo_test

import (
	"context"
	"errors"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
	"github.com/aws/smithy-go/middleware"

	"github.com/dayline/dayline/domain"
	"github.com/dayline/dayline/store/dynamo"
	"github.com/dayline/dayline/store/dynamo/dynamotest"
)

func TestGetTaskRefsChunksOf100(t *testing.T) {
	s := newSlowStore(t, 100*time.Millisecond)
	owner := newOrg(t, s)
	var ids []string
	for range 5 {
		ids = append(ids, taskIDs(createSchedule(t, s, owner, domain.MaxTasksPerSchedule).Tasks)...)
	}
	// 250 distinct ids, some twice, plus missing ones: 253 distinct keys.
	asked := slices.Concat(ids, ids[:20], []string{newID(), newID(), newID()})

	ctx, usage := dynamo.WithUsage(t.Context())
	refs, err := s.GetTaskRefs(ctx, asked)
	if err != nil {
		t.Fatalf("GetTaskRefs: %v", err)
	}
	got := make([]string, len(refs))
	for i, r := range refs {
		got[i] = r.TaskID
	}
	slices.Sort(got)
	want := slices.Sorted(slices.Values(ids))
	if !slices.Equal(got, want) {
		t.Errorf("GetTaskRefs returned %d refs, want the %d stored", len(got), len(want))
	}
	if n := usage.Requests(); n != 3 {
		t.Errorf("GetTaskRefs of 253 keys made %d requests, want 3 (chunks of 100)", n)
	}
	if n := usage.Rounds(); n != 1 {
		t.Errorf("GetTaskRefs took %d rounds, want 1 (chunks read concurrently)", n)
	}
	for _, c := range usage.Calls() {
		if c.Operation != "BatchGetItem" {
			t.Errorf("GetTaskRefs called %s", c.Operation)
		}
	}
}

// leaveUnprocessed makes the first times BatchGetItem calls process only
// the first half of their keys and return the rest as UnprocessedKeys, as
// DynamoDB does when throttled or over its 16 MB response limit.
func leaveUnprocessed(times int) func(*middleware.Stack) error {
	var mu sync.Mutex
	return func(stack *middleware.Stack) error {
		return stack.Initialize.Add(middleware.InitializeMiddlewareFunc("TestUnprocessed",
			func(ctx context.Context, in middleware.InitializeInput, next middleware.InitializeHandler) (middleware.InitializeOutput, middleware.Metadata, error) {
				params, ok := in.Parameters.(*dynamodb.BatchGetItemInput)
				mu.Lock()
				skip := !ok || times == 0
				if !skip {
					times--
				}
				mu.Unlock()
				if skip {
					return next.HandleInitialize(ctx, in)
				}
				unprocessed := map[string]types.KeysAndAttributes{}
				requested := map[string]types.KeysAndAttributes{}
				for table, ka := range params.RequestItems {
					half := len(ka.Keys) / 2
					rest := ka
					rest.Keys = ka.Keys[half:]
					unprocessed[table] = rest
					if half > 0 {
						ka.Keys = ka.Keys[:half]
						requested[table] = ka
					}
				}
				if len(requested) == 0 {
					// Nothing processed at all: answer without asking.
					out := middleware.InitializeOutput{Result: &dynamodb.BatchGetItemOutput{UnprocessedKeys: unprocessed}}
					return out, middleware.Metadata{}, nil
				}
				sent := *params
				sent.RequestItems = requested
				in.Parameters = &sent
				out, md, err := next.HandleInitialize(ctx, in)
				if err == nil {
					out.Result.(*dynamodb.BatchGetItemOutput).UnprocessedKeys = unprocessed
				}
				return out, md, err
			}), middleware.Before)
	}
}

func TestBatchGetRetriesUnprocessedKeys(t *testing.T) {
	endpoint := dynamotest.Endpoint(t)
	client := dynamotest.NewClient(endpoint)
	table := dynamotest.NewTable(t, client)
	setup := dynamo.New(client, table, dynamotest.Tokens())
	admin := newOrg(t, setup)
	ids := []string{admin.ID}
	for range 7 {
		ids = append(ids, createUser(t, setup, admin.OrganisationID).ID)
	}

	flaky := dynamotest.NewClient(endpoint, func(o *dynamodb.Options) {
		o.APIOptions = append(o.APIOptions, leaveUnprocessed(3))
	})
	s := dynamo.New(flaky, table, dynamotest.Tokens())
	ctx, usage := dynamo.WithUsage(t.Context())
	users, err := s.GetUsers(ctx, ids)
	if err != nil || len(users) != len(ids) {
		t.Fatalf("GetUsers = %d users, %v; want %d", len(users), err, len(ids))
	}
	// 8 keys: 4 processed, then 2, then 1, then the last 1.
	if n := usage.Requests(); n != 4 {
		t.Errorf("GetUsers made %d requests, want 4 (three with unprocessed keys)", n)
	}

	// A context that ends stops the retries.
	s = dynamo.New(dynamotest.NewClient(endpoint, func(o *dynamodb.Options) {
		o.APIOptions = append(o.APIOptions, leaveUnprocessed(1000))
	}), table, dynamotest.Tokens())
	ctx, cancel := context.WithTimeout(t.Context(), 300*time.Millisecond)
	defer cancel()
	start := time.Now()
	_, err = s.GetUsers(ctx, ids)
	if !errors.Is(err, context.DeadlineExceeded) || time.Since(start) > 5*time.Second {
		t.Errorf("GetUsers with keys left unprocessed until the deadline: %v after %v, want the deadline's error", err, time.Since(start))
	}
}
