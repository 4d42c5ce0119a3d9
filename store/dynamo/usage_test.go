package dynamo_test

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/smithy-go/middleware"

	"github.com/dayline/dayline/domain"
	"github.com/dayline/dayline/store/dynamo"
	"github.com/dayline/dayline/store/dynamo/dynamotest"
)

// hangTimeout only turns a hang into a failure: a healthy run never waits
// for it, however slow the machine.
const hangTimeout = 2 * time.Minute

// inFlight makes the DynamoDB calls made with one context wait for each
// other (see withInFlight).
type inFlight struct {
	want int
	all  chan struct{} // closed when want calls have arrived

	mu      sync.Mutex
	arrived int
}

type inFlightKey struct{}

// withInFlight returns a context whose DynamoDB calls, made with a store of
// newGatedStore, each wait until want of them are in flight at once. Calls
// the store makes concurrently thus overlap for sure, however slowly
// goroutines are scheduled (Usage.Rounds counts them as one round); calls
// it makes one after the other never get there, and fail after
// hangTimeout. Once want calls have arrived, later calls pass at once.
func withInFlight(ctx context.Context, want int) context.Context {
	return context.WithValue(ctx, inFlightKey{}, &inFlight{want: want, all: make(chan struct{})})
}

// arrive counts a call and waits until want calls have arrived.
func (f *inFlight) arrive(ctx context.Context) error {
	f.mu.Lock()
	f.arrived++
	if f.arrived == f.want {
		close(f.all)
	}
	f.mu.Unlock()
	select {
	case <-f.all:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	case <-time.After(hangTimeout):
		f.mu.Lock()
		defer f.mu.Unlock()
		return fmt.Errorf("%d of %d calls in flight after %v: the calls were not made concurrently", f.arrived, f.want, hangTimeout)
	}
}

// newGatedStore returns a test store whose calls made with a context of
// withInFlight wait for each other; other calls pass untouched. The wait
// sits after the request accounting, so every call of a round starts
// (Call.Start) before any of them ends.
func newGatedStore(t *testing.T) *dynamo.Store {
	t.Helper()
	gate := func(stack *middleware.Stack) error {
		return stack.Initialize.Add(middleware.InitializeMiddlewareFunc("TestInFlight",
			func(ctx context.Context, in middleware.InitializeInput, next middleware.InitializeHandler) (middleware.InitializeOutput, middleware.Metadata, error) {
				if f, ok := ctx.Value(inFlightKey{}).(*inFlight); ok {
					if err := f.arrive(ctx); err != nil {
						return middleware.InitializeOutput{}, middleware.Metadata{}, err
					}
				}
				return next.HandleInitialize(ctx, in)
			}), middleware.After)
	}
	client := dynamotest.NewClient(dynamotest.Endpoint(t), func(o *dynamodb.Options) {
		o.APIOptions = append(o.APIOptions, gate)
	})
	return dynamo.New(client, dynamotest.NewTable(t, client), dynamotest.Tokens())
}

func TestUsageCountsRequests(t *testing.T) {
	s := newGatedStore(t)
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

	// One Query per owner, all in flight at once.
	ctx, usage = dynamo.WithUsage(withInFlight(t.Context(), len(owners)))
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
