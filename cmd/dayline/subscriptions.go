package main

import (
	"context"
	"errors"
	"io"
	"log/slog"

	"github.com/dayline/dayline/api"
	"github.com/dayline/dayline/pubsub"
	"github.com/dayline/dayline/subscribe"
)

// subscriptions is what serves subscriptions in `serve`: the bus, this
// instance's hub on it, and the transports' settings.
type subscriptions struct {
	bus     pubsub.Bus
	hub     *subscribe.Hub
	streams api.StreamConfig
	stop    context.CancelFunc
	done    chan error
}

// startSubscriptions builds the bus (bus.go) and runs the hub on it until
// stopHub (or ctx ends).
func startSubscriptions(ctx context.Context, cfg config, an authn, logger *slog.Logger) (*subscriptions, error) {
	bus, err := newBus(ctx, cfg, logger)
	if err != nil {
		return nil, err
	}
	s := &subscriptions{
		bus: bus,
		hub: subscribe.New(bus, cfg.SubscriptionQueue),
		streams: api.StreamConfig{
			Verifier: an.verifier, AllowedOrigins: splitList(cfg.CORSOrigins),
			KeepAlive: cfg.SubscriptionKeepAlive, WriteTimeout: cfg.SubscriptionWriteTimeout,
			MaxSubscriptionsPerConnection: cfg.MaxSubscriptionsPerConnection,
			MaxConnectionsPerUser:         cfg.MaxConnectionsPerUser,
			RealtimeLifetime:              cfg.RealtimeLifetime,
		},
		done: make(chan error, 1),
	}
	hubCtx, stop := context.WithCancel(context.WithoutCancel(ctx))
	s.stop = stop
	go func() { s.done <- s.hub.Run(hubCtx) }()
	return s, nil
}

// apply makes gql serve subscriptions through s.
func (s *subscriptions) apply(c *api.Config) {
	c.Feed, c.Events, c.Streams = s.hub, s.bus, &s.streams
}

// shutdown ends every subscription cleanly: the hub stops (each
// subscription completes), then every WebSocket closes (1001) once its
// subscriptions have, within ctx.
func (s *subscriptions) shutdown(ctx context.Context, gql *api.Handler) error {
	s.stop()
	hubErr := <-s.done
	return errors.Join(hubErr, gql.CloseStreams(ctx))
}

// closeBus releases the bus (the Redis bus's connections) once the HTTP
// server has drained: mutations that commit during the drain still
// publish their events to the other instances.
func (s *subscriptions) closeBus() error {
	if c, ok := s.bus.(io.Closer); ok {
		return c.Close()
	}
	return nil
}
