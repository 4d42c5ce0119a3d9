package dynamo

import (
	"fmt"
	"os"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/credentials/ec2rolecreds"
	"github.com/aws/aws-sdk-go-v2/credentials/endpointcreds"
)

// The environment variables AWS sets (or a shell exports) for the AWS
// SDKs, read through the lookup function the caller passes.
const (
	envRegion             = "AWS_REGION"
	envDefaultRegion      = "AWS_DEFAULT_REGION"
	envAccessKeyID        = "AWS_ACCESS_KEY_ID"
	envSecretAccessKey    = "AWS_SECRET_ACCESS_KEY"
	envSessionToken       = "AWS_SESSION_TOKEN"
	envContainerFullURI   = "AWS_CONTAINER_CREDENTIALS_FULL_URI"
	envContainerRelURI    = "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI"
	envContainerToken     = "AWS_CONTAINER_AUTHORIZATION_TOKEN"
	envContainerTokenFile = "AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE"
)

// ecsCredentialsHost serves the credentials of an ECS task's role at
// $AWS_CONTAINER_CREDENTIALS_RELATIVE_URI.
const ecsCredentialsHost = "http://169.254.170.2"

// AWSRegion returns the region the AWS SDKs take from the environment
// env looks up ($AWS_REGION, else $AWS_DEFAULT_REGION), or "".
func AWSRegion(env func(string) (string, bool)) string {
	for _, k := range []string{envRegion, envDefaultRegion} {
		if v, _ := env(k); v != "" {
			return v
		}
	}
	return ""
}

// AWSCredentials returns the credentials of the places Dayline runs on
// AWS, from the environment env looks up, in the AWS SDKs' order:
//
//   - keys in the environment ($AWS_ACCESS_KEY_ID, $AWS_SECRET_ACCESS_KEY,
//     $AWS_SESSION_TOKEN): AWS Lambda, a shell;
//   - else the container's credentials endpoint
//     ($AWS_CONTAINER_CREDENTIALS_FULL_URI or _RELATIVE_URI, with
//     $AWS_CONTAINER_AUTHORIZATION_TOKEN or _TOKEN_FILE): ECS, EKS Pod
//     Identity;
//   - else the instance's role, from EC2's instance metadata service.
//
// It makes no network call: the endpoints are asked when a request needs
// credentials, and their answers cached until shortly before they expire.
// Shared config files (~/.aws, profiles, SSO, assume-role) and web
// identity tokens are not read.
func AWSCredentials(env func(string) (string, bool)) aws.CredentialsProvider {
	get := func(k string) string { v, _ := env(k); return v }
	if id, secret := get(envAccessKeyID), get(envSecretAccessKey); id != "" && secret != "" {
		return credentials.NewStaticCredentialsProvider(id, secret, get(envSessionToken))
	}
	endpoint := get(envContainerFullURI)
	if rel := get(envContainerRelURI); rel != "" {
		endpoint = ecsCredentialsHost + rel
	}
	if endpoint != "" {
		token, tokenFile := get(envContainerToken), get(envContainerTokenFile)
		return aws.NewCredentialsCache(endpointcreds.New(endpoint, func(o *endpointcreds.Options) {
			o.AuthorizationToken = token
			if tokenFile != "" {
				o.AuthorizationTokenProvider = tokenFromFile(tokenFile)
			}
		}))
	}
	return aws.NewCredentialsCache(ec2rolecreds.New())
}

// tokenFromFile reads the container's authorization token from a file,
// on every request for credentials (EKS rotates it).
type tokenFromFile string

func (f tokenFromFile) GetToken() (string, error) {
	b, err := os.ReadFile(string(f))
	if err != nil {
		return "", fmt.Errorf("read container authorization token: %w", err)
	}
	return strings.TrimSpace(string(b)), nil
}
