package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"runtime"
	"strings"
	"sync"
	"time"

	"github.com/oklog/ulid/v2"

	"github.com/dayline/dayline/api"
	"github.com/dayline/dayline/auth"
	"github.com/dayline/dayline/demo"
	"github.com/dayline/dayline/domain"
	"github.com/dayline/dayline/pubsub"
	redisbus "github.com/dayline/dayline/pubsub/redis"
	"github.com/dayline/dayline/server"
	"github.com/dayline/dayline/store"
	"github.com/dayline/dayline/store/bolt"
	"github.com/dayline/dayline/subscribe"
)

// instance is one Dayline instance serving subscriptions, as `serve` wires
// it, on a free port of 127.0.0.1, over bus and a deployment's shared
// store and token keys. The -redis-url mode starts two on one deployment,
// each with its own Redis bus: the subscribers on one, the mutation sent
// to the other.
type instance struct {
	*deployment
	addr string
	hub  *subscribe.Hub
	stop func()
}

// deployment is what the instances share: the embedded store seeded with
// the demo organisation, and the token issuer.
type deployment struct {
	st       *bolt.Store
	dir      string
	verifier *auth.Verifier
	newID    func() string
	token    string // a caregiver's: it may subscribe to the owner and change the schedule
	owner    string
	// idleOwner is the member the idle subscribers watch: nothing of it
	// changes.
	idleOwner string
}

// openDeployment opens a fresh store and issuer in a temporary directory;
// close removes them.
func openDeployment(ctx context.Context) (*deployment, error) {
	dir, err := os.MkdirTemp("", "dayline-subscribers")
	if err != nil {
		return nil, err
	}
	st, err := bolt.Open(dir+"/dayline.db", store.NewPageTokens([]byte("bench-secret")))
	if err != nil {
		return nil, err
	}
	newID := func() string { return ulid.Make().String() }
	if err := demo.Seed(ctx, st, time.Now(), newID); err != nil {
		return nil, err
	}
	issuer, err := auth.OpenLocalIssuer(dir, "dayline-bench", "dayline-bench", time.Now)
	if err != nil {
		return nil, err
	}
	verifier, err := auth.NewVerifier(issuer.Config(), issuer.KeySource())
	if err != nil {
		return nil, err
	}
	token, err := issuer.Mint(demo.CaregiverID, []string{domain.GroupCaregivers}, "", time.Hour)
	if err != nil {
		return nil, err
	}
	return &deployment{st: st, dir: dir, verifier: verifier, newID: newID, token: token,
		owner: demo.Member1ID, idleOwner: demo.Member2ID}, nil
}

func (d *deployment) close() {
	_ = d.st.Close()
	_ = os.RemoveAll(d.dir)
}

// newBus is the bus of one instance: through Redis at redisURL, else in
// process. ready is closed once the bus delivers (a Redis bus, once it
// has subscribed).
func newBus(redisURL string) (_ pubsub.Bus, ready <-chan struct{}, _ error) {
	up := make(chan struct{})
	if redisURL == "" {
		close(up)
		return pubsub.NewLocal(), up, nil
	}
	var once sync.Once
	bus, err := redisbus.New(redisbus.Options{URL: redisURL, OnStatus: func(s pubsub.Status) {
		if !s.Degraded {
			once.Do(func() { close(up) })
		}
	}})
	return bus, up, err
}

// startInstance starts an instance of d over bus, once ready (see newBus).
func startInstance(ctx context.Context, d *deployment, bus pubsub.Bus, ready <-chan struct{}) (*instance, error) {
	hub := subscribe.New(bus, 0)
	hubCtx, stopHub := context.WithCancel(ctx)
	hubDone := make(chan error, 1)
	go func() { hubDone <- hub.Run(hubCtx) }()
	logger := slog.New(slog.NewJSONHandler(io.Discard, nil))
	gql := api.New(api.Config{
		Store: d.st, Logger: logger, Now: func() time.Time { return time.Now().UTC() }, NewID: d.newID,
		Feed: hub, Events: bus,
		// One caregiver holds every bench connection.
		Streams: &api.StreamConfig{Verifier: d.verifier, MaxConnectionsPerUser: 1 << 20},
	})
	h := server.New(server.Config{GraphQL: gql, Verifier: d.verifier, Logger: logger, Streams: true, Fanout: hub.Status})
	srvCtx, stopServer := context.WithCancel(ctx)
	addrc := make(chan net.Addr, 1)
	served := make(chan error, 1)
	go func() { served <- server.Run(srvCtx, "127.0.0.1:0", h, 5*time.Second, func(a net.Addr) { addrc <- a }) }()
	var addr net.Addr
	select {
	case addr = <-addrc:
	case err := <-served:
		stopServer()
		stopHub()
		return nil, err
	}
	<-ready
	inst := &instance{deployment: d, addr: addr.String(), hub: hub}
	inst.stop = func() {
		stopHub()
		<-hubDone
		if c, ok := bus.(io.Closer); ok {
			_ = c.Close()
		}
		drain, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		_ = gql.CloseStreams(drain)
		stopServer()
		<-served
	}
	return inst, nil
}

func (i *instance) wsURL() string { return "ws://" + i.addr + "/graphql" }

// memoryUse is what the instance holds live: its heap and goroutine stacks.
type memoryUse struct {
	heap, stacks, bytes uint64
	goroutines          int
}

func (i *instance) memory() memoryUse {
	runtime.GC()
	runtime.GC()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return memoryUse{heap: m.HeapAlloc, stacks: m.StackInuse, bytes: m.HeapAlloc + m.StackInuse, goroutines: runtime.NumGoroutine()}
}

// changeSchedule retitles the owner's first schedule over HTTP, as the
// caregiver.
func (i *instance) changeSchedule() error {
	var list struct {
		Data struct {
			ListSchedules struct {
				Items []struct {
					ID      string
					Version int
				}
			}
		}
	}
	if err := i.post(`query($o: ID!) { listSchedules(ownerId: $o, limit: 1) { items { id version } } }`, map[string]any{"o": i.owner}, &list); err != nil {
		return err
	}
	items := list.Data.ListSchedules.Items
	if len(items) == 0 {
		return fmt.Errorf("%s has no schedule", i.owner)
	}
	var changed struct {
		Data   struct{ UpdateSchedule *struct{ Version int } }
		Errors []struct{ Message string }
	}
	err := i.post(`mutation($id: ID!, $v: Int!) { updateSchedule(input: {id: $id, expectedVersion: $v, title: "Changed"}) { version } }`,
		map[string]any{"id": items[0].ID, "v": items[0].Version}, &changed)
	if err == nil && changed.Data.UpdateSchedule == nil {
		err = fmt.Errorf("updateSchedule: %+v", changed.Errors)
	}
	return err
}

func (i *instance) post(query string, vars map[string]any, out any) error {
	body, _ := json.Marshal(map[string]any{"query": query, "variables": vars})
	req, err := http.NewRequest(http.MethodPost, "http://"+i.addr+"/graphql", bytes.NewReader(body))
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", "Bearer "+i.token)
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		return err
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	if res.StatusCode != http.StatusOK {
		return fmt.Errorf("%s: %d %s", strings.Fields(query)[0], res.StatusCode, b)
	}
	return json.Unmarshal(b, out)
}
