// Package cognito manages the users of one Amazon Cognito user pool with
// its admin API: create a user (Cognito sends the invitation), put it in
// and take it out of groups, sign it out everywhere, disable, enable and
// delete it. It is a small JSON client over the AWS SDK's SigV4 signer,
// not the SDK's cognitoidentityprovider client: the Lambda's binary stays
// small (see README, "Users in Cognito"). The IAM actions it calls are
// listed once, in IAMActions.
//
// Errors are translated here, at the boundary: a refused email is a
// domain Conflict or BadRequest, throttling and Cognito's own failures
// are ServiceUnavailable, a user the pool does not have is ErrUserNotFound,
// anything else an *APIError (an internal error for clients).
package cognito

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"
)

// signingName is the service name of SigV4 signatures for Cognito user
// pools.
const signingName = "cognito-idp"

// maxResponseBytes bounds the answer read from Cognito.
const maxResponseBytes = 1 << 20

// DefaultTimeout bounds one call when Config.HTTPClient is nil.
const DefaultTimeout = 10 * time.Second

// ErrNoCredentials is returned by New when Config.Credentials is nil.
var ErrNoCredentials = errors.New("no AWS credentials")

// Config says which user pool a Client manages and how it reaches it.
type Config struct {
	// UserPoolID is the pool's id, "<region>_<id>" (e.g.
	// "eu-west-1_AbC123"); required.
	UserPoolID string
	// Region signs requests and names AWS's endpoint; "" takes the
	// region the pool id starts with.
	Region string
	// Endpoint overrides AWS's endpoint
	// (https://cognito-idp.<region>.amazonaws.com/), e.g. a cognito-local
	// at http://127.0.0.1:9229.
	Endpoint string
	// Credentials sign requests; required (store/dynamo's AWSCredentials
	// gives the usual ones, without the SDK's config loader).
	Credentials aws.CredentialsProvider
	// HTTPClient sends requests; nil is a client with DefaultTimeout.
	HTTPClient *http.Client
	// Now is the signing clock; nil is time.Now.
	Now func() time.Time
}

// Client calls the admin API of one user pool. It is safe for concurrent
// use. Build it with New.
type Client struct {
	pool     string
	region   string
	endpoint string
	creds    aws.CredentialsProvider
	http     *http.Client
	now      func() time.Time
	signer   *v4.Signer
}

// New returns a Client for cfg. It makes no network call. It returns an
// error when the pool id is missing or names no region (and cfg.Region is
// ""), or without credentials (ErrNoCredentials).
func New(cfg Config) (*Client, error) {
	region := cfg.Region
	if region == "" {
		region = RegionOf(cfg.UserPoolID)
	}
	switch {
	case cfg.UserPoolID == "":
		return nil, errors.New("no user pool id")
	case region == "":
		return nil, fmt.Errorf("user pool id %q names no region (want <region>_<id>)", cfg.UserPoolID)
	case cfg.Credentials == nil:
		return nil, ErrNoCredentials
	}
	endpoint := cfg.Endpoint
	if endpoint == "" {
		endpoint = "https://cognito-idp." + region + ".amazonaws.com/"
	}
	c := &Client{
		pool: cfg.UserPoolID, region: region, endpoint: endpoint, creds: cfg.Credentials,
		http: cfg.HTTPClient, now: cfg.Now, signer: v4.NewSigner(),
	}
	if c.http == nil {
		c.http = &http.Client{Timeout: DefaultTimeout}
	}
	if c.now == nil {
		c.now = time.Now
	}
	return c, nil
}

// RegionOf returns the region a user pool id starts with ("eu-west-1" of
// "eu-west-1_AbC123"), or "" when it has no "_".
func RegionOf(userPoolID string) string {
	region, _, ok := strings.Cut(userPoolID, "_")
	if !ok {
		return ""
	}
	return region
}

// UserPoolID returns the id of the pool c manages.
func (c *Client) UserPoolID() string { return c.pool }

// APIError is an error answer of Cognito: its exception type (without
// the namespace, e.g. "UserNotFoundException") and message.
type APIError struct {
	Operation  string
	StatusCode int
	Type       string
	Message    string
}

func (e *APIError) Error() string {
	return fmt.Sprintf("cognito %s: %s (HTTP %d): %s", e.Operation, e.Type, e.StatusCode, e.Message)
}

// call sends operation op (one of operations) with the JSON of in and
// decodes the answer into out (nil: ignore it). It returns an *APIError
// for an error answer, or the transport's error.
func (c *Client) call(ctx context.Context, op string, in, out any) error {
	body, err := json.Marshal(in)
	if err != nil {
		return fmt.Errorf("cognito %s: encode request: %w", op, err)
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, c.endpoint, bytes.NewReader(body))
	if err != nil {
		return fmt.Errorf("cognito %s: %w", op, err)
	}
	req.Header.Set("Content-Type", "application/x-amz-json-1.1")
	req.Header.Set("X-Amz-Target", "AWSCognitoIdentityProviderService."+op)
	creds, err := c.creds.Retrieve(ctx)
	if err != nil {
		return fmt.Errorf("cognito %s: credentials: %w", op, err)
	}
	sum := sha256.Sum256(body)
	if err := c.signer.SignHTTP(ctx, creds, req, hex.EncodeToString(sum[:]), signingName, c.region, c.now()); err != nil {
		return fmt.Errorf("cognito %s: sign: %w", op, err)
	}
	resp, err := c.http.Do(req)
	if err != nil {
		return fmt.Errorf("cognito %s: %w", op, err)
	}
	defer resp.Body.Close()
	answer, err := io.ReadAll(io.LimitReader(resp.Body, maxResponseBytes))
	if err != nil {
		return fmt.Errorf("cognito %s: read answer: %w", op, err)
	}
	if resp.StatusCode != http.StatusOK {
		return apiError(op, resp, answer)
	}
	if out == nil {
		return nil
	}
	if err := json.Unmarshal(answer, out); err != nil {
		return fmt.Errorf("cognito %s: decode answer: %w", op, err)
	}
	return nil
}

// apiError reads an error answer: the exception type from the
// X-Amzn-ErrorType header or the body's __type, with any namespace
// ("com.amazonaws...#", "...:") removed.
func apiError(op string, resp *http.Response, body []byte) *APIError {
	var doc struct {
		Type    string `json:"__type"`
		Message string `json:"message"`
		Upper   string `json:"Message"`
	}
	_ = json.Unmarshal(body, &doc) // a body that is no JSON leaves the fields empty
	typ := resp.Header.Get("X-Amzn-ErrorType")
	if typ == "" {
		typ = doc.Type
	}
	typ, _, _ = strings.Cut(typ, ":")
	if i := strings.LastIndex(typ, "#"); i >= 0 {
		typ = typ[i+1:]
	}
	msg := doc.Message
	if msg == "" {
		msg = doc.Upper
	}
	return &APIError{Operation: op, StatusCode: resp.StatusCode, Type: typ, Message: msg}
}
