package dynamo

import (
	"context"
	"errors"
	"fmt"

	"github.com/aws/aws-sdk-go-v2/aws"
	awsconfig "github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
)

// ErrNoRegion is returned by NewClient when neither ClientConfig.Region nor
// the AWS SDK's sources name a region.
var ErrNoRegion = errors.New("no AWS region")

// ClientConfig says which DynamoDB a client of NewClient talks to and how.
// Its zero value is a client of AWS in the region and with the credentials
// of the AWS SDK's usual sources.
type ClientConfig struct {
	// Endpoint overrides the AWS endpoint, e.g. http://127.0.0.1:8000 for
	// DynamoDB Local; "" talks to AWS.
	Endpoint string
	// Region is the AWS region; "" takes it from the AWS SDK's sources
	// ($AWS_REGION, the shared config files).
	Region string
	// Credentials sign the requests; nil takes them from the AWS SDK's
	// sources (environment, shared files, instance or task role).
	// LocalCredentials suit DynamoDB Local.
	Credentials aws.CredentialsProvider
	// MaxAttempts bounds the attempts of one call, as in ClientOptions
	// (DefaultMaxAttempts when < 1).
	MaxAttempts int
	// Options adjust the client last, after ClientOptions (a test shortens
	// the retries or counts the calls, say).
	Options []func(*dynamodb.Options)
}

// LocalCredentials returns the static credentials clients of DynamoDB
// Local use: it accepts any, and keeps one database per access key and
// region.
func LocalCredentials() aws.CredentialsProvider {
	return credentials.NewStaticCredentialsProvider("local", "local", "")
}

// LocalRegion is the region of clients of DynamoDB Local: it accepts any,
// and keeps one database per access key (LocalCredentials) and region, so
// every client of the same data names the same one.
const LocalRegion = "us-east-1"

// NewClient returns a DynamoDB client for cfg, configured as Store needs
// (ClientOptions, then cfg.Options). With an Endpoint it does not validate
// response checksums: DynamoDB Local's error answers carry no valid CRC32.
//
// With both Region and Credentials set it reads no AWS configuration and
// returns no error. Otherwise it loads the missing settings from the AWS
// SDK's sources and returns an error wrapping the cause if that fails, or
// ErrNoRegion if no region results.
func NewClient(ctx context.Context, cfg ClientConfig) (*dynamodb.Client, error) {
	awsCfg := aws.Config{Region: cfg.Region, Credentials: cfg.Credentials}
	if cfg.Region == "" || cfg.Credentials == nil {
		var opts []func(*awsconfig.LoadOptions) error
		if cfg.Region != "" {
			opts = append(opts, awsconfig.WithRegion(cfg.Region))
		}
		if cfg.Credentials != nil {
			opts = append(opts, awsconfig.WithCredentialsProvider(cfg.Credentials))
		}
		loaded, err := awsconfig.LoadDefaultConfig(ctx, opts...)
		if err != nil {
			return nil, fmt.Errorf("load AWS configuration: %w", err)
		}
		awsCfg = loaded
	}
	if awsCfg.Region == "" {
		return nil, ErrNoRegion
	}
	optFns := append([]func(*dynamodb.Options){ClientOptions(cfg.MaxAttempts), func(o *dynamodb.Options) {
		if cfg.Endpoint != "" {
			o.BaseEndpoint = aws.String(cfg.Endpoint)
			o.DisableValidateResponseChecksum = true
		}
	}}, cfg.Options...)
	return dynamodb.NewFromConfig(awsCfg, optFns...), nil
}
