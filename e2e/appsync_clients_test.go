package e2e_test

import (
	"encoding/pem"
	"os"
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
	node := nodeWith(t, appSyncClientsDir, "aws-amplify", "the AppSync clients")
	forEachStore(t, func(t *testing.T, open opener) {
		for _, client := range []string{"amplify", "subscription-link"} {
			t.Run(client, func(t *testing.T) {
				var hub *subscribe.Hub
				e := newTLSEnv(t, open, withSubscriptions(t, hubInto(&hub)))
				ca := filepath.Join(t.TempDir(), "dayline-test-ca.pem")
				if err := os.WriteFile(ca, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: e.Certificate.Raw}), 0o600); err != nil {
					t.Fatal(err)
				}
				receivesChange(t, node, appSyncClientsDir, client, e, hub, "NODE_EXTRA_CA_CERTS="+ca)
			})
		}
	})
}
