package main

import (
	"context"
	"log/slog"

	"github.com/dayline/dayline/pubsub"
)

// newBus returns the bus that carries change events between instances for
// subscriptions: in process (one instance).
func newBus(_ context.Context, _ config, _ *slog.Logger) (pubsub.Bus, error) {
	return pubsub.NewLocal(), nil
}
