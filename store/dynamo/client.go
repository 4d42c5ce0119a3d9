package dynamo

import (
	"errors"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
)

// ErrNoRegion is returned by NewClient when ClientConfig.Region is "".
var ErrNoRegion = errors.New("no AWS region")

// ErrNoCredentials is returned by NewClient when ClientConfig.Credentials
// is nil.
var ErrNoCredentials = errors.New("no AWS credentials")

// ClientConfig says which DynamoDB a client of NewClient talks to and how.
// Region and Credentials are required: NewClient reads no AWS
// configuration of its own (the AWS SDK's config loader, with its shared
// files, SSO and STS clients, would make up a tenth of the Lambda's
// binary). AWSRegion and AWSCredentials give what the AWS SDK's usual
// sources would, for the places Dayline runs.
type ClientConfig struct {
	// Endpoint overrides the AWS endpoint, e.g. http://127.0.0.1:8000 for
	// DynamoDB Local; "" talks to AWS.
	Endpoint string
	// Region is the AWS region (LocalRegion for DynamoDB Local).
	Region string
	// Credentials sign the requests: AWSCredentials on AWS,
	// LocalCredentials for DynamoDB Local.
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
// It makes no network call and reads no file. It returns ErrNoRegion
// without cfg.Region and ErrNoCredentials without cfg.Credentials.
func NewClient(cfg ClientConfig) (*dynamodb.Client, error) {
	switch {
	case cfg.Region == "":
		return nil, ErrNoRegion
	case cfg.Credentials == nil:
		return nil, ErrNoCredentials
	}
	awsCfg := aws.Config{Region: cfg.Region, Credentials: cfg.Credentials}
	optFns := append([]func(*dynamodb.Options){ClientOptions(cfg.MaxAttempts), func(o *dynamodb.Options) {
		if cfg.Endpoint != "" {
			o.BaseEndpoint = aws.String(cfg.Endpoint)
			o.DisableValidateResponseChecksum = true
		}
	}}, cfg.Options...)
	return dynamodb.NewFromConfig(awsCfg, optFns...), nil
}
