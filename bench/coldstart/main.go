// Command coldstart measures the Lambda function's cold start under AWS's
// Lambda Runtime Interface Emulator, and the size of the stripped arm64
// bootstrap:
//
//	go run ./bench/coldstart [-runs 10]
//
// It builds bootstrap as make lambda does (CGO_ENABLED=0 GOOS=linux -tags
// lambda.norpc -trimpath -ldflags='-s -w'), for this machine's
// architecture, and the emulator (the module's Go tool dependency), and
// seeds the demo organisation into the embedded store in a temp dir (with
// a dev-mode signing key there). Then, for each event, it runs -runs cold
// starts: each a fresh emulator process (clean environment, Runtime API
// off port 9001) running a fresh bootstrap, sent one event:
//
//   - http: a Lambda Function URL event POSTing `{ me { id } }` to /graphql
//     with a dev token (token check, store read, GraphQL);
//   - appsync: an AppSync Direct Lambda Invoke of Query.me
//     (appsync/testdata/simulator-invoke.json, as a demo member).
//
// A cold start is the wall time from starting the emulator process to
// receiving the answer of the event, which is sent as soon as the emulator
// accepts connections. It is reported in two parts: "emulator", from the
// start to the emulator accepting connections (the emulator's own start,
// no part of Lambda's cold start), and "function", from then to the answer:
// the emulator starting bootstrap (it does so on the first invocation),
// bootstrap's init and the first invocation. The function part is what
// Lambda's cold start adds to the first request beside the download and
// the sandbox. Of the function part, "init" (bootstrap's start to its
// first request for an event: Lambda's Init Duration) and "invoke" (the
// event handed to bootstrap to its answer) are the emulator's own figures,
// from its log. Each figure is printed per run, then as median, min and
// max.
//
// It runs on Linux only, like the emulator.
package main

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"time"
)

func main() {
	runs := flag.Int("runs", 10, "cold starts per event")
	flag.Parse()
	if err := run(*runs); err != nil {
		fmt.Fprintln(os.Stderr, "coldstart:", err)
		os.Exit(1)
	}
}

func run(runs int) error {
	if runtime.GOOS != "linux" {
		return fmt.Errorf("the Lambda Runtime Interface Emulator runs on Linux only, not %s", runtime.GOOS)
	}
	if runs < 1 {
		return fmt.Errorf("-runs must be at least 1")
	}
	root, err := moduleRoot()
	if err != nil {
		return err
	}
	dir, err := os.MkdirTemp("", "dayline-coldstart-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)

	fmt.Printf("building bootstrap (linux/%s and linux/arm64) and the emulator in %s ...\n", runtime.GOARCH, dir)
	bin, err := buildAll(root, dir)
	if err != nil {
		return err
	}
	fmt.Println("seeding the demo organisation into the embedded store ...")
	data, err := seed(filepath.Join(dir, "data"))
	if err != nil {
		return err
	}
	events, err := loadEvents(root, data.token)
	if err != nil {
		return err
	}

	fmt.Printf("\ncold start: from starting the emulator process to the event's answer (sent once the emulator accepts connections)\n")
	fmt.Printf("  = emulator: its process start to accepting connections\n")
	fmt.Printf("  + function: then to the answer (the emulator starting bootstrap, bootstrap's init, the first invocation),\n")
	fmt.Printf("    of which init (bootstrap's start to its first request for an event) and invoke (event handed over to answer), as the emulator logs them\n\n")
	var summaries []string
	for _, ev := range events {
		var samples []sample
		for i := range runs {
			s, err := coldStart(bin, data, ev)
			if err != nil {
				return fmt.Errorf("%s run %d: %w", ev.name, i+1, err)
			}
			samples = append(samples, s)
			fmt.Printf("%-8s run %2d/%d: cold start %s  emulator %s  function %s  (init %s  invoke %s)\n",
				ev.name, i+1, runs, ms(s.total()), ms(s.emulator), ms(s.function), ms(s.init), ms(s.invoke))
		}
		summaries = append(summaries, summarize(ev.name, samples)...)
	}
	fmt.Printf("\n%d cold starts per event, on linux/%s (%d CPUs):\n", runs, runtime.GOARCH, runtime.NumCPU())
	for _, line := range summaries {
		fmt.Println(line)
	}
	fmt.Printf("\nstripped linux/arm64 bootstrap: %d bytes (%.1f MB, %.1f MiB)\n",
		bin.arm64Size, float64(bin.arm64Size)/1e6, float64(bin.arm64Size)/(1<<20))
	return nil
}

// sample is one cold start's times.
type sample struct {
	emulator time.Duration // emulator process start to accepting connections
	function time.Duration // then to the event's answer
	init     time.Duration // the emulator's init phase (0 if it logs none)
	invoke   time.Duration // the emulator's invocation (0 if it logs none)
}

func (s sample) total() time.Duration { return s.emulator + s.function }

// summarize returns the median, min and max lines of each figure.
func summarize(name string, samples []sample) []string {
	figures := []struct {
		label string
		of    func(sample) time.Duration
	}{
		{"cold start", sample.total},
		{"emulator", func(s sample) time.Duration { return s.emulator }},
		{"function", func(s sample) time.Duration { return s.function }},
		{"init", func(s sample) time.Duration { return s.init }},
		{"invoke", func(s sample) time.Duration { return s.invoke }},
	}
	var lines []string
	for _, f := range figures {
		var ds []time.Duration
		for _, s := range samples {
			ds = append(ds, f.of(s))
		}
		slices.Sort(ds)
		lines = append(lines, fmt.Sprintf("  %-8s %-10s median %s  min %s  max %s", name, f.label, ms(median(ds)), ms(ds[0]), ms(ds[len(ds)-1])))
	}
	return lines
}

// median of sorted ds.
func median(ds []time.Duration) time.Duration {
	n := len(ds)
	if n%2 == 1 {
		return ds[n/2]
	}
	return (ds[n/2-1] + ds[n/2]) / 2
}

func ms(d time.Duration) string { return fmt.Sprintf("%6.1f ms", float64(d)/float64(time.Millisecond)) }
