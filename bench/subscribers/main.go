// Command subscribers measures Dayline's subscriptions on one instance
// (not a test):
//
//		go run ./bench/subscribers [-idle 10000] [-fanout 1000]
//
//	  - idle: that many WebSocket connections (graphql-transport-ws), each
//	    with one subscription that no event matches, are opened against the
//	    instance; the instance's live heap and goroutine stacks after a
//	    garbage collection, before and after, give the memory per
//	    subscriber (goal: at most 40 KB).
//	  - fanout: that many subscribers of one owner's schedules; one
//	    mutation (updateSchedule over HTTP) must reach each, resolved with
//	    its own selection: p50/p99/max delivery latency from just before
//	    the mutation is sent to each client's receipt (goal: p99 under
//	    200 ms).
//
// The instance (instance.go) runs in this process, over the embedded store
// seeded with the demo organisation; the clients (clients.go) run in a
// child process (this program with -role clients), so their memory is not
// counted.
//
// With -redis-url (a running Redis, e.g. `redis-server --port 6390 --save
// ”` and redis://127.0.0.1:6390), two instances share the store, each
// with its own Redis bus: the subscribers connect to the first, the
// mutation goes to the second, so every event crosses Redis.
package main

import (
	"bufio"
	"context"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"runtime"
	"runtime/pprof"
	"slices"
	"strconv"
	"strings"
	"time"
)

func main() {
	role := flag.String("role", "bench", "bench, or clients (the child process)")
	idle := flag.Int("idle", 10000, "idle subscribers for the memory figure (0: skip)")
	fanout := flag.Int("fanout", 1000, "subscribers of one owner for the latency figure (0: skip)")
	url := flag.String("url", "", "clients: the instance's ws:// URL of /graphql")
	token := flag.String("token", "", "clients: the subscribers' token")
	owner := flag.String("owner", "", "clients: the owner whose schedules they subscribe to")
	n := flag.Int("n", 0, "clients: how many subscribers")
	memProfile := flag.String("memprofile", "", "write a heap profile with the idle subscribers open to this file")
	redisURL := flag.String("redis-url", "", "run two instances fanning out through this Redis (subscribers on one, the mutation on the other)")
	flag.Parse()
	heapProfile = *memProfile
	var err error
	if *role == "clients" {
		err = runClients(*url, *token, *owner, *n)
	} else {
		err = run(*idle, *fanout, *redisURL)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "subscribers:", err)
		os.Exit(1)
	}
}

func run(idle, fanout int, redisURL string) error {
	ctx := context.Background()
	d, err := openDeployment(ctx)
	if err != nil {
		return err
	}
	defer d.close()
	subscribers, err := startOn(ctx, d, redisURL)
	if err != nil {
		return err
	}
	defer subscribers.stop()
	changer := subscribers
	mode := "one instance, in-process fan-out"
	if redisURL != "" {
		if changer, err = startOn(ctx, d, redisURL); err != nil {
			return err
		}
		defer changer.stop()
		mode = "two instances through Redis (subscribers on one, the mutation on the other)"
	}
	fmt.Printf("Dayline subscriptions bench: %s, embedded store, demo data, GOMAXPROCS=%d\n", mode, runtime.GOMAXPROCS(0))
	if idle > 0 {
		if err := idleMemory(ctx, subscribers, idle); err != nil {
			return err
		}
	}
	if fanout > 0 {
		if err := fanoutLatency(ctx, subscribers, changer, fanout); err != nil {
			return err
		}
	}
	return nil
}

// startOn starts an instance of d with its own bus (see newBus).
func startOn(ctx context.Context, d *deployment, redisURL string) (*instance, error) {
	bus, ready, err := newBus(redisURL)
	if err != nil {
		return nil, err
	}
	return startInstance(ctx, d, bus, ready)
}

