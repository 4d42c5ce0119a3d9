package redis_test

import (
	"fmt"
	"reflect"
	"strings"
	"testing"

	goredis "github.com/redis/go-redis/v9"
	"go.uber.org/goleak"

	"github.com/dayline/dayline/internal/redistest"
	"github.com/dayline/dayline/pubsub"
	"github.com/dayline/dayline/pubsub/redis"
)

// TestMain fails the package if any test leaves a goroutine behind: a
// bus's Listen, its connections and go-redis's own goroutines included.
func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

// rawClient is a plain go-redis client on server, closed when the test ends.
func rawClient(t *testing.T, server *redistest.Server) *goredis.Client {
	t.Helper()
	c := goredis.NewClient(&goredis.Options{Addr: server.Addr})
	t.Cleanup(func() { _ = c.Close() })
	return c
}

// subscriptions counts the Redis subscriptions to the default channel.
func subscriptions(t *testing.T, c *goredis.Client) int64 {
	t.Helper()
	counts, err := c.PubSubNumSub(t.Context(), redis.DefaultChannel).Result()
	if err != nil {
		t.Fatalf("PUBSUB NUMSUB: %v", err)
	}
	return counts[redis.DefaultChannel]
}

func TestTwoInstancesReceiveEachOthersEventsInOrder(t *testing.T) {
	server := redistest.Start(t)
	a := startInstance(t, "a", server.URL())
	b := startInstance(t, "b", server.URL())
	a.awaitHealthy(t)
	b.awaitHealthy(t)

	var want []pubsub.Event
	for v := 1; v <= 5; v++ {
		e := scheduleChanged("schedule-a", v)
		a.publish(t, e)
		want = append(want, e)
	}
	for _, e := range []pubsub.Event{
		{Kind: pubsub.TaskCompleted, OrganisationID: "org-1", OwnerID: "member-2", ScheduleID: "schedule-b", TaskID: "task-1", Date: "2026-03-02"},
		{Kind: pubsub.ScheduleChanged, OrganisationID: "org-1", OwnerID: "member-2", ScheduleID: "schedule-b", Version: 7, Deleted: true},
	} {
		b.publish(t, e)
		want = append(want, e)
	}

	for _, in := range []*instance{a, b} {
		if got := in.receive(t, len(want)); !reflect.DeepEqual(got, want) {
			t.Errorf("%s received\n%+v\nwant\n%+v", in.name, got, want)
		}
	}
}

func TestOneRedisSubscriptionPerInstance(t *testing.T) {
	server := redistest.Start(t)
	client := rawClient(t, server)
	if n := subscriptions(t, client); n != 0 {
		t.Fatalf("before any bus: %d subscriptions, want 0", n)
	}
	a := startInstance(t, "a", server.URL())
	a.awaitHealthy(t)
	if n := subscriptions(t, client); n != 1 {
		t.Errorf("one bus: %d subscriptions, want 1", n)
	}
	b := startInstance(t, "b", server.URL())
	b.awaitHealthy(t)
	// Publishing and receiving opens no further subscription.
	for v := 1; v <= 20; v++ {
		a.publish(t, scheduleChanged("schedule-1", v))
	}
	a.receive(t, 20)
	b.receive(t, 20)
	if n := subscriptions(t, client); n != 2 {
		t.Errorf("two buses: %d subscriptions, want 2", n)
	}
}

