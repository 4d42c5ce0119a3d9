// Command load drives a real Dayline HTTP server with concurrent clients
// and reports requests/s, p50/p99 latency, CPU time and allocations per
// request for the watch's agenda query and the caregiver's dashboard query.
//
//	go run ./bench/load -concurrency 50 -duration 10s
//
// The server runs in this process on 127.0.0.1 (a free port) over the
// embedded store (or DynamoDB with -store dynamodb -dynamodb-endpoint URL,
// e.g. DynamoDB Local), seeded with the demo organisation; the clients are
// HTTP/1.1 keep-alive connections driven by a lean client (like wrk) so the
// load generator takes little of the CPU it shares with the server. The
// garbage collector takes GOGC from the environment like any Go program
// (GOGC=800 go run ./bench/load ...). Allocations are counted for
// the whole process (server and clients); `go test -bench` gives
// server-only figures.
// With DynamoDB it also reports DynamoDB requests per query.
package main

import (
	"bytes"
	"context"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"os"
	"runtime"
	"runtime/pprof"
	"slices"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/oklog/ulid/v2"

	"github.com/dayline/dayline/api"
	"github.com/dayline/dayline/auth"
	"github.com/dayline/dayline/demo"
	"github.com/dayline/dayline/scalars"
	"github.com/dayline/dayline/server"
)

type scenario struct {
	name, user, query string
}

func main() {
	concurrency := flag.Int("concurrency", 50, "concurrent clients")
	duration := flag.Duration("duration", 10*time.Second, "how long each scenario runs")
	warmup := flag.Duration("warmup", 2*time.Second, "warm-up before measuring")
	only := flag.String("scenario", "", "run only this scenario (agenda or dashboard)")
	cpuProfile := flag.String("cpuprofile", "", "write a CPU profile of the measured runs to this file")
	memProfile := flag.String("memprofile", "", "write an allocation profile (whole run) to this file when done")
	storeKind := flag.String("store", "bolt", "bolt or dynamodb")
	endpoint := flag.String("dynamodb-endpoint", "", "DynamoDB endpoint (DynamoDB Local) for -store dynamodb")
	loaderWait := flag.Duration("loader-wait", 0, "the server's --loader-wait (0: its default)")
	flag.Parse()
	if *cpuProfile != "" {
		f, err := os.Create(*cpuProfile)
		if err != nil {
			fmt.Fprintln(os.Stderr, "load:", err)
			os.Exit(1)
		}
		_ = pprof.StartCPUProfile(f)
		defer pprof.StopCPUProfile()
	}
	if err := run(*concurrency, *duration, *warmup, *only, *storeKind, *endpoint, *loaderWait); err != nil {
		fmt.Fprintln(os.Stderr, "load:", err)
		pprof.StopCPUProfile()
		os.Exit(1)
	}
	if *memProfile != "" {
		if err := writeAllocProfile(*memProfile); err != nil {
			fmt.Fprintln(os.Stderr, "load:", err)
			os.Exit(1)
		}
	}
}