// idleMemory opens n idle subscribers and reports the instance's memory
// per subscriber.
func idleMemory(ctx context.Context, inst *instance, n int) error {
	before := inst.memory()
	clients, err := startClients(inst, inst.idleOwner, n)
	if err != nil {
		return err
	}
	defer clients.stop()
	if err := inst.hub.WaitSubscriptions(ctx, n); err != nil {
		return err
	}
	after := inst.memory()
	if heapProfile != "" {
		if err := writeHeapProfile(heapProfile); err != nil {
			return err
		}
	}
	perSub := float64(after.bytes-before.bytes) / float64(n)
	fmt.Printf("idle: %d subscribers (one WebSocket each): %.1f KB per subscriber (heap %.1f MB -> %.1f MB, stacks %.1f MB -> %.1f MB), %.1f goroutines per subscriber\n",
		n, perSub/1024, mb(before.heap), mb(after.heap), mb(before.stacks), mb(after.stacks),
		float64(after.goroutines-before.goroutines)/float64(n))
	clients.stop()
	return inst.hub.WaitSubscriptions(ctx, 0)
}

// fanoutLatency opens n subscribers of one member's schedules on inst,
// changes one of them through changer, and reports the delivery latency.
func fanoutLatency(ctx context.Context, inst, changer *instance, n int) error {
	clients, err := startClients(inst, inst.owner, n)
	if err != nil {
		return err
	}
	defer clients.stop()
	if err := inst.hub.WaitSubscriptions(ctx, n); err != nil {
		return err
	}
	sent := time.Now()
	if err := changer.changeSchedule(); err != nil {
		return err
	}
	answered := time.Since(sent)
	latencies := make([]time.Duration, 0, n)
	for len(latencies) < n && clients.out.Scan() {
		line := clients.out.Text()
		ns, ok := strings.CutPrefix(line, "recv ")
		if !ok {
			return fmt.Errorf("client: %s", line)
		}
		at, err := strconv.ParseInt(ns, 10, 64)
		if err != nil {
			return err
		}
		latencies = append(latencies, time.Unix(0, at).Sub(sent))
	}
	if len(latencies) < n {
		return fmt.Errorf("only %d of %d subscribers got the change", len(latencies), n)
	}
	slices.Sort(latencies)
	q := func(p float64) time.Duration { return latencies[int(p*float64(n-1))].Round(100 * time.Microsecond) }
	fmt.Printf("fanout: one mutation to %d subscribers of one owner: p50 %s, p99 %s, max %s (from sending the mutation to each client's receipt; the mutation itself answered in %s)\n",
		n, q(0.50), q(0.99), latencies[n-1].Round(100*time.Microsecond), answered.Round(100*time.Microsecond))
	return nil
}

// clientProcess is the child process holding subscribers.
type clientProcess struct {
	cmd *exec.Cmd
	out *bufio.Scanner
}

// startClients runs n subscribers of owner's schedules in a child process.
func startClients(inst *instance, owner string, n int) (*clientProcess, error) {
	self, err := os.Executable()
	if err != nil {
		return nil, err
	}
	cmd := exec.Command(self, "-role", "clients", "-url", inst.wsURL(), "-token", inst.token, "-owner", owner, "-n", strconv.Itoa(n))
	cmd.Stderr = os.Stderr
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		return nil, err
	}
	if err := cmd.Start(); err != nil {
		return nil, err
	}
	return &clientProcess{cmd: cmd, out: bufio.NewScanner(stdout)}, nil
}

// stop ends the child (its connections drop).
func (c *clientProcess) stop() {
	if c.cmd.Process != nil && c.cmd.ProcessState == nil {
		_ = c.cmd.Process.Kill()
		_ = c.cmd.Wait()
	}
}

// heapProfile, when set, is where idleMemory writes a heap profile.
var heapProfile string

func writeHeapProfile(path string) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	defer f.Close()
	return pprof.WriteHeapProfile(f)
}

func mb(b uint64) float64 { return float64(b) / (1 << 20) }
