package main

import (
	"context"
	"fmt"
	"log/slog"

	goredis "github.com/redis/go-redis/v9"

	"github.com/dayline/dayline/pubsub"
	redisbus "github.com/dayline/dayline/pubsub/redis"
)

// newBus returns the bus that carries change events between instances for
// subscriptions: through Redis with --redis-url (every instance on one
// channel), else in process (one instance). It makes no network call: a
// Redis bus connects when the hub starts listening, and reports itself
// degraded (log, /healthz) while Redis is away.
func newBus(_ context.Context, cfg config, logger *slog.Logger) (pubsub.Bus, error) {
	if cfg.RedisURL == "" {
		return pubsub.NewLocal(), nil
	}
	// go-redis logs some connection failures itself, to stderr through a
	// process-wide logger: send them to Dayline's log instead.
	goredis.SetLogger(redisLog{logger})
	bus, err := redisbus.New(redisbus.Options{URL: cfg.RedisURL, Channel: cfg.RedisChannel, Logger: logger})
	if err != nil {
		return nil, fmt.Errorf("--redis-url: %w", err)
	}
	return bus, nil
}

// redisLog writes go-redis's own log lines at debug level: the bus
// already says, once, when fan-out degrades and recovers.
type redisLog struct{ logger *slog.Logger }

func (l redisLog) Printf(ctx context.Context, format string, v ...any) {
	l.logger.DebugContext(ctx, "redis client", "message", fmt.Sprintf(format, v...))
}
