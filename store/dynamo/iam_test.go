package dynamo_test

import (
	"context"
	"maps"
	"slices"
	"sync"
	"testing"

	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/smithy-go/middleware"

	"github.com/dayline/dayline/store"
	"github.com/dayline/dayline/store/dynamo"
	"github.com/dayline/dayline/store/dynamo/dynamotest"
	"github.com/dayline/dayline/store/storetest"
)

// actionRecorder records the IAM actions of the DynamoDB calls a client
// makes: each operation's, and those of a transaction's items.
type actionRecorder struct {
	mu      sync.Mutex
	actions map[string]bool
}

// option adds the recording middleware to a client's stack.
func (r *actionRecorder) option(o *dynamodb.Options) {
	o.APIOptions = append(o.APIOptions, func(stack *middleware.Stack) error {
		return stack.Initialize.Add(middleware.InitializeMiddlewareFunc("RecordIAMActions",
			func(ctx context.Context, in middleware.InitializeInput, next middleware.InitializeHandler) (middleware.InitializeOutput, middleware.Metadata, error) {
				r.record(middleware.GetOperationName(ctx), in.Parameters)
				return next.HandleInitialize(ctx, in)
			}), middleware.Before)
	})
}

func (r *actionRecorder) record(operation string, params any) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.actions["dynamodb:"+operation] = true
	if tx, ok := params.(*dynamodb.TransactWriteItemsInput); ok {
		for _, item := range tx.TransactItems {
			switch {
			case item.Put != nil:
				r.actions["dynamodb:PutItem"] = true
			case item.Delete != nil:
				r.actions["dynamodb:DeleteItem"] = true
			case item.Update != nil:
				r.actions["dynamodb:UpdateItem"] = true
			case item.ConditionCheck != nil:
				r.actions["dynamodb:ConditionCheckItem"] = true
			}
		}
	}
}

func (r *actionRecorder) sorted() []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	return slices.Sorted(maps.Keys(r.actions))
}

// TestStoreActions runs the store contract suite with a client that records
// the IAM actions of every call the store makes (the tables are made and
// dropped by another client) and checks that dynamo.StoreActions, what the
// deployment template's role allows, lists exactly those.
func TestStoreActions(t *testing.T) {
	endpoint := dynamotest.Endpoint(t)
	calls := &actionRecorder{actions: map[string]bool{}}
	admin := dynamotest.NewClient(endpoint)
	recording := dynamotest.NewClient(endpoint, calls.option)
	t.Run("Contract", func(t *testing.T) {
		storetest.Run(t, func(t *testing.T) store.Store {
			return dynamo.New(recording, dynamotest.NewTable(t, admin), dynamotest.Tokens())
		})
	})
	if t.Failed() {
		return
	}
	if got, want := calls.sorted(), dynamo.StoreActions(); !slices.Equal(got, want) {
		t.Errorf("the store called %v\ndynamo.StoreActions lists %v", got, want)
	}
}
