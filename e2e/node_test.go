package e2e_test

import (
	"bufio"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/dayline/dayline/subscribe"
)

// requireNode reports whether a missing Node or npm install is a failure
// rather than a reason to skip: under CI, and under scripts/test.sh (which
// installs them).
func requireNode() bool {
	return os.Getenv("CI") == "true" || os.Getenv("DAYLINE_REQUIRE_NODE") == "1"
}

// nodeWith returns the path of node once dir (a directory of scripts/,
// relative to e2e) has its npm packages installed, checked by pkg's
// package.json (pkg may be scoped: "@aws-amplify/amplify-appsync-simulator").
// Otherwise it skips t, or fails it under requireNode; what names the
// program for the message.
func nodeWith(t testing.TB, dir, pkg, what string) string {
	t.Helper()
	node, err := exec.LookPath("node")
	if err == nil {
		_, err = os.Stat(filepath.Join(dir, "node_modules", filepath.FromSlash(pkg), "package.json"))
	}
	if err != nil {
		msg := fmt.Sprintf("%s needs node and `npm ci` in scripts/%s (scripts/test.sh does both): %v", what, filepath.Base(dir), err)
		if requireNode() {
			t.Fatal(msg)
		}
		t.Skip(msg)
	}
	return node
}

// clientLine is one line a clients.mjs prints.
type clientLine struct {
	Next     *json.RawMessage `json:"next"`
	Error    string           `json:"error"`
	Complete bool             `json:"complete"`
}

// receivesChange runs `node <dir>/clients.mjs <client> <url> <token> <query>
// <vars>` (with extraEnv), which subscribes to the watch's
// onScheduleChanged as a-member-1 on e; once hub holds the subscription, a
// caregiver retitles the member's schedule over HTTP, and the client must
// print that change, with the member's own selection, as its first line.
func receivesChange(t *testing.T, node, dir, client string, e *env, hub *subscribe.Hub, extraEnv ...string) {
	t.Helper()
	vars, _ := json.Marshal(map[string]any{"owner": "a-member-1"})
	cmd := exec.CommandContext(t.Context(), node, filepath.Join(dir, "clients.mjs"),
		client, e.URL+"/graphql", e.token("a-member-1"), watchSubscription, string(vars))
	cmd.Env = append(os.Environ(), extraEnv...)
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	cmd.Stderr = os.Stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = cmd.Process.Kill(); _ = cmd.Wait() })
	registered(t, hub, 1)
	retitle(t, e, "a-caregiver", "a-member-1-sched", 1, "Changed by the caregiver")

	sc := bufio.NewScanner(stdout)
	if !sc.Scan() {
		t.Fatalf("%s printed nothing: %v", client, sc.Err())
	}
	var line clientLine
	if err := json.Unmarshal(sc.Bytes(), &line); err != nil || line.Next == nil {
		t.Fatalf("%s: %s (%v), want a next result", client, sc.Bytes(), err)
	}
	var body responseBody[scheduleEvent]
	if err := json.Unmarshal(*line.Next, &body); err != nil {
		t.Fatal(err)
	}
	if len(body.Errors) > 0 || body.Data == nil || body.Data.OnScheduleChanged == nil {
		t.Fatalf("%s received %s", client, *line.Next)
	}
	s := body.Data.OnScheduleChanged
	if s.ID != "a-member-1-sched" || s.Version != 2 || s.Title != "Changed by the caregiver" || s.Owner == nil || s.Owner.Name == "" {
		t.Errorf("%s received %+v", client, *s)
	}
	if err := cmd.Wait(); err != nil {
		t.Errorf("%s exited: %v", client, err)
	}
}
