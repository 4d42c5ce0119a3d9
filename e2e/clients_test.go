package e2e_test

import (
	"testing"

	"github.com/dayline/dayline/subscribe"
)

// subscriptionClientsDir holds the npm subscription clients (pinned by its
// package-lock.json, installed by scripts/test.sh) and clients.mjs.
const subscriptionClientsDir = "../scripts/subscription-clients"

// TestRealSubscriptionClients: each real npm client (graphql-ws over
// graphql-transport-ws, subscriptions-transport-ws over the legacy
// graphql-ws protocol, graphql-sse over server-sent events) subscribes as
// a member and receives the change a caregiver makes over HTTP, with the
// member's own selection.
func TestRealSubscriptionClients(t *testing.T) {
	node := nodeWith(t, subscriptionClientsDir, "graphql-ws", "the subscription clients")
	forEachStore(t, func(t *testing.T, open opener) {
		for _, client := range []string{"graphql-ws", "subscriptions-transport-ws", "graphql-sse"} {
			t.Run(client, func(t *testing.T) {
				var hub *subscribe.Hub
				e := newEnv(t, open, withSubscriptions(t, hubInto(&hub)))
				receivesChange(t, node, subscriptionClientsDir, client, e, hub)
			})
		}
	})
}
