package main

import (
	"context"
	"fmt"
	"io"
	"path/filepath"

	"github.com/dayline/dayline/api"
	"github.com/dayline/dayline/app"
	"github.com/dayline/dayline/loaders"
	"github.com/dayline/dayline/store"
	"github.com/dayline/dayline/store/bolt"
	"github.com/dayline/dayline/store/dynamo"
)

// Both stores satisfy the contract, and so every store interface its
// consumers declare (app's services, the loaders).
var (
	_ store.Store         = (*bolt.Store)(nil)
	_ store.Store         = (*dynamo.Store)(nil)
	_ app.UserStore       = store.Store(nil)
	_ app.ScheduleStore   = store.Store(nil)
	_ app.CompletionStore = store.Store(nil)
	_ loaders.Source      = store.Store(nil)
)

// openedStore is the configured store, how to close it, and (DynamoDB) how
// to count its requests per operation.
type openedStore struct {
	store.Store
	close func() error
	meter api.UsageMeter
}

// tableCheck says whether openStore asks DynamoDB whether the table exists.
type tableCheck bool

const (
	checkTable tableCheck = true
	// skipTableCheck opens without a network call (a Lambda's init): a
	// missing table shows in the first request's error instead.
	skipTableCheck tableCheck = false
)

// openStore opens the store cfg.Store names. For DynamoDB, with
// checkTable, it checks that the table exists (the error names `dayline
// table create` when not).
func openStore(ctx context.Context, cfg config, env func(string) (string, bool), check tableCheck) (openedStore, error) {
	switch cfg.Store {
	case "bolt":
		st, err := openEmbeddedStore(cfg)
		if err != nil {
			return openedStore{}, err
		}
		return openedStore{Store: st, close: st.Close}, nil
	case "dynamodb":
		client, err := newDynamoClient(cfg, env)
		if err != nil {
			return openedStore{}, err
		}
		secret, err := pageTokenSecret(cfg)
		if err != nil {
			return openedStore{}, err
		}
		st := dynamo.New(client, cfg.Table, store.NewPageTokens(secret))
		if check {
			if err := st.CheckTable(ctx); err != nil {
				return openedStore{}, err
			}
		}
		return openedStore{Store: st, close: func() error { return nil }, meter: dynamoMeter}, nil
	}
	return openedStore{}, fmt.Errorf("unknown store %q: want bolt or dynamodb", cfg.Store)
}

// minPageTokenSecret is the shortest page-token secret accepted.
const minPageTokenSecret = 16

// pageTokenSecret is the configured secret, or one kept beside the database.
func pageTokenSecret(cfg config) ([]byte, error) {
	if cfg.PageTokenSecret != "" {
		if len(cfg.PageTokenSecret) < minPageTokenSecret {
			return nil, fmt.Errorf("--page-token-secret must be at least %d bytes", minPageTokenSecret)
		}
		return []byte(cfg.PageTokenSecret), nil
	}
	return loadOrCreateSecret(filepath.Join(dataDir(cfg), "page-token.secret"))
}

// tableCreate creates the DynamoDB table and its index: `dayline table
// create`.
func tableCreate(ctx context.Context, cfg config, stdout, stderr io.Writer, env func(string) (string, bool)) error {
	client, err := newDynamoClient(cfg, env)
	if err != nil {
		return err
	}
	fmt.Fprintf(stderr, "creating DynamoDB table %q and its index (waits until active) ...\n", cfg.Table)
	if err := dynamo.CreateTable(ctx, client, cfg.Table); err != nil {
		return fmt.Errorf("create table %q: %w", cfg.Table, err)
	}
	fmt.Fprintf(stdout, "table %q is ready\n", cfg.Table)
	return nil
}
