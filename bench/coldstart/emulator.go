package main

import (
	"bytes"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"
)

// giveUp turns a hang (an emulator that never listens or answers) into an
// error.
const giveUp = time.Minute

// coldStart runs one cold start: a fresh emulator running a fresh
// bootstrap on data, sent ev once it accepts connections; it stops both
// before returning.
func coldStart(bin binaries, data seeded, ev event) (sample, error) {
	addr, err := freeAddr()
	if err != nil {
		return sample{}, err
	}
	apiAddr, err := freeAddr()
	if err != nil {
		return sample{}, err
	}
	cmd := exec.Command(bin.rie,
		"--runtime-interface-emulator-address", addr,
		"--runtime-api-address", apiAddr, // not the default 9001, which may be taken
		"--log-level", "info",
		bin.bootstrap)
	cmd.Env = functionEnv(map[string]string{
		"DAYLINE_DATA": data.db, "DAYLINE_APPSYNC": "true", "DAYLINE_PAGE_TOKEN_SECRET": pageTokenSecret, "DAYLINE_LOG_LEVEL": "warn",
		"AWS_LAMBDA_FUNCTION_TIMEOUT": "60",
	})
	var out lockedBuffer
	cmd.Stdout, cmd.Stderr = &out, &out

	start := time.Now()
	if err := cmd.Start(); err != nil {
		return sample{}, fmt.Errorf("start the emulator: %w", err)
	}
	exited := make(chan struct{})
	go func() { _ = cmd.Wait(); close(exited) }()
	defer stop(cmd, exited)

	if err := awaitListening(addr, exited); err != nil {
		return sample{}, fmt.Errorf("%w; output:\n%s", err, out.String())
	}
	listening := time.Now()
	answer, err := invoke("http://"+addr+"/2015-03-31/functions/function/invocations", ev.payload)
	answered := time.Now()
	if err != nil {
		return sample{}, fmt.Errorf("%w; output:\n%s", err, out.String())
	}
	if err := ev.check(answer); err != nil {
		return sample{}, fmt.Errorf("%w; output:\n%s", err, out.String())
	}
	s := sample{emulator: listening.Sub(start), function: answered.Sub(listening)}
	s.init, s.invoke = awaitReport(&out)
	return s, nil
}

// functionEnv is this process's environment without any DAYLINE_, AWS_
// or _LAMBDA variable, plus set: the function sees only what the bench
// sets.
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

// freeAddr returns a loopback address no one listens on now.
func freeAddr() (string, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", err
	}
	defer ln.Close()
	return ln.Addr().String(), nil
}

// awaitListening returns once addr accepts connections (the emulator
// announces nothing before), dialling every 200µs; it fails when the
// emulator exits first or after giveUp.
func awaitListening(addr string, exited <-chan struct{}) error {
	deadline := time.Now().Add(giveUp)
	for {
		conn, err := net.Dial("tcp", addr)
		if err == nil {
			return conn.Close()
		}
		select {
		case <-exited:
			return fmt.Errorf("the emulator exited before listening")
		default:
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("the emulator does not listen on %s after %v", addr, giveUp)
		}
		time.Sleep(200 * time.Microsecond)
	}
}

// invoke sends payload to the emulator's invocation endpoint url and
// returns the function's answer.
func invoke(url string, payload []byte) ([]byte, error) {
	res, err := (&http.Client{Timeout: giveUp}).Post(url, "application/json", bytes.NewReader(payload))
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
func awaitReport(out *lockedBuffer) (init, invoke time.Duration) {
	parse := func(re *regexp.Regexp, log string) (time.Duration, bool) {
		m := re.FindStringSubmatch(log)
		if m == nil {
			return 0, false
		}
		f, _ := strconv.ParseFloat(m[1], 64)
		return time.Duration(f * float64(time.Millisecond)), true
	}
	for deadline := time.Now().Add(time.Second); ; time.Sleep(5 * time.Millisecond) {
		log := out.String()
		init, initOK := parse(initReport, log)
		invoke, invokeOK := parse(invokeDone, log)
		if initOK && invokeOK || time.Now().After(deadline) {
			return init, invoke
		}
	}
}

// stop ends the emulator: on SIGTERM it kills the function's process
// group and exits.
func stop(cmd *exec.Cmd, exited <-chan struct{}) {
	_ = cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-exited:
	case <-time.After(giveUp):
		_ = cmd.Process.Kill()
		<-exited
	}
}

// lockedBuffer collects a process's output.
type lockedBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *lockedBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *lockedBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}