func TestUndecodableMessagesAreDroppedAndLogged(t *testing.T) {
	server := redistest.Start(t)
	client := rawClient(t, server)
	a := startInstance(t, "a", server.URL())
	a.awaitHealthy(t)

	bad := []string{
		`not json`,
		`{"kind":"somethingElse","organisationId":"org-1","ownerId":"member-1","scheduleId":"s"}`,
		`{"kind":"scheduleChanged","organisationId":"org-1"}`,
		`["scheduleChanged"]`,
	}
	for _, payload := range bad {
		if err := client.Publish(t.Context(), redis.DefaultChannel, payload).Err(); err != nil {
			t.Fatalf("publish %q: %v", payload, err)
		}
	}
	good := scheduleChanged("schedule-1", 3)
	a.publish(t, good)

	// Redis delivers in order: the good event arrives after the bad ones
	// were read, so they were dropped if it is the first one delivered.
	if got := a.receive(t, 1); got[0] != good {
		t.Errorf("first delivered event = %+v, want %+v (the bad messages dropped)", got[0], good)
	}
	if n := a.logLines("redis fan-out: dropped a message that is not an event"); n != len(bad) {
		t.Errorf("%d lines logged for dropped messages, want %d:\n%s", n, len(bad), a.log)
	}
	if s := a.bus.Status(); s.Degraded {
		t.Errorf("status after bad messages = %+v, want healthy", s)
	}
}

// TestRedisStopsAndReturns stops Redis under two instances: publishing
// fails, both are degraded (logged once) and keep listening; when Redis is
// back on the same port both recover by themselves (logged once) and
// deliver each other's events again, still on one subscription each.
func TestRedisStopsAndReturns(t *testing.T) {
	server := redistest.Start(t)
	a := startInstance(t, "a", server.URL())
	b := startInstance(t, "b", server.URL())
	a.awaitHealthy(t)
	b.awaitHealthy(t)
	before := scheduleChanged("schedule-1", 1)
	a.publish(t, before)
	b.receive(t, 1)
	a.receive(t, 1)

	server.Stop()
	for _, in := range []*instance{a, b} {
		s := in.awaitDegraded(t)
		if !strings.Contains(s.Detail, "subscription lost") {
			t.Errorf("%s: degraded detail %q, want it to say the subscription is lost", in.name, s.Detail)
		}
		if strings.Contains(s.Detail, server.Addr) || len(s.Detail) > 120 {
			t.Errorf("%s: detail %q: want a short line without the address", in.name, s.Detail)
		}
	}
	for v := 2; v <= 4; v++ {
		if err := a.bus.Publish(t.Context(), scheduleChanged("schedule-1", v)); err == nil {
			t.Errorf("a: Publish with Redis stopped returned nil, want an error")
		}
	}
	if s := a.bus.Status(); !s.Degraded {
		t.Errorf("a: status after failed publishes = %+v, want degraded", s)
	}
	for _, in := range []*instance{a, b} {
		select {
		case <-in.listening:
			t.Fatalf("%s: Listen returned while Redis was stopped (%v)", in.name, in.listenErr)
		default:
		}
	}

	server.Restart()
	a.awaitHealthy(t)
	b.awaitHealthy(t)
	fromA, fromB := scheduleChanged("schedule-1", 5), scheduleChanged("schedule-2", 1)
	a.publish(t, fromA)
	if got := b.receive(t, 1); got[0] != fromA {
		t.Errorf("b received %+v after the restart, want %+v", got[0], fromA)
	}
	b.publish(t, fromB)
	if got := a.receive(t, 2); got[0] != fromA || got[1] != fromB {
		t.Errorf("a received %+v after the restart, want [%+v %+v]", got, fromA, fromB)
	}
	if got := b.receive(t, 1); got[0] != fromB {
		t.Errorf("b received %+v, want its own %+v", got[0], fromB)
	}
	if n := subscriptions(t, rawClient(t, server)); n != 2 {
		t.Errorf("after the restart: %d subscriptions, want 2", n)
	}
	for _, in := range []*instance{a, b} {
		degraded, recovered := in.logLines("redis fan-out degraded"), in.logLines("redis fan-out recovered")
		if degraded != 1 || recovered != 1 {
			t.Errorf("%s logged %d degraded and %d recovered lines, want 1 and 1:\n%s", in.name, degraded, recovered, in.log)
		}
	}
}