// writeAllocProfile writes the allocations made so far (pprof's "allocs"
// profile; read it with go tool pprof -sample_index=alloc_objects).
func writeAllocProfile(path string) error {
	runtime.GC() // the profile counts allocations up to the last collection
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	if err := pprof.Lookup("allocs").WriteTo(f, 0); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

func run(concurrency int, duration, warmup time.Duration, only, storeKind, endpoint string, loaderWait time.Duration) error {
	dir, err := os.MkdirTemp("", "dayline-load")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	st, meter, err := openStore(storeKind, endpoint, dir)
	if err != nil {
		return err
	}
	now := time.Now()
	if err := demo.Seed(context.Background(), st, now, func() string { return ulid.Make().String() }); err != nil {
		return err
	}
	issuer, err := auth.OpenLocalIssuer(dir, "dayline-load", "dayline-load", time.Now)
	if err != nil {
		return err
	}
	verifier, err := auth.NewVerifier(issuer.Config(), issuer.KeySource())
	if err != nil {
		return err
	}
	// The server formats its JSON access log as `dayline serve` does; the
	// lines go to io.Discard so the terminal does not become the bottleneck.
	logger := slog.New(slog.NewJSONHandler(io.Discard, nil))
	h := server.New(server.Config{
		GraphQL: api.New(api.Config{Store: st, Logger: logger, Now: func() time.Time { return time.Now().UTC() }, NewID: func() string { return ulid.Make().String() },
			Meter: meter.meter(), LoaderWait: loaderWait}),
		Verifier: verifier, Logger: logger,
	})
	ctx, stop := context.WithCancel(context.Background())
	defer stop()
	addrc := make(chan net.Addr, 1)
	go func() { _ = server.Run(ctx, "127.0.0.1:0", h, 5*time.Second, func(a net.Addr) { addrc <- a }) }()
	addr := (<-addrc).String()

	today := string(scalars.DateOf(now.In(mustLoad(demo.Timezone))))
	scenarios := []scenario{
		{"agenda", demo.Member1ID, fmt.Sprintf(`{"query":"query($d: AWSDate!) { agenda(userId: \"%s\", date: $d) { startsAt endsAt completed task { id title icon startTime durationMinutes } } }","variables":{"d":"%s"}}`, demo.Member1ID, today)},
		{"dashboard", demo.CaregiverID, fmt.Sprintf(`{"query":"query($d: AWSDate!) { me { organisation { name members(limit: 50) { items { id name email agenda(date: $d) { startsAt completed task { title } } } } } } }","variables":{"d":"%s"}}`, today)},
	}
	fmt.Printf("Dayline load: %d clients, %s per scenario (after %s warm-up), GOMAXPROCS=%d, store %s, demo data\n\n",
		concurrency, duration, warmup, runtime.GOMAXPROCS(0), storeKind)
	fmt.Printf("%-10s %10s %10s %10s %10s %10s %12s %8s %14s\n", "scenario", "requests", "req/s", "p50", "p99", "cpu/req", "allocs/req", "errors", "store req/query")
	for _, sc := range scenarios {
		if only != "" && only != sc.name {
			continue
		}
		tok, err := issuer.Mint(sc.user, []string{groupOf(sc.user)}, "", time.Hour)
		if err != nil {
			return err
		}
		drive(addr, tok, sc.query, concurrency, warmup)
		meter.reset()
		res := drive(addr, tok, sc.query, concurrency, duration)
		fmt.Printf("%-10s %10d %10.0f %10s %10s %10s %12.0f %8d %14s\n", sc.name, res.requests, res.rps, res.p50, res.p99,
			res.cpuPerReq, res.allocsPerReq, res.errors, meter.perOperation())
	}
	return nil
}

func groupOf(userID string) string {
	for _, u := range demo.Users(time.Now()) {
		if u.ID == userID {
			return u.Role.Group()
		}
	}
	return ""
}

func mustLoad(name string) *time.Location {
	loc, err := time.LoadLocation(name)
	if err != nil {
		panic(err)
	}
	return loc
}

type result struct {
	requests     int
	errors       int64
	rps          float64
	p50, p99     time.Duration
	allocsPerReq float64
	// cpuPerReq is the process's CPU time (user and system, server and
	// clients) per request: steadier than req/s on a machine whose speed
	// drifts, so the figure to compare builds by.
	cpuPerReq time.Duration
}

// drive runs concurrency clients, each on its own keep-alive connection,
// posting body for d, and measures them.
func drive(addr, token, body string, concurrency int, d time.Duration) result {
	var errs atomic.Int64
	lat := make([][]time.Duration, concurrency)
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	cpuBefore := cpuTime()
	deadline := time.Now().Add(d)
	start := time.Now()
	var wg sync.WaitGroup
	for i := range concurrency {
		wg.Go(func() {
			c, err := dial(addr, "/graphql", token, body)
			if err != nil {
				errs.Add(1)
				return
			}
			defer c.close()
			var buf bytes.Buffer
			for time.Now().Before(deadline) {
				t0 := time.Now()
				ok, err := c.do(&buf)
				if err != nil {
					errs.Add(1)
					return
				}
				if !ok {
					errs.Add(1)
				}
				lat[i] = append(lat[i], time.Since(t0))
			}
		})
	}
	wg.Wait()
	elapsed := time.Since(start)
	runtime.ReadMemStats(&after)
	cpu := cpuTime() - cpuBefore
	all := slices.Concat(lat...)
	slices.Sort(all)
	r := result{requests: len(all), errors: errs.Load()}
	if len(all) == 0 {
		return r
	}
	r.rps = float64(len(all)) / elapsed.Seconds()
	r.p50 = all[len(all)/2].Round(10 * time.Microsecond)
	r.p99 = all[len(all)*99/100].Round(10 * time.Microsecond)
	r.allocsPerReq = float64(after.Mallocs-before.Mallocs) / float64(len(all))
	r.cpuPerReq = (cpu / time.Duration(len(all))).Round(time.Microsecond)
	return r
}

// cpuTime is the CPU time this process has used so far (0 if unknown).
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
