package e2e_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"syscall"
	"testing"
	"time"

	"github.com/dayline/dayline/appsync"
	"github.com/dayline/dayline/internal/lambdaemu"
)

// appSyncSimDir holds sim.js and its pinned npm packages (the Amplify
// AppSync simulator; scripts/test.sh installs them with npm ci).
const appSyncSimDir = "../scripts/appsync-sim"

// appSyncSimulator is the Amplify AppSync simulator (scripts/appsync-sim/sim.js)
// serving schema.graphql, its resolvers invoking the real bootstrap under
// the Lambda Runtime Interface Emulator.
type appSyncSimulator struct {
	url    string // the GraphQL endpoint
	output *lambdaemu.Output
	exited chan struct{}
}

// simResolverField is one entry of the resolver list sim.js reads.
type simResolverField struct {
	TypeName  string `json:"typeName"`
	FieldName string `json:"fieldName"`
	Batch     bool   `json:"batch"`
	// ResponseTemplate is a batch field's response mapping template
	// (appsync.BatchResponseTemplate, the one AWS deployments use).
	ResponseTemplate string `json:"responseTemplate,omitempty"`
}

// startAppSyncSimulator starts sim.js in front of rie, with resolvers on
// exactly appsync.ResolverFields() but the Subscription ones (written to a
// file sim.js reads: the one list, never a copy). It returns once the simulator prints its URL
// and stops it when t ends. Without Node or the installed simulator it
// skips t, or fails it under CI and scripts/test.sh (requireNode).
func startAppSyncSimulator(t *testing.T, rie *emulator) *appSyncSimulator {
	t.Helper()
	node := nodeWith(t, appSyncSimDir, "@aws-amplify/amplify-appsync-simulator", "the AppSync simulator")

	var fields []simResolverField
	for _, f := range appsync.ResolverFields() {
		if f.Subscription {
			// The parity suite subscribes to nothing, and the simulator
			// applies no subscription filters (a known difference).
			continue
		}
		sf := simResolverField{TypeName: f.Type, FieldName: f.Name, Batch: f.Batch}
		if f.Batch {
			sf.ResponseTemplate = appsync.BatchResponseTemplate
		}
		fields = append(fields, sf)
	}
	list, err := json.Marshal(fields)
	if err != nil {
		t.Fatal(err)
	}
	fieldsFile := filepath.Join(t.TempDir(), "resolver-fields.json")
	if err := os.WriteFile(fieldsFile, list, 0o600); err != nil {
		t.Fatal(err)
	}

	cmd := exec.Command(node, "sim.js", filepath.Join("..", "..", "schema.graphql"), fieldsFile, rie.URL)
	cmd.Dir = appSyncSimDir
	s := &appSyncSimulator{output: lambdaemu.NewOutput(), exited: make(chan struct{})}
	cmd.Stdout, cmd.Stderr = s.output, s.output
	if err := cmd.Start(); err != nil {
		t.Fatalf("start the AppSync simulator: %v", err)
	}
	go func() { _ = cmd.Wait(); close(s.exited) }()
	t.Cleanup(func() {
		_ = cmd.Process.Signal(syscall.SIGTERM)
		select {
		case <-s.exited:
		case <-time.After(hangTimeout): // a hang turned into a failure
			_ = cmd.Process.Kill()
			t.Errorf("the AppSync simulator did not stop on SIGTERM")
		}
		if t.Failed() {
			t.Logf("AppSync simulator output:\n%s", s.output.String())
		}
	})
	s.url = s.awaitURL(t)
	return s
}

var simURLLine = regexp.MustCompile(`(?m)^APPSYNC_SIMULATOR_URL=(\S+)$`)

// awaitURL returns the URL sim.js prints once it listens; it fails t when
// the simulator exits first or after hangTimeout.
func (s *appSyncSimulator) awaitURL(t *testing.T) string {
	t.Helper()
	ctx, cancel := context.WithTimeout(t.Context(), hangTimeout) // a hang turned into a failure
	defer cancel()
	var url string
	err := s.output.Await(ctx, s.exited, func(out string) bool {
		if m := simURLLine.FindStringSubmatch(out); m != nil {
			url = m[1]
		}
		return url != ""
	})
	if err != nil {
		t.Fatalf("the AppSync simulator printed no URL: %v; output:\n%s", err, s.output.String())
	}
	return url
}

// post sends query to the simulator with token in the Authorization
// header, raw (as AppSync clients send a Cognito token), none when "".
func (s *appSyncSimulator) post(t *testing.T, token, query string) gqlResponse {
	t.Helper()
	body, err := json.Marshal(map[string]any{"query": query})
	if err != nil {
		t.Fatal(err)
	}
	req, err := http.NewRequestWithContext(t.Context(), http.MethodPost, s.url, bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	if token != "" {
		req.Header.Set("Authorization", token)
	}
	res, err := (&http.Client{Timeout: hangTimeout}).Do(req)
	if err != nil {
		t.Fatalf("post to the AppSync simulator: %v", err)
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	if err != nil {
		t.Fatal(err)
	}
	r := gqlResponse{Status: res.StatusCode, Raw: string(b)}
	if err := r.decode(b); err != nil {
		t.Fatalf("the AppSync simulator answered %d, not GraphQL JSON: %s", res.StatusCode, b)
	}
	return r
}
