package redis

import (
	"context"
	"errors"
	"math/rand/v2"
	"net"
	"time"

	goredis "github.com/redis/go-redis/v9"

	"github.com/dayline/dayline/pubsub"
)

// Pauses between attempts to re-establish a lost subscription: doubling
// from the first to the last, with jitter, so that instances that lost
// Redis together do not return in step.
const (
	firstRetryPause = 50 * time.Millisecond
	lastRetryPause  = 2 * time.Second
)

// errNoPong says a ping on an idle subscription got no reply in time.
var errNoPong = errors.New("redis did not answer a ping on the subscription")

// Listen calls deliver for each event published on the bus's channel by
// any instance, in the order Redis sends them, until ctx ends; it then
// returns nil, its subscription closed and every goroutine it started
// ended. It holds one Redis subscription (one connection) at a time. When
// that is lost (Redis stopped, restarted or unreachable, or silent for two
// health-check intervals), the bus is degraded and Listen subscribes again,
// pausing between attempts, until Redis answers; events published in the
// meantime are lost. A message that is not an event is logged and dropped.
// Listen never returns an error; call it once per Bus.
func (b *Bus) Listen(ctx context.Context, deliver func(pubsub.Event)) error {
	defer b.health.stopped()
	pause := firstRetryPause
	for {
		err := b.listenOnce(ctx, deliver, func() { pause = firstRetryPause })
		if ctx.Err() != nil {
			return nil
		}
		b.health.subscriptionLost(err)
		if !sleep(ctx, pause) {
			return nil
		}
		pause = min(2*pause, lastRetryPause)
	}
}

// listenOnce subscribes on a new connection and delivers events until the
// connection fails or ctx ends; it returns why it stopped, with the
// connection closed. It calls subscribed when Redis confirms the
// subscription.
func (b *Bus) listenOnce(ctx context.Context, deliver func(pubsub.Event), subscribed func()) error {
	ps := b.client.Subscribe(ctx) // no channel yet: no I/O
	defer ps.Close()
	// A blocked read does not see ctx end; closing the connection ends it.
	closed := make(chan struct{})
	stop := context.AfterFunc(ctx, func() { _ = ps.Close(); close(closed) })
	defer func() {
		if !stop() {
			<-closed
		}
	}()

	if err := ps.Subscribe(ctx, b.channel); err != nil {
		return err
	}
	pinged := false
	for {
		msg, err := ps.ReceiveTimeout(ctx, b.healthInterval)
		switch {
		case err != nil && ctx.Err() == nil && isTimeout(err) && !pinged:
			// Idle: make sure the connection still carries something.
			if err := ps.Ping(ctx); err != nil {
				return err
			}
			pinged = true
			continue
		case err != nil && ctx.Err() == nil && isTimeout(err):
			return errNoPong
		case err != nil:
			return err
		}
		pinged = false
		switch msg := msg.(type) {
		case *goredis.Subscription:
			if msg.Kind == "subscribe" {
				b.health.subscribed()
				subscribed()
			}
		case *goredis.Message:
			e, err := decode(msg.Payload)
			if err != nil {
				b.log.Warn("redis fan-out: dropped a message that is not an event",
					"channel", msg.Channel, "bytes", len(msg.Payload), "err", err.Error())
				continue
			}
			deliver(e)
		}
	}
}

// isTimeout reports whether err is a read deadline passing.
func isTimeout(err error) bool {
	var netErr net.Error
	return errors.As(err, &netErr) && netErr.Timeout()
}

// sleep waits about d (jittered by up to half of it) and reports true, or
// reports false as soon as ctx ends.
func sleep(ctx context.Context, d time.Duration) bool {
	d = d/2 + rand.N(d/2+1)
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return true
	case <-ctx.Done():
		return false
	}
}
