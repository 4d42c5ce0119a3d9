package main

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"net/http"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/dynamodb"

	"github.com/dayline/dayline/api"
	"github.com/dayline/dayline/demo"
	"github.com/dayline/dayline/scalars"
	"github.com/dayline/dayline/store/dynamo/dynamotest"
)

func noEnv(string) (string, bool) { return "", false }

func envOf(m map[string]string) func(string) (string, bool) {
	return func(k string) (string, bool) { v, ok := m[k]; return v, ok }
}

// hangTimeout only turns a hang into a failure: a healthy run never waits
// for it, however slow the machine.
const hangTimeout = 2 * time.Minute

// syncBuffer is a bytes.Buffer safe for the server goroutine and the test,
// which can wait for what it expects to be written (waitFor).
type syncBuffer struct {
	mu      sync.Mutex
	buf     bytes.Buffer
	written chan struct{} // closed and replaced by every Write
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.written != nil {
		close(b.written)
		b.written = nil
	}
	return b.buf.Write(p)
}

// waitFor returns the buffer's content once ok accepts it. It fails t if
// done receives first (the writer stopped: its error is reported) or
// after hangTimeout.
func (b *syncBuffer) waitFor(t *testing.T, done <-chan error, what string, ok func(string) bool) string {
	t.Helper()
	for {
		b.mu.Lock()
		s := b.buf.String()
		if b.written == nil {
			b.written = make(chan struct{})
		}
		written := b.written
		b.mu.Unlock()
		if ok(s) {
			return s
		}
		select {
		case <-written:
		case err := <-done:
			t.Fatalf("returned %v before writing %s; output:\n%s", err, what, b.String())
		case <-time.After(hangTimeout): // a hang turned into a failure
			t.Fatalf("no %s after %v; output:\n%s", what, hangTimeout, b.String())
		}
	}
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// TestServeDemo runs the README's run command (on a free port and a temp
// database): it prints the playground URL and a token per demo user, the
// member's token reads the member's agenda, and cancelling shuts it down.
func TestServeDemo(t *testing.T) {
	ctx, cancel := context.WithCancel(t.Context())
	var stdout, stderr syncBuffer
	done := make(chan error, 1)
	go func() {
		done <- run(ctx, []string{"serve", "--demo", "--addr", "127.0.0.1:0", "--data", t.TempDir() + "/dayline.db"}, &stdout, &stderr, noEnv)
	}()
	urlRe := regexp.MustCompile(`GraphQL:\s+(http://\S+/graphql)`)
	tokenLine := regexp.MustCompile(`(?m)^\s+eyJ\S+$`)
	banner := stdout.waitFor(t, done, "banner with the URL and 4 tokens", func(s string) bool {
		return urlRe.MatchString(s) && len(tokenLine.FindAllString(s, -1)) == 4
	})
	url := urlRe.FindStringSubmatch(banner)[1]
	if !strings.Contains(stdout.String(), "Playground: http://") {
		t.Errorf("banner lacks the playground URL:\n%s", stdout.String())
	}
	token := tokenAfter(t, stdout.String(), demo.Member1ID)
	loc, _ := time.LoadLocation(demo.Timezone)
	today := scalars.DateOf(time.Now().In(loc))
	body, _ := json.Marshal(map[string]any{
		"query":     `query($d: AWSDate!) { agenda(userId: "` + demo.Member1ID + `", date: $d) { startsAt completed } }`,
		"variables": map[string]any{"d": today},
	})
	req, _ := http.NewRequest(http.MethodPost, url, bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", "Bearer "+token)
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	var out struct {
		Data struct {
			Agenda []struct {
				StartsAt  string
				Completed bool
			}
		}
		Errors []any
	}
	_ = json.NewDecoder(res.Body).Decode(&out)
	res.Body.Close()
	if len(out.Errors) > 0 || len(out.Data.Agenda) == 0 {
		t.Fatalf("agenda: %+v", out)
	}
	for i := 1; i < len(out.Data.Agenda); i++ {
		if out.Data.Agenda[i].StartsAt < out.Data.Agenda[i-1].StartsAt {
			t.Errorf("agenda not in time order: %+v", out.Data.Agenda)
		}
	}
	if !out.Data.Agenda[0].Completed {
		t.Errorf("the demo ticks the first task of today: %+v", out.Data.Agenda[0])
	}
	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("serve returned %v", err)
		}
	case <-time.After(hangTimeout): // a hang turned into a failure
		t.Fatal("serve did not stop after cancel")
	}
}

// tokenAfter returns the token printed on the line after the user's line.
func tokenAfter(t *testing.T, banner, userID string) string {
	t.Helper()
	lines := strings.Split(banner, "\n")
	for i, l := range lines {
		if strings.Contains(l, userID) && i+1 < len(lines) {
			return strings.TrimSpace(lines[i+1])
		}
	}
	t.Fatalf("no token for %s in:\n%s", userID, banner)
	return ""
}

