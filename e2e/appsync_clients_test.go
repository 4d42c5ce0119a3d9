package e2e_test

import (
	"bufio"
	"encoding/json"
	"encoding/pem"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/dayline/dayline/subscribe"
)

// appSyncClientsDir holds the AppSync real-time clients (pinned by its
// package-lock.json, installed by scripts/test.sh) and clients.mjs.
const appSyncClientsDir = "../scripts/appsync-clients"

// TestRealAppSyncClients: Amplify JS v6 (authMode userPool, the header-
// subprotocol) and aws-appsync-subscription-link with Apollo Client (the
// header query parameter), configured with Dayline's https:// URL, each
// subscribe to onScheduleChanged as a member over wss:// (httptest's
// throwaway certificate, trusted through NODE_EXTRA_CA_CERTS) and receive
// the change a caregiver makes over HTTP, with the member's own selection.
func TestRealAppSyncClients(t *testing.T) {
	node, err := exec.LookPath("node")
	if err == nil {
		_, err = os.Stat(filepath.Join(appSyncClientsDir, "node_modules", "aws-amplify", "package.json"))
	}
	if err != nil {
		msg := fmt.Sprintf("the AppSync clients need node and `npm ci` in scripts/appsync-clients (scripts/test.sh does both): %v", err)
		if requireNode() {
			t.Fatal(msg)
		}
		t.Skip(msg)
	}
	forEachStore(t, func(t *testing.T, open opener) {
		for _, client := range []string{"amplify", "subscription-link"} {
			t.Run(client, func(t *testing.T) {
				var hub *subscribe.Hub
				e := newTLSEnv(t, open, withSubscriptions(t, hubInto(&hub)))
				ca := filepath.Join(t.TempDir(), "dayline-test-ca.pem")
				if err := os.WriteFile(ca, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: e.Certificate.Raw}), 0o600); err != nil {
					t.Fatal(err)
				}
				vars, _ := json.Marshal(map[string]any{"owner": "a-member-1"})
				cmd := exec.CommandContext(t.Context(), node, filepath.Join(appSyncClientsDir, "clients.mjs"),
					client, e.URL+"/graphql", e.token("a-member-1"), watchSubscription, string(vars))
				cmd.Env = append(os.Environ(), "NODE_EXTRA_CA_CERTS="+ca)
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