func TestListenReturnsWhenItsContextEnds(t *testing.T) {
	for _, redisUp := range []bool{true, false} {
		t.Run(fmt.Sprintf("redis up %v", redisUp), func(t *testing.T) {
			server := redistest.Start(t)
			a := startInstance(t, "a", server.URL())
			a.awaitHealthy(t)
			if !redisUp {
				server.Stop()
				a.awaitDegraded(t)
			}
			a.stopListening(t) // fails the test unless Listen returns nil
			if s := a.bus.Status(); !s.Degraded || s.Detail != "redis fan-out: not listening" {
				t.Errorf("status after Listen returned = %+v, want degraded, not listening", s)
			}
		})
	}
}

func TestPublishFailsWhenRedisWasNeverThere(t *testing.T) {
	server := redistest.Start(t)
	server.Stop()
	a := startInstance(t, "a", server.URL())
	s := a.awaitStatus(t, "subscription lost", func(s pubsub.Status) bool { return strings.Contains(s.Detail, "subscription lost") })
	if !s.Degraded {
		t.Errorf("status = %+v, want degraded", s)
	}
	if err := a.bus.Publish(t.Context(), scheduleChanged("schedule-1", 1)); err == nil {
		t.Error("Publish with no Redis returned nil, want an error")
	}
	if n := a.logLines("redis fan-out degraded"); n != 1 {
		t.Errorf("%d degraded lines logged, want 1:\n%s", n, a.log)
	}
}

func TestNewRejectsABadURLWithoutRepeatingIt(t *testing.T) {
	for _, url := range []string{"", "http://user:s3cret@example.com", "redis://user:s3cret@host:notaport"} {
		_, err := redis.New(redis.Options{URL: url})
		if err == nil {
			t.Errorf("New(%q) returned no error", url)
			continue
		}
		if strings.Contains(err.Error(), "s3cret") {
			t.Errorf("New(%q) error %q repeats the password", url, err)
		}
	}
}

// TestRefusedPublishDegradesUntilAPublishSucceeds makes Redis refuse the
// bus's PUBLISH (an ACL without it) while its subscription works: Publish
// fails, the bus is degraded (logged once, the password in the URL neither
// logged nor in the detail), and the next publish Redis accepts heals it.
func TestRefusedPublishDegradesUntilAPublishSucceeds(t *testing.T) {
	server := redistest.Start(t)
	admin := rawClient(t, server)
	const password = "pw-not-to-be-shown"
	setUser := func(rules ...any) {
		t.Helper()
		args := append([]any{"ACL", "SETUSER", "dayline", "on", ">" + password, "~*", "&*"}, rules...)
		if err := admin.Do(t.Context(), args...).Err(); err != nil {
			t.Fatalf("ACL SETUSER %v: %v", rules, err)
		}
	}
	setUser("+@all", "-publish")
	a := startInstance(t, "a", "redis://dayline:"+password+"@"+server.Addr)
	a.awaitHealthy(t)

	for v := 1; v <= 3; v++ {
		if err := a.bus.Publish(t.Context(), scheduleChanged("schedule-1", v)); err == nil {
			t.Fatal("Publish without the PUBLISH permission returned nil, want an error")
		}
	}
	s := a.bus.Status()
	if want := "redis fan-out: publish failed, Redis refused the command (NOPERM); events of this instance do not reach others"; !s.Degraded || s.Detail != want {
		t.Errorf("status = %+v, want degraded with %q", s, want)
	}

	setUser("+publish")
	e := scheduleChanged("schedule-1", 4)
	a.publish(t, e)
	if got := a.receive(t, 1); got[0] != e {
		t.Errorf("received %+v, want %+v", got[0], e)
	}
	if s := a.bus.Status(); s.Degraded {
		t.Errorf("status after a publish succeeded = %+v, want healthy", s)
	}
	degraded, recovered := a.logLines("redis fan-out degraded"), a.logLines("redis fan-out recovered")
	if degraded != 1 || recovered != 1 {
		t.Errorf("logged %d degraded and %d recovered lines, want 1 and 1:\n%s", degraded, recovered, a.log)
	}
	if strings.Contains(a.log.String(), password) {
		t.Errorf("the log shows the password:\n%s", a.log)
	}
}
