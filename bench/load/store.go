package main

import (
	"context"
	"fmt"
	"path/filepath"
	"sync/atomic"

	"github.com/dayline/dayline/api"
	"github.com/dayline/dayline/store"
	"github.com/dayline/dayline/store/bolt"
	"github.com/dayline/dayline/store/dynamo"
)

// openStore opens the store to load: a bolt file in dir, or a fresh table
// on the DynamoDB at endpoint (dummy credentials: DynamoDB Local).
func openStore(kind, endpoint, dir string) (store.Store, *usageTotals, error) {
	tokens := store.NewPageTokens([]byte("load-secret"))
	switch kind {
	case "bolt":
		st, err := bolt.Open(dir+"/dayline.db", tokens)
		return st, &usageTotals{}, err
	case "dynamodb":
		if endpoint == "" {
			return nil, nil, fmt.Errorf("-store dynamodb needs -dynamodb-endpoint")
		}
		client, err := dynamo.NewClient(dynamo.ClientConfig{
			Endpoint: endpoint, Region: dynamo.LocalRegion, Credentials: dynamo.LocalCredentials()})
		if err != nil {
			return nil, nil, fmt.Errorf("dynamodb client: %w", err)
		}
		table := "dayline-load-" + filepath.Base(dir)
		if err := dynamo.CreateTable(context.Background(), client, table); err != nil {
			return nil, nil, fmt.Errorf("create table: %w", err)
		}
		return dynamo.New(client, table, tokens), &usageTotals{dynamo: true}, nil
	}
	return nil, nil, fmt.Errorf("unknown store %q", kind)
}

// usageTotals adds up the DynamoDB requests of every operation.
type usageTotals struct {
	dynamo     bool
	operations atomic.Int64
	requests   atomic.Int64
}

func (u *usageTotals) meter() api.UsageMeter {
	if !u.dynamo {
		return nil
	}
	return func(ctx context.Context) (context.Context, func() api.StoreUsage) {
		ctx, usage := dynamo.WithUsage(ctx)
		return ctx, func() api.StoreUsage {
			u.operations.Add(1)
			u.requests.Add(int64(usage.Requests()))
			return api.StoreUsage{Requests: usage.Requests()}
		}
	}
}

func (u *usageTotals) reset() { u.operations.Store(0); u.requests.Store(0) }

func (u *usageTotals) perOperation() string {
	n := u.operations.Load()
	if !u.dynamo || n == 0 {
		return "-"
	}
	return fmt.Sprintf("%.1f", float64(u.requests.Load())/float64(n))
}
