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

// subscriptionClientsDir holds the npm subscription clients (pinned by its
// package-lock.json, installed by scripts/test.sh) and clients.mjs.
const subscriptionClientsDir = "../scripts/subscription-clients"

// clientLine is one line clients.mjs prints.
type clientLine struct {
	Next     *json.RawMessage `json:"next"`
	Error    string           `json:"error"`
	Complete bool             `json:"complete"`
}

// TestRealSubscriptionClients: each real npm client (graphql-ws over
// graphql-transport-ws, subscriptions-transport-ws over the legacy
// graphql-ws protocol, graphql-sse over server-sent events) subscribes as
// a member and receives the change a caregiver makes over HTTP, with the
// member's own selection.
func TestRealSubscriptionClients(t *testing.T) {
	node, err := exec.LookPath("node")
	if err == nil {
		_, err = os.Stat(filepath.Join(subscriptionClientsDir, "node_modules", "graphql-ws", "package.json"))
	}
	if err != nil {
		msg := fmt.Sprintf("the subscription clients need node and `npm ci` in scripts/subscription-clients (scripts/test.sh does both): %v", err)
		if requireNode() {
			t.Fatal(msg)
		}
		t.Skip(msg)
	}
	forEachStore(t, func(t *testing.T, open opener) {
		for _, client := range []string{"graphql-ws", "subscriptions-transport-ws", "graphql-sse"} {
			t.Run(client, func(t *testing.T) {
				var hub *subscribe.Hub
				e := newEnv(t, open, withSubscriptions(t, hubInto(&hub)))
				vars, _ := json.Marshal(map[string]any{"owner": "a-member-1"})
				cmd := exec.CommandContext(t.Context(), node, filepath.Join(subscriptionClientsDir, "clients.mjs"),
					client, e.URL+"/graphql", e.token("a-member-1"), watchSubscription, string(vars))
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
			})
		}
	})
}
