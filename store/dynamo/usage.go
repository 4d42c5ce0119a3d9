package dynamo

import (
	"context"
	"slices"
	"sync"
	"time"

	awsmiddleware "github.com/aws/aws-sdk-go-v2/aws/middleware"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
	"github.com/aws/smithy-go/middleware"
)

// Usage adds up the DynamoDB calls made with one context (see WithUsage):
// how many, the capacity units they consumed, and when each ran. It is
// safe for concurrent use; the methods of a nil *Usage return zero values.
type Usage struct {
	mu    sync.Mutex
	calls []Call
}

// Call is one DynamoDB API call as the accounting middleware saw it: the
// SDK's retries of the call are inside it.
type Call struct {
	Operation     string // e.g. "BatchGetItem"
	Start, End    time.Time
	CapacityUnits float64 // ConsumedCapacity the answer reported (0 on error)
	Failed        bool
}

type usageKey struct{}

// WithUsage returns a context in which every DynamoDB call made through a
// client built with ClientOptions (or APIOptions) is recorded in the
// returned Usage. A context that has a Usage already gets a fresh one that
// replaces it.
func WithUsage(ctx context.Context) (context.Context, *Usage) {
	u := &Usage{}
	return context.WithValue(ctx, usageKey{}, u), u
}

// UsageFrom returns the Usage WithUsage put in ctx, or nil when there is
// none (a nil *Usage is safe to use and reports nothing).
func UsageFrom(ctx context.Context) *Usage {
	u, _ := ctx.Value(usageKey{}).(*Usage)
	return u
}

// Requests returns the number of calls made.
func (u *Usage) Requests() int {
	if u == nil {
		return 0
	}
	u.mu.Lock()
	defer u.mu.Unlock()
	return len(u.calls)
}

// CapacityUnits returns the capacity units the calls consumed, as DynamoDB
// reported them (ReturnConsumedCapacity TOTAL).
func (u *Usage) CapacityUnits() float64 {
	if u == nil {
		return 0
	}
	u.mu.Lock()
	defer u.mu.Unlock()
	total := 0.0
	for _, c := range u.calls {
		total += c.CapacityUnits
	}
	return total
}

// Calls returns a copy of the calls made, in the order they ended.
func (u *Usage) Calls() []Call {
	if u == nil {
		return nil
	}
	u.mu.Lock()
	defer u.mu.Unlock()
	return slices.Clone(u.calls)
}

// Rounds returns the number of sequential rounds the calls took: calls are
// taken in order of start; a call that starts after every call of the
// current round has ended opens a new round, any other call joins the
// current one (it overlapped it). Calls run concurrently thus count as one
// round, calls that waited for each other as one round each. This is the
// number a test compares with the batching it expects (for example an
// agenda read in at most 2 rounds, whatever the number of owners).
func (u *Usage) Rounds() int {
	calls := u.Calls()
	slices.SortFunc(calls, func(a, b Call) int { return a.Start.Compare(b.Start) })
	rounds := 0
	var roundEnd time.Time
	for _, c := range calls {
		if rounds == 0 || c.Start.After(roundEnd) {
			rounds++
			roundEnd = c.End
			continue
		}
		if c.End.After(roundEnd) {
			roundEnd = c.End
		}
	}
	return rounds
}

func (u *Usage) record(c Call) {
	u.mu.Lock()
	defer u.mu.Unlock()
	u.calls = append(u.calls, c)
}

// APIOptions returns the SDK middleware that records each DynamoDB call in
// the Usage of its context (WithUsage), for dynamodb.Options.APIOptions or
// config.WithAPIOptions. It sits at the end of the Initialize step, so it
// sees each API call once, whatever the retries, with its decoded output.
// Calls with a context without Usage pass through untouched.
func APIOptions() []func(*middleware.Stack) error {
	return []func(*middleware.Stack) error{addUsageMiddleware}
}

const usageMiddlewareID = "DaylineUsage"

func addUsageMiddleware(stack *middleware.Stack) error {
	if _, ok := stack.Initialize.Get(usageMiddlewareID); ok {
		return nil // added once, even if APIOptions is applied twice
	}
	return stack.Initialize.Add(middleware.InitializeMiddlewareFunc(usageMiddlewareID,
		func(ctx context.Context, in middleware.InitializeInput, next middleware.InitializeHandler) (middleware.InitializeOutput, middleware.Metadata, error) {
			u := UsageFrom(ctx)
			if u == nil {
				return next.HandleInitialize(ctx, in)
			}
			start := time.Now()
			out, md, err := next.HandleInitialize(ctx, in)
			u.record(Call{
				Operation:     awsmiddleware.GetOperationName(ctx),
				Start:         start,
				End:           time.Now(),
				CapacityUnits: consumedCapacity(out.Result),
				Failed:        err != nil,
			})
			return out, md, err
		}), middleware.After)
}

// consumedCapacity returns the capacity units a DynamoDB output reports.
func consumedCapacity(result any) float64 {
	switch out := result.(type) {
	case *dynamodb.GetItemOutput:
		return capacityUnits(out.ConsumedCapacity)
	case *dynamodb.PutItemOutput:
		return capacityUnits(out.ConsumedCapacity)
	case *dynamodb.UpdateItemOutput:
		return capacityUnits(out.ConsumedCapacity)
	case *dynamodb.DeleteItemOutput:
		return capacityUnits(out.ConsumedCapacity)
	case *dynamodb.QueryOutput:
		return capacityUnits(out.ConsumedCapacity)
	case *dynamodb.ScanOutput:
		return capacityUnits(out.ConsumedCapacity)
	case *dynamodb.BatchGetItemOutput:
		return sumCapacityUnits(out.ConsumedCapacity)
	case *dynamodb.BatchWriteItemOutput:
		return sumCapacityUnits(out.ConsumedCapacity)
	case *dynamodb.TransactGetItemsOutput:
		return sumCapacityUnits(out.ConsumedCapacity)
	case *dynamodb.TransactWriteItemsOutput:
		return sumCapacityUnits(out.ConsumedCapacity)
	}
	return 0
}

func capacityUnits(c *types.ConsumedCapacity) float64 {
	if c == nil || c.CapacityUnits == nil {
		return 0
	}
	return *c.CapacityUnits
}

func sumCapacityUnits(cs []types.ConsumedCapacity) float64 {
	total := 0.0
	for i := range cs {
		total += capacityUnits(&cs[i])
	}
	return total
}
