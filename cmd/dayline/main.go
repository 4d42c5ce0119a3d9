// Command dayline runs Dayline: the GraphQL server (serve) and admin verbs
// (token). It is the only place that reads configuration (flags and
// environment, see config.go) and wires the layers together.
package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/signal"
	"runtime/debug"
	"syscall"

	// Schedules name IANA timezones: embed the zone database so Dayline
	// works on hosts and images without /usr/share/zoneinfo.
	_ "time/tzdata"
)

const usage = `dayline: a GraphQL backend for daily-routine apps

Usage:
  dayline serve [flags]            run the server (--demo seeds demo data)
  dayline token --user <id|email>  mint a dev token (dev mode only)
  dayline table create [flags]     create the DynamoDB table and index (idempotent)
  dayline help                     this text

Run "dayline <verb> -h" for the flags of a verb; every flag can also be
set through the environment variable named in its help.
`

// defaultGCPercent is the garbage collector's target when $GOGC is unset.
// Dayline's live heap is small (about 10 MB under load with the demo data)
// and short-lived garbage dominates, so the heap may grow to about nine
// times the live heap between collections: measured with bench/load, the
// agenda query then costs about a fifth less CPU than at GOGC=200, and
// GOGC=200 beat Go's default of 100 by as much again. $GOMEMLIMIT, when
// set, caps the heap as usual.
const defaultGCPercent = 800

func main() {
	if _, set := os.LookupEnv("GOGC"); !set {
		debug.SetGCPercent(defaultGCPercent)
	}
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGINT, syscall.SIGTERM)
	err := run(ctx, os.Args[1:], os.Stdout, os.Stderr, os.LookupEnv)
	stop()
	if err != nil {
		fmt.Fprintln(os.Stderr, "dayline:", err)
		os.Exit(1)
	}
}

// run dispatches to a verb; env looks up environment variables.
func run(ctx context.Context, args []string, stdout, stderr io.Writer, env func(string) (string, bool)) error {
	if len(args) == 0 {
		fmt.Fprint(stderr, usage)
		return fmt.Errorf("no verb given")
	}
	switch args[0] {
	case "serve":
		return serve(ctx, args[1:], stdout, stderr, env)
	case "token":
		return token(ctx, args[1:], stdout, stderr, env)
	case "table":
		return table(ctx, args[1:], stdout, stderr, env)
	case "help", "-h", "--help":
		fmt.Fprint(stdout, usage)
		return nil
	default:
		fmt.Fprint(stderr, usage)
		return fmt.Errorf("unknown verb %q", args[0])
	}
}
