// Package redis is the pubsub.Bus for several Dayline instances on one
// Redis: every instance publishes its events to one Redis pub/sub channel
// and holds one subscription to it, whatever the number of its subscribers.
//
// A message is the JSON of a pubsub.Event: ids, versions and flags, no
// data. Each instance re-reads what an event names through its own loaders,
// under each subscriber's identity, so nothing a message says decides who
// sees what. A message that does not decode to a known event is logged and
// dropped.
//
// Delivery is at most once, as Redis pub/sub's is: an event published
// while Redis is unreachable, or while an instance's subscription is being
// re-established, is lost for the instances that miss it; their
// subscribers see the next one. Publish never retries (a retry could
// deliver an event twice) and never waits longer than the publish timeout.
//
// Degraded (Status) means events may not reach other instances now: the
// subscription is lost (events from others are not received) or the last
// publish failed (this instance's events do not reach others). Mutations
// are unaffected. The bus logs once when it becomes degraded and once when
// it recovers; Listen re-subscribes by itself when Redis returns.
package redis

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"time"

	goredis "github.com/redis/go-redis/v9"

	"github.com/dayline/dayline/pubsub"
)

// Defaults for Options' zero values.
const (
	DefaultChannel        = "dayline:events"
	DefaultPublishTimeout = 500 * time.Millisecond
	// DefaultHealthCheckInterval: an idle subscription is pinged after this
	// long, and given up (then re-established) when no reply came within
	// another.
	DefaultHealthCheckInterval = 15 * time.Second
)

// Options configure a Bus.
type Options struct {
	// URL is the Redis URL: redis://[user:password@]host:port[/db], or
	// rediss:// for TLS (go-redis's ParseURL, query options included).
	URL string
	// Channel is the Redis pub/sub channel every instance shares
	// (DefaultChannel when empty).
	Channel string
	// Logger receives the degraded/recovered lines and dropped messages
	// (discarded when nil).
	Logger *slog.Logger
	// PublishTimeout bounds one Publish (DefaultPublishTimeout when zero).
	PublishTimeout time.Duration
	// HealthCheckInterval is how long an idle subscription waits before a
	// ping (DefaultHealthCheckInterval when zero).
	HealthCheckInterval time.Duration
	// OnStatus, if set, is called with the new Status each time it changes,
	// in order. It must return quickly; it may call Status.
	OnStatus func(pubsub.Status)
}

// Bus is a pubsub.Bus over Redis pub/sub. Create it with New, call Listen
// once, and Close it when Listen has returned.
type Bus struct {
	client         *goredis.Client
	channel        string
	publishTimeout time.Duration
	healthInterval time.Duration
	log            *slog.Logger
	health         *health
}

var _ pubsub.Bus = (*Bus)(nil)

// New returns a Bus for opts. It does not connect: Listen subscribes, and
// Publish connects on demand. It returns an error if the URL does not
// parse (the error does not repeat the URL, which may hold a password).
func New(opts Options) (*Bus, error) {
	redisOpts, err := goredis.ParseURL(opts.URL)
	if err != nil {
		return nil, fmt.Errorf("redis fan-out: the Redis URL is not valid (want redis:// or rediss://host:port)")
	}
	// Deadlines come from the contexts (the publish timeout); a failed
	// publish is not retried, for at-most-once delivery.
	redisOpts.ContextTimeoutEnabled = true
	redisOpts.MaxRetries = -1
	// One dial per publish: an unreachable Redis fails it at once rather
	// than after go-redis's retries and pauses.
	redisOpts.DialerRetries = 1
	o := opts.withDefaults()
	return &Bus{
		client:         goredis.NewClient(redisOpts),
		channel:        o.Channel,
		publishTimeout: o.PublishTimeout,
		healthInterval: o.HealthCheckInterval,
		log:            o.Logger,
		health:         newHealth(o.Logger, o.OnStatus),
	}, nil
}

func (o Options) withDefaults() Options {
	if o.Channel == "" {
		o.Channel = DefaultChannel
	}
	if o.Logger == nil {
		o.Logger = slog.New(slog.DiscardHandler)
	}
	if o.PublishTimeout <= 0 {
		o.PublishTimeout = DefaultPublishTimeout
	}
	if o.HealthCheckInterval <= 0 {
		o.HealthCheckInterval = DefaultHealthCheckInterval
	}
	return o
}

// Publish sends e to every instance's Listen, this one's included, within
// the publish timeout. It returns an error, and e is lost, when Redis is
// unreachable, does not answer in time, or refuses the command; the first
// such failure makes the bus degraded (logged once), a later success heals
// it. While Listen has lost its subscription (Redis is away) it returns an
// error at once, without trying Redis, so that mutations do not wait on
// an absent Redis one publish timeout each.
func (b *Bus) Publish(ctx context.Context, e pubsub.Event) error {
	if detail, lost := b.health.subscriptionIsLost(); lost {
		return fmt.Errorf("publish %s event: %s", e.Kind, detail)
	}
	body, err := json.Marshal(e)
	if err != nil {
		return fmt.Errorf("encode %s event: %w", e.Kind, err)
	}
	ctx, cancel := context.WithTimeout(ctx, b.publishTimeout)
	defer cancel()
	err = b.client.Publish(ctx, b.channel, body).Err()
	b.health.published(err)
	if err != nil {
		return fmt.Errorf("publish %s event to redis: %w", e.Kind, err)
	}
	return nil
}

// Status reports whether fan-out works now: degraded before Listen has
// subscribed, while the subscription is lost, after a failed publish until
// Redis is seen again, and after Listen has returned.
func (b *Bus) Status() pubsub.Status { return b.health.status() }

// Close releases the publishing connections. Call it after Listen has
// returned; Publish fails afterwards.
func (b *Bus) Close() error { return b.client.Close() }

// decode returns the event in a message's payload, or an error if it is not
// the JSON of an event of a known kind.
func decode(payload string) (pubsub.Event, error) {
	var e pubsub.Event
	if err := json.Unmarshal([]byte(payload), &e); err != nil {
		return pubsub.Event{}, err
	}
	switch e.Kind {
	case pubsub.ScheduleChanged, pubsub.TaskCompleted:
	default:
		return pubsub.Event{}, fmt.Errorf("unknown event kind %q", e.Kind)
	}
	if e.OrganisationID == "" || e.OwnerID == "" || e.ScheduleID == "" {
		return pubsub.Event{}, fmt.Errorf("%s event without organisation, owner or schedule id", e.Kind)
	}
	return e, nil
}