// TestSettingsEnvAndFlags: a flag wins over its environment variable, the
// variable over the default; a bad variable is named; a verb reads only
// its own variables.
func TestSettingsEnvAndFlags(t *testing.T) {
	cfg, err := parseSettings(verbServe, []string{"--addr", "127.0.0.1:9999"}, envOf(map[string]string{
		"DAYLINE_ADDR": "0.0.0.0:1", "DAYLINE_MAX_DEPTH": "7", "DAYLINE_STORE": "dynamodb",
	}))
	if err != nil {
		t.Fatal(err)
	}
	if cfg.Addr != "127.0.0.1:9999" || cfg.MaxDepth != 7 || cfg.Store != "dynamodb" || cfg.MaxComplexity != api.DefaultLimits.MaxComplexity {
		t.Errorf("flag must win over env, env over default: %+v", cfg)
	}
	_, err = parseSettings(verbServe, nil, envOf(map[string]string{"DAYLINE_MAX_DEPTH": "deep"}))
	if err == nil || !strings.Contains(err.Error(), "DAYLINE_MAX_DEPTH") || exitCode(err) != 2 {
		t.Errorf("a bad environment value must be named (exit 2): %v", err)
	}
	if _, err := parseSettings(verbServe, []string{"--max-depth", "9"}, envOf(map[string]string{"DAYLINE_MAX_DEPTH": "deep"})); err != nil {
		t.Errorf("a flag given replaces its variable, bad or not: %v", err)
	}
	if _, err := parseSettings(verbServe, []string{"-h"}, envOf(map[string]string{"DAYLINE_MAX_DEPTH": "deep"})); err != flag.ErrHelp {
		t.Errorf("-h prints help whatever the environment holds: %v", err)
	}
	cfg, err = parseSettings(verbTableCreate, nil, envOf(map[string]string{"DAYLINE_MAX_DEPTH": "deep", "DAYLINE_DYNAMODB_TABLE": "t1"}))
	if err != nil || cfg.Table != "t1" {
		t.Errorf("table create reads its own variables and ignores serve's: %+v, %v", cfg, err)
	}
}

// TestVerbFlags: each verb accepts only its own flags; -h prints that
// verb's usage on stdout and exits 0; an unknown flag exits 2 with a short
// message.
func TestVerbFlags(t *testing.T) {
	for _, v := range verbs {
		t.Run(v.name+" -h", func(t *testing.T) {
			var stdout, stderr bytes.Buffer
			err := run(t.Context(), append(strings.Fields(v.name), "-h"), &stdout, &stderr, noEnv)
			if exitCode(err) != 0 || stderr.Len() != 0 {
				t.Fatalf("exit %d (%v), stderr %q", exitCode(err), err, stderr.String())
			}
			out := stdout.String()
			if !strings.HasPrefix(out, "Usage: dayline "+v.name+" ") {
				t.Errorf("usage starts %q", out)
			}
			for _, s := range settings {
				shown := strings.Contains(out, "  --"+s.flag+" ") || strings.Contains(out, "  --"+s.flag+"\n")
				if want := slices.Contains(s.verbs, v.name); shown != want {
					t.Errorf("--%s shown %v, want %v:\n%s", s.flag, shown, want, out)
				}
			}
		})
	}
	tests := []struct {
		name string
		args []string
		want string
	}{
		{"serve flag given to token", []string{"token", "--max-depth", "3"}, "token: flag provided but not defined: -max-depth"},
		{"unknown flag", []string{"serve", "--frobnicate"}, "serve: flag provided but not defined: -frobnicate"},
		{"token flag given to table create", []string{"table", "create", "--user", "x"}, "table create: flag provided but not defined: -user"},
		{"bad flag value", []string{"serve", "--max-depth", "deep"}, `serve: invalid value "deep" for flag -max-depth`},
		{"stray argument", []string{"serve", "now"}, `serve: unexpected argument "now"`},
		{"token needs a user", []string{"token"}, "--user is required"},
		{"no verb", nil, "no verb"},
		{"unknown verb", []string{"frobnicate"}, "unknown verb"},
		{"table needs create", []string{"table"}, "usage: dayline table create"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var stdout bytes.Buffer
			err := run(t.Context(), tc.args, &stdout, &bytes.Buffer{}, noEnv)
			if exitCode(err) != 2 || !strings.Contains(err.Error(), tc.want) || stdout.Len() != 0 {
				t.Errorf("run(%q) = %v (exit %d), stdout %q; want exit 2 and %q", tc.args, err, exitCode(err), stdout.String(), tc.want)
			}
		})
	}
}

