// Command dayline runs Dayline: the GraphQL server (serve), the AWS Lambda
// function (lambda, chosen when AWS Lambda runs dayline without a verb) and
// admin verbs (token, table create, operator create). It is the only place that reads configuration
// (flags and environment, from the settings table in settings.go) and
// wires the layers together.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"slices"
	"strings"
	"syscall"

	// Schedules name IANA timezones: embed the zone database so Dayline
	// works on hosts and images without /usr/share/zoneinfo.
	_ "time/tzdata"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGINT, syscall.SIGTERM)
	err := run(ctx, os.Args[1:], os.Stdout, os.Stderr, os.LookupEnv)
	stop()
	if err != nil {
		fmt.Fprintln(os.Stderr, "dayline:", err)
	}
	os.Exit(exitCode(err))
}

// exitCode is 0 without an error, 2 for a usageError (a command line
// Dayline cannot run), else 1.
func exitCode(err error) int {
	var ue usageError
	switch {
	case err == nil:
		return 0
	case errors.As(err, &ue):
		return 2
	}
	return 1
}

// A verb is one thing dayline does, with the settings the table gives it.
type verb struct {
	name    string // as settings name it: "serve", "token", "table create"
	args    string // what follows the name in the synopsis
	summary string
	run     func(ctx context.Context, cfg config, stdout, stderr io.Writer, env func(string) (string, bool)) error
}

// verbs are the verbs of this build: lambdaVerb, and the others
// (verbs_all.go) unless this is the build for AWS Lambda (verbs_lambda.go).
var verbs = append(slices.Clone(otherVerbs), lambdaVerb)

var lambdaVerb = verb{verbLambda, "[flags]", "serve AWS Lambda events (the default inside AWS Lambda)", serveLambda}

// writeUsage writes the list of verbs.
func writeUsage(w io.Writer) {
	fmt.Fprint(w, "dayline: a GraphQL backend for daily-routine apps\n\nUsage:\n")
	for _, v := range verbs {
		fmt.Fprintf(w, "  %-40s %s\n", "dayline "+v.name+" "+v.args, v.summary)
	}
	fmt.Fprintf(w, "  %-40s %s\n", "dayline help", "this text")
	fmt.Fprint(w, "\nRun \"dayline <verb> -h\" for the flags of a verb and their environment variables.\n")
}

// run dispatches to a verb; env looks up environment variables. Without a
// verb it runs lambda inside AWS Lambda ($AWS_LAMBDA_RUNTIME_API set: the
// binary is the function's bootstrap), else fails. A verb's -h prints its
// usage on stdout and returns nil.
func run(ctx context.Context, args []string, stdout, stderr io.Writer, env func(string) (string, bool)) error {
	if _, inLambda := env(envLambdaRuntimeAPI); len(args) == 0 && inLambda {
		args = []string{verbLambda}
	}
	if len(args) == 0 {
		writeUsage(stderr)
		return usageError{"no verb given"}
	}
	switch args[0] {
	case "help", "-h", "--help":
		writeUsage(stdout)
		return nil
	case "table", "operator": // two-word verbs: "<noun> create"
		name := args[0] + " create"
		if len(args) < 2 || args[1] != "create" {
			if len(args) == 2 && (args[1] == "-h" || args[1] == "--help") {
				args = []string{name, args[1]}
				break
			}
			return usageError{"usage: dayline " + name + " [flags]"}
		}
		args = append([]string{name}, args[2:]...)
	}
	for _, v := range verbs {
		if v.name == args[0] {
			return runVerb(ctx, v, args[1:], stdout, stderr, env)
		}
	}
	writeUsage(stderr)
	return usageError{fmt.Sprintf("unknown verb %q", args[0])}
}

// runVerb parses v's settings from env and args and runs it.
func runVerb(ctx context.Context, v verb, args []string, stdout, stderr io.Writer, env func(string) (string, bool)) error {
	cfg, err := parseSettings(v.name, args, env)
	if errors.Is(err, flag.ErrHelp) {
		fmt.Fprintf(stdout, "Usage: dayline %s %s\n\n%s.\n", v.name, v.args, strings.ToUpper(v.summary[:1])+v.summary[1:])
		writeFlagUsage(stdout, v.name)
		return nil
	}
	if err != nil {
		return err
	}
	return v.run(ctx, cfg, stdout, stderr, env)
}
