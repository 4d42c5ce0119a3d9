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
	s := newGatedStore(t)
	owner := newOrg(t, s)
	var ids []string
	for range 5 {
		ids = append(ids, taskIDs(createSchedule(t, s, owner, domain.MaxTasksPerSchedule).Tasks)...)
	}
	// 250 distinct ids, some twice, plus missing ones: 253 distinct keys.
	asked := slices.Concat(ids, ids[:20], []string{newID(), newID(), newID()})

	// Three chunks, all in flight at once.
	ctx, usage := dynamo.WithUsage(withInFlight(t.Context(), 3))
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

// unprocessedStore returns a store on table whose BatchGetItem calls leave
// keys unprocessed the first times (leaveUnprocessed), and which backs off
// by delay(attempt) before asking again.
func unprocessedStore(endpoint, table string, times int, delay func(attempt int) time.Duration) *dynamo.Store {
	s := dynamo.New(dynamotest.NewClient(endpoint, func(o *dynamodb.Options) {
		o.APIOptions = append(o.APIOptions, leaveUnprocessed(times))
	}), table, dynamotest.Tokens())
	s.SetUnprocessedDelay(delay)
	return s
}

// backoffs records the attempts a store backed off after, waiting 0.
type backoffs struct {
	mu       sync.Mutex
	attempts []int
}

func (b *backoffs) delay(attempt int) time.Duration {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.attempts = append(b.attempts, attempt)
	return 0
}

func (b *backoffs) after() []int {
	b.mu.Lock()
	defer b.mu.Unlock()
	return slices.Clone(b.attempts)
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

	t.Run("until every key is read", func(t *testing.T) {
		var b backoffs
		s := unprocessedStore(endpoint, table, 3, b.delay)
		ctx, usage := dynamo.WithUsage(t.Context())
		users, err := s.GetUsers(ctx, ids)
		if err != nil || len(users) != len(ids) {
			t.Fatalf("GetUsers = %d users, %v; want %d", len(users), err, len(ids))
		}
		// 8 keys: 4 processed, then 2, then 1, then the last 1.
		if n := usage.Requests(); n != 4 {
			t.Errorf("GetUsers made %d requests, want 4 (three with unprocessed keys)", n)
		}
		if got := b.after(); !slices.Equal(got, []int{1, 2, 3}) {
			t.Errorf("backed off after attempts %v, want [1 2 3]", got)
		}
	})

	t.Run("at most maxUnprocessedAttempts calls", func(t *testing.T) {
		var b backoffs
		s := unprocessedStore(endpoint, table, 1000, b.delay)
		_, err := s.GetUsers(t.Context(), ids)
		if code := domain.ErrorCode(err); code != domain.CodeUnavailable {
			t.Errorf("GetUsers with keys always left unprocessed: %v (%s), want %s", err, code, domain.CodeUnavailable)
		}
		// A backoff after every attempt but the last: calls 1 to 10.
		want := make([]int, dynamo.MaxUnprocessedAttempts-1)
		for i := range want {
			want[i] = i + 1
		}
		if got := b.after(); !slices.Equal(got, want) {
			t.Errorf("backed off after attempts %v, want %v", got, want)
		}
	})

	t.Run("a context that ends stops the backoff", func(t *testing.T) {
		// The backoff is far longer than any run: only the cancellation
		// can end it.
		backingOff := make(chan int, dynamo.MaxUnprocessedAttempts)
		s := unprocessedStore(endpoint, table, 1000, func(attempt int) time.Duration {
			backingOff <- attempt
			return time.Hour
		})
		ctx, cancel := context.WithCancel(t.Context())
		defer cancel()
		ctx, usage := dynamo.WithUsage(ctx)
		done := make(chan error, 1)
		go func() {
			_, err := s.GetUsers(ctx, ids)
			done <- err
		}()
		select {
		case attempt := <-backingOff:
			if attempt != 1 {
				t.Errorf("first backoff after attempt %d, want 1", attempt)
			}
		case err := <-done:
			t.Fatalf("GetUsers returned %v before backing off", err)
		}
		cancel()
		var err error
		select {
		case err = <-done:
		case <-time.After(hangTimeout): // a hang turned into a failure
			t.Fatalf("GetUsers still backing off %v after its context was cancelled", hangTimeout)
		}
		if !errors.Is(err, context.Canceled) {
			t.Errorf("GetUsers cancelled while backing off: %v, want the context's error", err)
		}
		if n := usage.Requests(); n != 1 {
			t.Errorf("GetUsers made %d requests, want 1 (none after the cancellation)", n)
		}
	})
}
