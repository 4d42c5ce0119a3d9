package main

import (
	"context"
	"fmt"
	"regexp"
	"strconv"
	"time"

	"github.com/dayline/dayline/internal/lambdaemu"
)

// giveUp turns a hang (an emulator that never listens or answers) into an
// error.
const giveUp = time.Minute

// coldStart runs one cold start: a fresh emulator running a fresh
// bootstrap on data, sent ev once it accepts connections; it stops both
// before returning.
func coldStart(bin binaries, data seeded, ev event) (sample, error) {
	ctx, cancel := context.WithTimeout(context.Background(), giveUp)
	defer cancel()
	start := time.Now()
	em, err := lambdaemu.Start(bin.rie, bin.bootstrap, "", map[string]string{
		"DAYLINE_DATA": data.db, "DAYLINE_APPSYNC": "true", "DAYLINE_PAGE_TOKEN_SECRET": pageTokenSecret, "DAYLINE_LOG_LEVEL": "warn",
		"AWS_LAMBDA_FUNCTION_TIMEOUT": "60",
	})
	if err != nil {
		return sample{}, err
	}
	defer func() {
		stopCtx, cancel := context.WithTimeout(context.Background(), giveUp)
		defer cancel()
		_ = em.Stop(stopCtx)
	}()

	if err := em.AwaitListening(ctx, 200*time.Microsecond); err != nil {
		return sample{}, fmt.Errorf("%w; output:\n%s", err, em.Output.String())
	}
	listening := time.Now()
	answer, err := em.Invoke(ctx, ev.payload, "")
	answered := time.Now()
	if err != nil {
		return sample{}, fmt.Errorf("%w; output:\n%s", err, em.Output.String())
	}
	if err := ev.check(answer); err != nil {
		return sample{}, fmt.Errorf("%w; output:\n%s", err, em.Output.String())
	}
	s := sample{emulator: listening.Sub(start), function: answered.Sub(listening)}
	s.init, s.invoke = awaitReport(em.Output)
	return s, nil
}

// The emulator's log lines with the init phase's duration (bootstrap's
// start to its first request for an event) and the invocation's (the
// event handed over to the function's answer).
var (
	initReport = regexp.MustCompile(`INIT REPORT\(durationMs: ([0-9.]+)\)`)
	invokeDone = regexp.MustCompile(`INVOKE RTDONE\([^)]*duration: ([0-9.]+)ms\)`)
)

// awaitReport returns the init and invocation durations the emulator
// logs, waiting up to a second for its lines; 0 for a line it does not
// write.
func awaitReport(out *lambdaemu.Output) (init, invoke time.Duration) {
	parse := func(re *regexp.Regexp, log string) (time.Duration, bool) {
		m := re.FindStringSubmatch(log)
		if m == nil {
			return 0, false
		}
		f, _ := strconv.ParseFloat(m[1], 64)
		return time.Duration(f * float64(time.Millisecond)), true
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Second)
	defer cancel()
	_ = out.Await(ctx, nil, func(log string) bool {
		var initOK, invokeOK bool
		init, initOK = parse(initReport, log)
		invoke, invokeOK = parse(invokeDone, log)
		return initOK && invokeOK
	})
	return init, invoke
}
