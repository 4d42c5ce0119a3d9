package dynamo_test

import (
	"net/http"
	"net/http/httptest"
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
