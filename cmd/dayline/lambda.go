package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"

	awslambda "github.com/aws/aws-lambda-go/lambda"

	"github.com/dayline/dayline/appsync"
	"github.com/dayline/dayline/lambda"
)

// envLambdaRuntimeAPI is set by AWS Lambda (and its Runtime Interface
// Emulator) to the Runtime API's address: with it and no verb, dayline
// runs the lambda verb.
const envLambdaRuntimeAPI = "AWS_LAMBDA_RUNTIME_API"

var _ awslambda.Handler = (*lambda.Handler)(nil)

// serveLambda serves Lambda events until ctx is done (SIGTERM): `dayline
// lambda`. HTTP front doors' events go through the server's HTTP handler,
// AppSync resolver events through package appsync, both over one GraphQL
// handler. Its init reads the configuration once and makes no network call:
// no DynamoDB table check, no JWKS fetch (the verifier fetches the keys when
// the first token needs them).
func serveLambda(ctx context.Context, cfg config, stdout, stderr io.Writer, env func(string) (string, bool)) error {
	if _, ok := env(envLambdaRuntimeAPI); !ok {
		return fmt.Errorf("dayline lambda runs inside AWS Lambda (or its Runtime Interface Emulator): $%s is not set; to serve HTTP here, run dayline serve", envLambdaRuntimeAPI)
	}
	logger, err := newLogger(cfg.LogLevel, stderr)
	if err != nil {
		return err
	}
	logger = slog.New(lambda.NewLogHandler(logger.Handler()))
	st, err := openStore(ctx, cfg, env, skipTableCheck)
	if err != nil {
		return err
	}
	defer st.close()
	an, err := newAuthn(cfg)
	if err != nil {
		return err
	}
	dir, err := newDirectory(cfg, env) // no network call
	if err != nil {
		return err
	}
	gql := newGraphQL(cfg, st, dir, logger, nil)
	var resolvers lambda.EventHandler // AppSync events are refused unless asked for
	if cfg.AppSync {
		resolvers = appsync.New(appsync.Config{GraphQL: gql, Logger: logger, Issuer: cfg.Issuer})
	}
	h := lambda.New(newHTTPHandler(cfg, gql, an, logger, nil), resolvers, lambda.WithLogger(logger))
	logger.Info("lambda ready", "store", cfg.Store, "dev_mode", an.local != nil)
	// The runtime loop never returns: it exits the process when the
	// Runtime API goes away. SIGTERM (Lambda's shutdown) ends ctx instead.
	go awslambda.StartWithOptions(h, awslambda.WithContext(ctx))
	<-ctx.Done()
	logger.Info("stopped")
	return nil
}
