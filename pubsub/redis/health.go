package redis

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"strings"
	"sync"
	"sync/atomic"

	goredis "github.com/redis/go-redis/v9"

	"github.com/dayline/dayline/pubsub"
)

// link is the state of the bus's one Redis subscription.
type link int

const (
	linkStarting link = iota // Listen has not subscribed yet
	linkUp                   // subscribed: events from every instance arrive
	linkDown                 // lost; Listen is re-establishing it
	linkStopped              // Listen has returned
)

// Details of a degraded Status, fit for /healthz: short, no address, no
// credentials.
const (
	detailStarting = "redis fan-out: not subscribed yet"
	detailStopped  = "redis fan-out: not listening"
	detailLost     = "redis fan-out: subscription lost, Redis %s; events from other instances are not received"
	detailPublish  = "redis fan-out: publish failed, Redis %s; events of this instance do not reach others"
)

// health tracks the bus's Status: the subscription's link and the outcome
// of the last publish. It logs once when fan-out becomes degraded and once
// when it recovers, and reports every change to onStatus.
type health struct {
	log      *slog.Logger
	onStatus func(pubsub.Status)

	current atomic.Pointer[pubsub.Status]

	mu         sync.Mutex
	link       link
	linkDetail string // why the link is down
	pubDetail  string // why the last publish failed; "" when it succeeded
	alarmed    bool   // a "degraded" line was logged and no "recovered" since
	everUp     bool
}

func newHealth(log *slog.Logger, onStatus func(pubsub.Status)) *health {
	h := &health{log: log, onStatus: onStatus}
	h.current.Store(&pubsub.Status{Degraded: true, Detail: detailStarting})
	return h
}

// status returns the current Status; safe to call from onStatus.
func (h *health) status() pubsub.Status { return *h.current.Load() }

// subscribed records that Redis confirmed the subscription: Redis is
// reachable again, so an earlier failed publish no longer says otherwise.
func (h *health) subscribed() {
	h.update(func() { h.link, h.linkDetail, h.pubDetail = linkUp, "", "" }, nil)
}

// subscriptionLost records that the subscription broke, or could not be
// made, because of err.
func (h *health) subscriptionLost(err error) {
	h.update(func() { h.link, h.linkDetail = linkDown, fmt.Sprintf(detailLost, describe(err)) }, err)
}

// stopped records that Listen returned.
func (h *health) stopped() {
	h.update(func() { h.link, h.linkDetail = linkStopped, "" }, nil)
}

// subscriptionIsLost reports whether the link is down, and why.
func (h *health) subscriptionIsLost() (detail string, lost bool) {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.linkDetail, h.link == linkDown
}

// published records the outcome of a publish (err nil: it succeeded).
func (h *health) published(err error) {
	if err == nil {
		h.update(func() { h.pubDetail = "" }, nil)
		return
	}
	h.update(func() { h.pubDetail = fmt.Sprintf(detailPublish, describe(err)) }, err)
}

// update applies change under the lock, then logs and reports the new
// Status if it differs. cause is the error behind the change, if any.
func (h *health) update(change func(), cause error) {
	h.mu.Lock()
	defer h.mu.Unlock()
	change()
	next := h.compute()
	prev := h.status()
	alarm := h.link == linkDown || h.pubDetail != ""
	switch {
	case h.link == linkStopped:
		h.alarmed = false // a shutdown is neither a degradation nor a recovery
	case alarm && !h.alarmed:
		h.alarmed = true
		attrs := []any{"detail", next.Detail}
		if cause != nil {
			attrs = append(attrs, "err", cause.Error())
		}
		h.log.Warn("redis fan-out degraded", attrs...)
	case !alarm && h.alarmed && !next.Degraded:
		h.alarmed = false
		h.log.Info("redis fan-out recovered")
	case h.link == linkUp && !h.everUp:
		h.log.Info("redis fan-out subscribed")
	}
	if h.link == linkUp {
		h.everUp = true
	}
	if next == prev {
		return
	}
	h.current.Store(&next)
	if h.onStatus != nil {
		h.onStatus(next)
	}
}

// compute derives the Status from the state; h.mu is held.
func (h *health) compute() pubsub.Status {
	switch {
	case h.link == linkDown:
		return pubsub.Status{Degraded: true, Detail: h.linkDetail}
	case h.pubDetail != "":
		return pubsub.Status{Degraded: true, Detail: h.pubDetail}
	case h.link == linkStarting:
		return pubsub.Status{Degraded: true, Detail: detailStarting}
	case h.link == linkStopped:
		return pubsub.Status{Degraded: true, Detail: detailStopped}
	}
	return pubsub.Status{}
}

// describe says in a word or two why Redis failed, without the address or
// anything else from the configuration: "timed out", "refused the command
// (NOAUTH)", or "unreachable".
func describe(err error) string {
	var netErr net.Error
	var redisErr goredis.Error
	switch {
	case errors.Is(err, context.DeadlineExceeded) || errors.Is(err, errNoPong) || errors.As(err, &netErr) && netErr.Timeout():
		return "timed out"
	case errors.As(err, &redisErr):
		code, _, _ := strings.Cut(redisErr.Error(), " ")
		return "refused the command (" + code + ")"
	default:
		return "unreachable"
	}
}
