package main

import (
	"context"
	"fmt"

	"github.com/aws/aws-sdk-go-v2/aws"
	awsconfig "github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"

	"github.com/dayline/dayline/api"
	"github.com/dayline/dayline/store/dynamo"
)

// newDynamoClient builds the DynamoDB client from cfg and the AWS SDK's
// usual sources (environment, shared config, instance role). With an
// endpoint override (DynamoDB Local) and no AWS credentials in the
// environment it uses dummy credentials, which DynamoDB Local accepts.
func newDynamoClient(ctx context.Context, cfg config, env func(string) (string, bool)) (*dynamodb.Client, error) {
	var opts []func(*awsconfig.LoadOptions) error
	if cfg.Region != "" {
		opts = append(opts, awsconfig.WithRegion(cfg.Region))
	}
	if _, ok := env("AWS_ACCESS_KEY_ID"); cfg.DynamoEndpoint != "" && !ok {
		opts = append(opts, awsconfig.WithCredentialsProvider(credentials.NewStaticCredentialsProvider("local", "local", "")))
		if cfg.Region == "" {
			opts = append(opts, awsconfig.WithRegion("us-east-1"))
		}
	}
	awsCfg, err := awsconfig.LoadDefaultConfig(ctx, opts...)
	if err != nil {
		return nil, fmt.Errorf("load AWS configuration: %w", err)
	}
	if awsCfg.Region == "" {
		return nil, fmt.Errorf("no AWS region: set --region, $DAYLINE_DYNAMODB_REGION or $AWS_REGION")
	}
	return dynamodb.NewFromConfig(awsCfg, dynamo.ClientOptions(0), func(o *dynamodb.Options) {
		if cfg.DynamoEndpoint != "" {
			o.BaseEndpoint = aws.String(cfg.DynamoEndpoint)
			// DynamoDB Local's error answers carry no valid CRC32; checking
			// it only logs warnings.
			o.DisableValidateResponseChecksum = true
		}
	}), nil
}

// dynamoMeter counts the DynamoDB requests of each GraphQL operation.
func dynamoMeter(ctx context.Context) (context.Context, func() api.StoreUsage) {
	ctx, u := dynamo.WithUsage(ctx)
	return ctx, func() api.StoreUsage {
		return api.StoreUsage{Requests: u.Requests(), CapacityUnits: u.CapacityUnits(), Rounds: u.Rounds()}
	}
}