// TestIntrospectionGroups: with an issuer only staff introspect unless
// --introspection-groups says otherwise; in dev mode everyone does.
func TestIntrospectionGroups(t *testing.T) {
	tests := []struct {
		issuer, groups string
		want           []string
	}{
		{"", "", nil},
		{"https://issuer.example", "", []string{"Operators", "Admins", "Caregivers"}},
		{"https://issuer.example", "*", nil},
		{"https://issuer.example", "Admins, Operators", []string{"Admins", "Operators"}},
		{"", "Admins", []string{"Admins"}},
	}
	for _, tc := range tests {
		c := config{Issuer: tc.issuer, IntroGroups: tc.groups}
		if got := c.introspectionGroups(); !slices.Equal(got, tc.want) {
			t.Errorf("issuer %q, groups %q: %v, want %v", tc.issuer, tc.groups, got, tc.want)
		}
	}
}

func TestVerbErrors(t *testing.T) {
	tests := []struct {
		name string
		args []string
		env  map[string]string
		want string
	}{
		{"token refused in OIDC mode", []string{"token", "--user", "x"}, map[string]string{"DAYLINE_OIDC_ISSUER": "https://issuer.example"}, "dev tokens only"},
		{"unknown store", []string{"serve", "--store", "postgres"}, nil, "unknown store"},
		{"issuer without client ids", []string{"serve"}, map[string]string{"DAYLINE_OIDC_ISSUER": "https://issuer.example"}, "--issuer needs --client-ids"},
		{"short page-token secret", []string{"serve", "--page-token-secret", "short"}, nil, "at least 16 bytes"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			args := tc.args
			if len(args) > 0 && args[0] == "serve" {
				args = append(args, "--data", t.TempDir()+"/d.db", "--addr", "127.0.0.1:0")
			}
			err := run(t.Context(), args, &bytes.Buffer{}, &bytes.Buffer{}, envOf(tc.env))
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("run(%v) = %v, want an error containing %q", tc.args, err, tc.want)
			}
		})
	}
}

func TestTokenForDemoUserByEmail(t *testing.T) {
	data := t.TempDir() + "/dayline.db"
	st, err := openEmbeddedStore(config{Data: data})
	if err != nil {
		t.Fatal(err)
	}
	if err := demo.Seed(t.Context(), st, time.Now(), newID); err != nil {
		t.Fatal(err)
	}
	st.Close()
	var stdout bytes.Buffer
	if err := run(t.Context(), []string{"token", "--data", data, "--user", "SAM@demo.dayline.dev"}, &stdout, &bytes.Buffer{}, noEnv); err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(stdout.String(), "eyJ") {
		t.Errorf("want a JWT on stdout, got %q", stdout.String())
	}
	err = run(t.Context(), []string{"token", "--data", data, "--user", "nobody@demo.dayline.dev"}, &bytes.Buffer{}, &bytes.Buffer{}, noEnv)
	if err == nil || !strings.Contains(err.Error(), "no user with email") {
		t.Errorf("unknown email: %v", err)
	}
}

// TestDynamoDBTableVerbs: against DynamoDB Local, serve refuses a missing
// table and names `dayline table create`; table create is idempotent and
// then serve starts.
func TestDynamoDBTableVerbs(t *testing.T) {
	endpoint := dynamotest.Endpoint(t)
	table := dynamotest.UniqueTableName(t)
	env := envOf(map[string]string{
		"DAYLINE_STORE": "dynamodb", "DAYLINE_DYNAMODB_ENDPOINT": endpoint, "DAYLINE_DYNAMODB_TABLE": table,
		"DAYLINE_PAGE_TOKEN_SECRET": "test-secret-0123456789", "DAYLINE_DATA": t.TempDir() + "/d.db", "DAYLINE_ADDR": "127.0.0.1:0",
	})
	err := run(t.Context(), []string{"serve"}, &bytes.Buffer{}, &bytes.Buffer{}, env)
	if err == nil || !strings.Contains(err.Error(), "dayline table create") {
		t.Fatalf("serve on a missing table: %v, want an error naming `dayline table create`", err)
	}
	for range 2 {
		var out bytes.Buffer
		if err := run(t.Context(), []string{"table", "create"}, &out, &bytes.Buffer{}, env); err != nil {
			t.Fatalf("table create: %v", err)
		}
		if !strings.Contains(out.String(), "is ready") {
			t.Errorf("table create printed %q", out.String())
		}
	}
	t.Cleanup(func() {
		client := dynamotest.NewClient(endpoint)
		_, _ = client.DeleteTable(context.Background(), &dynamodb.DeleteTableInput{TableName: &table})
	})
	ctx, cancel := context.WithCancel(t.Context())
	var stdout syncBuffer
	done := make(chan error, 1)
	go func() { done <- run(ctx, []string{"serve", "--demo"}, &stdout, &syncBuffer{}, env) }()
	stdout.waitFor(t, done, "demo tokens", func(s string) bool { return strings.Contains(s, "Demo tokens") })
	cancel()
	if err := <-done; err != nil {
		t.Fatalf("serve --store dynamodb --demo: %v", err)
	}
}
