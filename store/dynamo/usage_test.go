package dynamo_test

import (
	"context"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/smithy-go/middleware"

	"github.com/dayline/dayline/domain"
	"github.com/dayline/dayline/store/dynamo"
	"github.com/dayline/dayline/store/dynamo/dynamotest"
)

// newSlowStore returns a test store whose calls take at least latency more
// when their context has a Usage: concurrent calls then overlap for sure,
// however slowly goroutines are scheduled, and Usage.Rounds is exact.
func newSlowStore(t *testing.T, latency time.Duration) *dynamo.Store {
	t.Helper()
	slow := func(stack *middleware.Stack) error {
		return stack.Finalize.Add(middleware.FinalizeMiddlewareFunc("TestLatency",
			func(ctx context.Context, in middleware.FinalizeInput, next middleware.FinalizeHandler) (middleware.FinalizeOutput, middleware.Metadata, error) {
				if dynamo.UsageFrom(ctx) != nil {
					time.Sleep(latency)
				}
				return next.HandleFinalize(ctx, in)
			}), middleware.After)
	}
	client := dynamotest.NewClient(dynamotest.Endpoint(t), func(o *dynamodb.Options) {
		o.APIOptions = append(o.APIOptions, slow)
	})
	return dynamo.New(client, dynamotest.NewTable(t, client), dynamotest.Tokens())
}

func TestUsageCountsRequests(t *testing.T) {
	s := newSlowStore(t, 100*time.Millisecond)
	admin := newOrg(t, s)
	owners := make([]string, 10)
	for i := range owners {
		owner := createUser(t, s, admin.OrganisationID)
		createSchedule(t, s, owner, 2)
		owners[i] = owner.ID
	}

	ctx, usage := dynamo.WithUsage(t.Context())
	if dynamo.UsageFrom(ctx) != usage {
		t.Fatal("UsageFrom does not return the Usage of WithUsage")
	}
	if _, err := s.GetUsers(ctx, owners); err != nil {
		t.Fatalf("GetUsers: %v", err)
	}
	if n := usage.Requests(); n != 1 {
		t.Errorf("GetUsers of %d ids made %d requests, want 1", len(owners), n)
	}
	if usage.CapacityUnits() <= 0 {
		t.Errorf("consumed capacity = %v, want > 0", usage.CapacityUnits())
	}

	ctx, usage = dynamo.WithUsage(t.Context())
	byOwner, err := s.SchedulesByOwners(ctx, append(owners, owners[0]))
	if err != nil || len(byOwner) != len(owners) {
		t.Fatalf("SchedulesByOwners: %d owners, %v", len(byOwner), err)
	}
	if n, r := usage.Requests(), usage.Rounds(); n != len(owners) || r != 1 {
		t.Errorf("SchedulesByOwners of %d owners: %d requests in %d rounds, want %d in 1", len(owners), n, r, len(owners))
	}
	if _, err := s.GetUsers(ctx, owners); err != nil {
		t.Fatalf("GetUsers: %v", err)
	}
	if r := usage.Rounds(); r != 2 {
		t.Errorf("SchedulesByOwners then GetUsers took %d rounds, want 2", r)
	}

	// A second completion of the same task is answered from the failed
	// condition's ALL_OLD item: no extra read.
	sc := byOwner[owners[0]][0]
	c := domain.Completion{OwnerID: sc.OwnerID, OrganisationID: sc.OrganisationID, ScheduleID: sc.ID,
		TaskID: sc.Tasks[0].ID, Date: "2026-03-30", CompletedAt: &created}
	if _, err := s.PutCompletion(t.Context(), c); err != nil {
		t.Fatalf("PutCompletion: %v", err)
	}
	ctx, usage = dynamo.WithUsage(t.Context())
	later := created.Add(time.Hour)
	c.CompletedAt = &later
	got, err := s.PutCompletion(ctx, c)
	if err != nil || !got.CompletedAt.Equal(created) {
		t.Fatalf("second PutCompletion = %+v, %v; want the first CompletedAt", got, err)
	}
	if n := usage.Requests(); n != 1 {
		t.Errorf("second PutCompletion made %d requests, want 1", n)
	}

	if dynamo.UsageFrom(t.Context()) != nil {
		t.Error("UsageFrom of a context without Usage is not nil")
	}
	var none *dynamo.Usage
	if none.Requests() != 0 || none.Rounds() != 0 || none.CapacityUnits() != 0 {
		t.Error("a nil Usage reports calls")
	}
}
