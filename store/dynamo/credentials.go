package dynamo

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/url"
	"os"
	"slices"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/credentials/ec2rolecreds"
	"github.com/aws/aws-sdk-go-v2/credentials/endpointcreds"
)

// The environment variables AWS sets (or a shell exports) for the AWS
// SDKs, read through the lookup function the caller passes.
const (
	envRegion              = "AWS_REGION"
	envDefaultRegion       = "AWS_DEFAULT_REGION"
	envAccessKeyID         = "AWS_ACCESS_KEY_ID"
	envSecretAccessKey     = "AWS_SECRET_ACCESS_KEY"
	envSessionToken        = "AWS_SESSION_TOKEN"
	envContainerFullURI    = "AWS_CONTAINER_CREDENTIALS_FULL_URI"
	envContainerRelURI     = "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI"
	envContainerToken      = "AWS_CONTAINER_AUTHORIZATION_TOKEN"
	envContainerTokenFile  = "AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE"
	envEC2MetadataDisabled = "AWS_EC2_METADATA_DISABLED"
)

// ecsCredentialsHost serves the credentials of an ECS task's role at
// $AWS_CONTAINER_CREDENTIALS_RELATIVE_URI.
const ecsCredentialsHost = "169.254.170.2"

// containerHosts are the hosts a plain-http $AWS_CONTAINER_CREDENTIALS_FULL_URI
// may name (as the AWS SDKs allow): ECS's and EKS Pod Identity's link-local
// endpoints; loopback addresses are allowed too. Any https host is allowed.
var containerHosts = []string{ecsCredentialsHost, "169.254.170.23", "fd00:ec2::23", "localhost"}

// Refreshed credentials are asked for this long before they expire (less
// up to half of it, so instances do not all ask at once).
const (
	credentialsExpiryWindow = 5 * time.Minute
	credentialsExpiryJitter = 0.5
)

// maxTokenFileBytes bounds the container authorization token file read.
const maxTokenFileBytes = 8 << 10

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
// credentials, and their answers cached until 5 minutes (less jitter)
// before they expire. Shared config files (~/.aws, profiles, SSO,
// assume-role) and web identity tokens are not read. A container endpoint
// that is not allowed (a plain-http host other than ECS's, EKS's or a
// loopback one, or a relative URI not starting with "/"), and EC2's
// metadata service when $AWS_EC2_METADATA_DISABLED is true, give a provider
// whose every Retrieve fails, saying why.
func AWSCredentials(env func(string) (string, bool)) aws.CredentialsProvider {
	get := func(k string) string { v, _ := env(k); return v }
	if id, secret := get(envAccessKeyID), get(envSecretAccessKey); id != "" && secret != "" {
		return credentials.NewStaticCredentialsProvider(id, secret, get(envSessionToken))
	}
	endpoint, err := containerEndpoint(get(envContainerRelURI), get(envContainerFullURI))
	if err != nil {
		return failing(err)
	}
	if endpoint != "" {
		token, tokenFile := get(envContainerToken), get(envContainerTokenFile)
		return cached(endpointcreds.New(endpoint, func(o *endpointcreds.Options) {
			o.AuthorizationToken = token
			if tokenFile != "" {
				o.AuthorizationTokenProvider = tokenFromFile(tokenFile)
			}
		}))
	}
	if strings.EqualFold(get(envEC2MetadataDisabled), "true") {
		return failing(errors.New("no AWS credentials: set $AWS_ACCESS_KEY_ID and $AWS_SECRET_ACCESS_KEY (EC2's metadata service is disabled)"))
	}
	return cached(ec2rolecreds.New())
}

// containerEndpoint returns the container credentials endpoint the
// environment names ("" for none): the relative URI on ECS's host, which
// wins, else the full URI if its host is allowed (containerHosts).
func containerEndpoint(rel, full string) (string, error) {
	if rel != "" {
		if !strings.HasPrefix(rel, "/") {
			return "", fmt.Errorf("$%s must start with /: %q", envContainerRelURI, rel)
		}
		return "http://" + ecsCredentialsHost + rel, nil
	}
	if full == "" {
		return "", nil
	}
	u, err := url.Parse(full)
	if err != nil {
		return "", fmt.Errorf("$%s: %w", envContainerFullURI, err)
	}
	switch {
	case u.Scheme == "https" && u.Host != "":
		return full, nil
	case u.Scheme == "http" && allowedContainerHost(u.Hostname()):
		return full, nil
	}
	return "", fmt.Errorf("$%s must be https, or http on a loopback address or the ECS/EKS credentials host: %q", envContainerFullURI, full)
}

// allowedContainerHost reports whether a plain-http container endpoint may
// be on host.
func allowedContainerHost(host string) bool {
	if slices.Contains(containerHosts, host) {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && (ip.IsLoopback() || ip.Equal(net.ParseIP("fd00:ec2::23")))
}

// cached caches p's credentials until credentialsExpiryWindow before they
// expire.
func cached(p aws.CredentialsProvider) aws.CredentialsProvider {
	return aws.NewCredentialsCache(p, func(o *aws.CredentialsCacheOptions) {
		o.ExpiryWindow = credentialsExpiryWindow
		o.ExpiryWindowJitterFrac = credentialsExpiryJitter
	})
}

// failing is a provider whose every Retrieve returns err.
func failing(err error) aws.CredentialsProvider {
	return aws.CredentialsProviderFunc(func(context.Context) (aws.Credentials, error) { return aws.Credentials{}, err })
}

// tokenFromFile reads the container's authorization token from a file,
// on every request for credentials (EKS rotates it).
type tokenFromFile string

// GetToken returns the file's content, trimmed; an error if the file cannot
// be read or holds more than maxTokenFileBytes.
func (f tokenFromFile) GetToken() (string, error) {
	file, err := os.Open(string(f))
	if err != nil {
		return "", fmt.Errorf("read container authorization token: %w", err)
	}
	defer file.Close()
	b, err := io.ReadAll(io.LimitReader(file, maxTokenFileBytes+1))
	if err != nil {
		return "", fmt.Errorf("read container authorization token: %w", err)
	}
	if len(b) > maxTokenFileBytes {
		return "", fmt.Errorf("container authorization token file %s holds more than %d bytes", f, maxTokenFileBytes)
	}
	return strings.TrimSpace(string(b)), nil
}
