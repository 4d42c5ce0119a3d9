// Package lambdaemu runs a Lambda function binary under AWS's Lambda
// Runtime Interface Emulator (the Go tool aws-lambda-rie), for the
// end-to-end tests and the cold-start bench: one emulator process, on
// loopback addresses of its own, that serves invocations one at a time.
package lambdaemu

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"strings"
	"syscall"
	"time"
)

// Emulator is a running emulator and the function it runs.
type Emulator struct {
	// URL is the invocation endpoint.
	URL string
	// Output is the emulator's and the function's output.
	Output *Output
	// Exited closes when the emulator process ends.
	Exited <-chan struct{}

	addr string
	cmd  *exec.Cmd
}

// Start starts the emulator rie running function in dir, with env on top
// of this process's environment stripped of every DAYLINE_, AWS_ and
// _LAMBDA variable (the function sees only what the caller sets). The
// emulator and its runtime API listen on free loopback ports (not the
// default 9001, which another emulator may hold). It returns once the
// process runs; AwaitListening waits until it serves. It returns an error
// if no port is free or the process does not start.
func Start(rie, function, dir string, env map[string]string) (*Emulator, error) {
	addrs, err := freeAddrs(2)
	if err != nil {
		return nil, err
	}
	addr, apiAddr := addrs[0], addrs[1]
	cmd := exec.Command(rie,
		"--runtime-interface-emulator-address", addr,
		"--runtime-api-address", apiAddr,
		"--log-level", "info",
		function)
	cmd.Dir = dir
	cmd.Env = functionEnv(env)
	e := &Emulator{URL: "http://" + addr + "/2015-03-31/functions/function/invocations", Output: NewOutput(), addr: addr, cmd: cmd}
	cmd.Stdout, cmd.Stderr = e.Output, e.Output
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("start the emulator: %w", err)
	}
	exited := make(chan struct{})
	e.Exited = exited
	go func() { _ = cmd.Wait(); close(exited) }()
	return e, nil
}

// AwaitListening returns once the emulator accepts connections (it
// announces nothing before), dialling again after pause. It returns an
// error when the emulator exits first or ctx ends.
func (e *Emulator) AwaitListening(ctx context.Context, pause time.Duration) error {
	for {
		conn, err := net.Dial("tcp", e.addr)
		if err == nil {
			return conn.Close()
		}
		select {
		case <-e.Exited:
			return fmt.Errorf("the emulator exited before listening")
		case <-ctx.Done():
			return fmt.Errorf("the emulator does not listen on %s: %w", e.addr, ctx.Err())
		case <-time.After(pause): // the next dial
		}
	}
}

// Invoke sends payload as the invocation requestID ("" lets the emulator
// pick one) and returns the function's answer: its value, or its error
// document. It returns an error when the emulator does not answer 200.
func (e *Emulator) Invoke(ctx context.Context, payload []byte, requestID string) ([]byte, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, e.URL, bytes.NewReader(payload))
	if err != nil {
		return nil, err
	}
	if requestID != "" {
		req.Header.Set("X-Amzn-RequestId", requestID)
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		return nil, fmt.Errorf("invoke: %w", err)
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	if err != nil || res.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("invoke: emulator answered %d %s (%v)", res.StatusCode, b, err)
	}
	return b, nil
}

// Stop ends the emulator: on SIGTERM it kills the function's process
// group and exits. If it has not exited when ctx ends, it is killed and
// Stop returns an error.
func (e *Emulator) Stop(ctx context.Context) error {
	_ = e.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-e.Exited:
		return nil
	case <-ctx.Done():
		_ = e.cmd.Process.Kill()
		<-e.Exited
		return fmt.Errorf("the emulator did not stop on SIGTERM: %w", ctx.Err())
	}
}

// functionEnv is this process's environment without any DAYLINE_, AWS_
// or _LAMBDA variable, plus set.
func functionEnv(set map[string]string) []string {
	var env []string
	for _, kv := range os.Environ() {
		if k, _, _ := strings.Cut(kv, "="); !strings.HasPrefix(k, "DAYLINE_") && !strings.HasPrefix(k, "AWS_") && !strings.HasPrefix(k, "_LAMBDA") {
			env = append(env, kv)
		}
	}
	for k, v := range set {
		env = append(env, k+"="+v)
	}
	return env
}

// freeAddrs returns n distinct loopback addresses no one listens on now:
// all n are held open until each is known, so none repeats another.
// (Another process may still take one before the emulator binds it.)
func freeAddrs(n int) ([]string, error) {
	addrs := make([]string, 0, n)
	for range n {
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			return nil, err
		}
		defer ln.Close()
		addrs = append(addrs, ln.Addr().String())
	}
	return addrs, nil
}
