package e2e_test

import (
	"encoding/json"
	"net/http"
	"testing"

	goredis "github.com/redis/go-redis/v9"

	"github.com/dayline/dayline/internal/redistest"
	"github.com/dayline/dayline/pubsub"
	redisbus "github.com/dayline/dayline/pubsub/redis"
	"github.com/dayline/dayline/subscribe"
)

// TestFanoutAcrossInstances runs two Dayline instances on one store and
// one real Redis (--redis-url): a caregiver's mutation on instance A
// reaches a watch subscribed on instance B, through one Redis
// subscription per instance whatever the number of subscribers. With
// Redis stopped, mutations still succeed and /healthz says fan-out is
// degraded; the change made meanwhile is lost (at most once), and
// delivery resumes by itself when Redis is back.
func TestFanoutAcrossInstances(t *testing.T) {
	forEachStore(t, func(t *testing.T, open opener) {
		redis := redistest.Start(t)
		var hubA, hubB *subscribe.Hub
		statusA, statusB := make(chan pubsub.Status, 64), make(chan pubsub.Status, 64)
		a := newEnv(t, open, withSubscriptions(t, hubInto(&hubA), overBus(redisBusFor(t, redis, statusA))))
		b := otherInstance(t, a, withSubscriptions(t, hubInto(&hubB), overBus(redisBusFor(t, redis, statusB))))
		awaitStatus(t, statusA, false)
		awaitStatus(t, statusB, false)

		watch := connect(t, b, "a-member-1")
		watch.subscribe("1", watchSubscription, map[string]any{"owner": "a-member-1"})
		dashboard := connect(t, a, "a-caregiver")
		dashboard.subscribe("2", watchSubscription, map[string]any{"id": "a-member-1-sched"})
		other := connect(t, b, "a-member-2")
		other.subscribe("3", watchSubscription, nil)
		registered(t, hubB, 2)
		registered(t, hubA, 1)
		if n := redisSubscribers(t, redis, redisbus.DefaultChannel); n != 2 {
			t.Errorf("Redis counts %d subscriptions on %s, want 2 (one per instance)", n, redisbus.DefaultChannel)
		}

		retitle(t, a, "a-caregiver", "a-member-1-sched", 1, "Across instances")
		for _, c := range []struct {
			client *wsClient
			id     string
		}{{watch, "1"}, {dashboard, "2"}} {
			got, errs := nextPayload[scheduleEvent](c.client, c.id)
			if len(errs) > 0 || got.OnScheduleChanged == nil || got.OnScheduleChanged.Version != 2 || got.OnScheduleChanged.Title != "Across instances" {
				t.Fatalf("subscription %s: %+v %+v, want version 2 titled Across instances", c.id, got.OnScheduleChanged, errs)
			}
		}

		redis.Stop()
		awaitStatus(t, statusA, true)
		awaitStatus(t, statusB, true)
		if h := healthz(t, a); h.Fanout != "degraded" || h.FanoutDetail == "" {
			t.Errorf("/healthz with Redis stopped: %+v, want fanout degraded with a detail", h)
		}
		retitle(t, a, "a-caregiver", "a-member-1-sched", 2, "While Redis is away") // still succeeds

		redis.Restart()
		awaitStatus(t, statusA, false)
		awaitStatus(t, statusB, false)
		if h := healthz(t, b); h.Fanout != "ok" {
			t.Errorf("/healthz with Redis back: %+v, want fanout ok", h)
		}
		retitle(t, a, "a-caregiver", "a-member-1-sched", 3, "Redis is back")
		got, errs := nextPayload[scheduleEvent](watch, "1")
		if len(errs) > 0 || got.OnScheduleChanged == nil || got.OnScheduleChanged.Version != 4 || got.OnScheduleChanged.Title != "Redis is back" {
			t.Fatalf("after Redis returned: %+v %+v, want version 4 (version 3's event was lost while Redis was away)", got.OnScheduleChanged, errs)
		}
		// Member 2 never got member 1's schedule: its next event is its own.
		retitle(t, a, "a-caregiver", "a-member-2-sched", 1, "Member 2's own")
		own, errs := nextPayload[scheduleEvent](other, "3")
		if len(errs) > 0 || own.OnScheduleChanged == nil || own.OnScheduleChanged.ID != "a-member-2-sched" {
			t.Fatalf("member 2: %+v %+v, want its own schedule's change first", own.OnScheduleChanged, errs)
		}
	})
}

// redisBusFor returns a maker of a Redis bus on server, which reports its
// status changes on status and is closed when the test ends (after its
// hub, which stops first).
func redisBusFor(t *testing.T, server *redistest.Server, status chan<- pubsub.Status) func() pubsub.Bus {
	return func() pubsub.Bus {
		bus, err := redisbus.New(redisbus.Options{URL: server.URL(), OnStatus: func(s pubsub.Status) { status <- s }})
		if err != nil {
			t.Fatalf("redis bus: %v", err)
		}
		t.Cleanup(func() { _ = bus.Close() })
		return bus
	}
}

// awaitStatus reads status changes until one is (or is not) degraded.
func awaitStatus(t *testing.T, status <-chan pubsub.Status, degraded bool) {
	t.Helper()
	for {
		select {
		case s := <-status:
			if s.Degraded == degraded {
				return
			}
		case <-t.Context().Done():
			t.Fatalf("fan-out never became degraded=%v", degraded)
		}
	}
}

// redisSubscribers counts the subscriptions Redis holds on channel.
func redisSubscribers(t *testing.T, server *redistest.Server, channel string) int64 {
	t.Helper()
	opts, err := goredis.ParseURL(server.URL())
	if err != nil {
		t.Fatal(err)
	}
	c := goredis.NewClient(opts)
	defer c.Close()
	counts, err := c.PubSubNumSub(t.Context(), channel).Result()
	if err != nil {
		t.Fatalf("PUBSUB NUMSUB: %v", err)
	}
	return counts[channel]
}

// health is /healthz's answer.
type health struct {
	Fanout       string `json:"fanout"`
	FanoutDetail string `json:"fanoutDetail"`
}

// healthz reads e's /healthz.
func healthz(t *testing.T, e *env) health {
	t.Helper()
	res, err := http.Get(e.URL + "/healthz")
	if err != nil {
		t.Fatalf("/healthz: %v", err)
	}
	defer res.Body.Close()
	var h health
	if err := json.NewDecoder(res.Body).Decode(&h); err != nil || res.StatusCode != http.StatusOK {
		t.Fatalf("/healthz: status %d, %v", res.StatusCode, err)
	}
	return h
}
