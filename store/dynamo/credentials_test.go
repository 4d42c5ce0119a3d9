package dynamo_test

import (
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/dayline/dayline/store/dynamo"
)

// TestAWSCredentials checks which source AWSCredentials takes the keys
// from: the environment's keys first, else the container's endpoint (with
// its authorization token).
func TestAWSCredentials(t *testing.T) {
	var gotAuth string
	container := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		gotAuth = r.Header.Get("Authorization")
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write([]byte(`{"AccessKeyId":"container-key","SecretAccessKey":"container-secret","Token":"container-token","Expiration":"2099-01-01T00:00:00Z"}`))
	}))
	defer container.Close()

	cases := []struct {
		name                   string
		env                    map[string]string
		wantKey, wantSession   string
		wantAuthorizationToken string
	}{
		{"environment keys", map[string]string{
			"AWS_ACCESS_KEY_ID": "env-key", "AWS_SECRET_ACCESS_KEY": "env-secret", "AWS_SESSION_TOKEN": "env-session",
			"AWS_CONTAINER_CREDENTIALS_FULL_URI": container.URL,
		}, "env-key", "env-session", ""},
		{"container endpoint", map[string]string{
			"AWS_CONTAINER_CREDENTIALS_FULL_URI": container.URL, "AWS_CONTAINER_AUTHORIZATION_TOKEN": "task-token",
		}, "container-key", "container-token", "task-token"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			gotAuth = ""
			env := func(k string) (string, bool) { v, ok := tc.env[k]; return v, ok }
			creds, err := dynamo.AWSCredentials(env).Retrieve(t.Context())
			if err != nil {
				t.Fatal(err)
			}
			if creds.AccessKeyID != tc.wantKey || creds.SessionToken != tc.wantSession {
				t.Errorf("credentials %q (session %q); want %q (session %q)", creds.AccessKeyID, creds.SessionToken, tc.wantKey, tc.wantSession)
			}
			if gotAuth != tc.wantAuthorizationToken {
				t.Errorf("container endpoint saw Authorization %q; want %q", gotAuth, tc.wantAuthorizationToken)
			}
		})
	}
}

// TestAWSRegion checks that $AWS_REGION wins over $AWS_DEFAULT_REGION.
func TestAWSRegion(t *testing.T) {
	cases := []struct {
		name string
		env  map[string]string
		want string
	}{
		{"both", map[string]string{"AWS_REGION": "eu-west-1", "AWS_DEFAULT_REGION": "us-east-2"}, "eu-west-1"},
		{"default only", map[string]string{"AWS_DEFAULT_REGION": "us-east-2"}, "us-east-2"},
		{"none", nil, ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			env := func(k string) (string, bool) { v, ok := tc.env[k]; return v, ok }
			if got := dynamo.AWSRegion(env); got != tc.want {
				t.Errorf("AWSRegion = %q; want %q", got, tc.want)
			}
		})
	}
}

// TestAWSCredentialsRefused: a container endpoint Dayline may not send its
// token to, or EC2's metadata service switched off, gives a provider that
// fails, asking nothing of the network.
func TestAWSCredentialsRefused(t *testing.T) {
	cases := []struct {
		name string
		env  map[string]string
		want string
	}{
		{"plain http to another host", map[string]string{"AWS_CONTAINER_CREDENTIALS_FULL_URI": "http://credentials.example.com/role"}, "must be https"},
		{"relative URI not a path", map[string]string{"AWS_CONTAINER_CREDENTIALS_RELATIVE_URI": "@evil.example/x"}, "must start with /"},
		{"metadata service disabled", map[string]string{"AWS_EC2_METADATA_DISABLED": "true"}, "no AWS credentials"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			env := func(k string) (string, bool) { v, ok := tc.env[k]; return v, ok }
			_, err := dynamo.AWSCredentials(env).Retrieve(t.Context())
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("Retrieve: %v; want an error saying %q", err, tc.want)
			}
		})
	}
}

// TestContainerCredentialsRefresh: the token file is read on every request
// for credentials, and credentials already expired are asked for again
// (counted, not timed).
func TestContainerCredentialsRefresh(t *testing.T) {
	var hits atomic.Int32
	var auth []string
	var mu sync.Mutex
	container := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hits.Add(1)
		mu.Lock()
		auth = append(auth, r.Header.Get("Authorization"))
		mu.Unlock()
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write([]byte(`{"AccessKeyId":"k","SecretAccessKey":"s","Token":"t","Expiration":"2000-01-01T00:00:00Z"}`))
	}))
	defer container.Close()
	tokenFile := filepath.Join(t.TempDir(), "token")
	env := func(k string) (string, bool) {
		v, ok := map[string]string{
			"AWS_CONTAINER_CREDENTIALS_FULL_URI": container.URL, "AWS_CONTAINER_AUTHORIZATION_TOKEN": "plain",
			"AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE": tokenFile,
		}[k]
		return v, ok
	}
	p := dynamo.AWSCredentials(env)
	for _, token := range []string{"first", "second"} {
		if err := os.WriteFile(tokenFile, []byte(token+"\n"), 0o600); err != nil {
			t.Fatal(err)
		}
		if _, err := p.Retrieve(t.Context()); err != nil {
			t.Fatal(err)
		}
	}
	mu.Lock()
	defer mu.Unlock()
	if hits.Load() != 2 || !slices.Equal(auth, []string{"first", "second"}) {
		t.Errorf("%d requests with Authorization %q; want 2 (the credentials had expired), with the file's token each time", hits.Load(), auth)
	}
}
