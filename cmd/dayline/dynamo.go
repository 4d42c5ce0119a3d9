package main

import (
	"context"
	"errors"
	"fmt"

	"github.com/aws/aws-sdk-go-v2/service/dynamodb"

	"github.com/dayline/dayline/api"
	"github.com/dayline/dayline/store/dynamo"
)

// newDynamoClient builds the DynamoDB client from cfg and the environment:
// the region of --region, else $AWS_REGION or $AWS_DEFAULT_REGION; the
// credentials of dynamo.AWSCredentials (keys in the environment, a
// container's or an instance's role). With an endpoint override
// (DynamoDB Local) and no AWS credentials in the environment it uses
// dummy credentials and region, which DynamoDB Local accepts.
func newDynamoClient(cfg config, env func(string) (string, bool)) (*dynamodb.Client, error) {
	ccfg := dynamo.ClientConfig{Endpoint: cfg.DynamoEndpoint, Region: cfg.Region, Credentials: dynamo.AWSCredentials(env)}
	if ccfg.Region == "" {
		ccfg.Region = dynamo.AWSRegion(env)
	}
	if _, ok := env("AWS_ACCESS_KEY_ID"); cfg.DynamoEndpoint != "" && !ok {
		ccfg.Credentials = dynamo.LocalCredentials()
		if ccfg.Region == "" {
			ccfg.Region = dynamo.LocalRegion
		}
	}
	client, err := dynamo.NewClient(ccfg)
	if errors.Is(err, dynamo.ErrNoRegion) {
		return nil, fmt.Errorf("no AWS region: set %s or $AWS_REGION", named("region"))
	}
	return client, err
}

// dynamoMeter counts the DynamoDB requests of each GraphQL operation.
func dynamoMeter(ctx context.Context) (context.Context, func() api.StoreUsage) {
	ctx, u := dynamo.WithUsage(ctx)
	return ctx, func() api.StoreUsage {
		return api.StoreUsage{Requests: u.Requests(), CapacityUnits: u.CapacityUnits(), Rounds: u.Rounds()}
	}
}
