// Package redistest runs a real redis-server for tests: in memory (no RDB,
// no AOF), on a free loopback port, in a temporary directory of its own,
// stopped when the test ends. A test can stop it and start it again on the
// same port, to see what clients do while Redis is away and when it returns.
//
// Without redis-server on PATH the test is skipped, unless
// DAYLINE_REQUIRE_REDIS=1 (set by scripts/test.sh, which installs it): then
// it fails.
package redistest

import (
	"fmt"
	"net"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"syscall"
	"testing"

	"github.com/dayline/dayline/internal/lambdaemu"
)

// EnvRequire names the variable that turns a missing redis-server into a
// test failure.
const EnvRequire = "DAYLINE_REQUIRE_REDIS"

// readyLine is what redis-server prints once it accepts connections.
const readyLine = "Ready to accept connections"

// Server is a redis-server process a test owns. Its methods must be called
// from the test's goroutine.
type Server struct {
	// Addr is the server's host:port; it stays the same across Restart.
	Addr string

	t      testing.TB
	binary string
	dir    string
	cmd    *exec.Cmd
	exited chan struct{}
	output *lambdaemu.Output
}

// Start starts redis-server on a free 127.0.0.1 port and returns once it
// accepts connections; t.Cleanup stops it. It skips t when redis-server is
// not on PATH (fails it under DAYLINE_REQUIRE_REDIS=1) and fails t when the
// server does not start.
func Start(t testing.TB) *Server {
	t.Helper()
	binary, err := exec.LookPath("redis-server")
	if err != nil {
		msg := fmt.Sprintf("redis-server is not installed (scripts/test.sh installs Debian's redis-server): %v", err)
		if os.Getenv(EnvRequire) == "1" {
			t.Fatal(msg)
		}
		t.Skip(msg + " (set " + EnvRequire + "=1 to fail instead)")
	}
	port, err := freePort()
	if err != nil {
		t.Fatalf("find a free port for redis-server: %v", err)
	}
	s := &Server{
		Addr:   net.JoinHostPort("127.0.0.1", strconv.Itoa(port)),
		t:      t,
		binary: binary,
		dir:    t.TempDir(),
	}
	t.Cleanup(s.Stop)
	s.Restart()
	return s
}

// URL is the redis:// URL of the server.
func (s *Server) URL() string { return "redis://" + s.Addr }

// Stop stops the server (SIGTERM) and waits until the process has exited,
// so that every client connection is closed. Stopping a stopped server does
// nothing.
func (s *Server) Stop() {
	s.t.Helper()
	if s.cmd == nil {
		return
	}
	if err := s.cmd.Process.Signal(syscall.SIGTERM); err != nil {
		s.t.Errorf("stop redis-server: %v", err)
	}
	<-s.exited
	s.cmd = nil
}

// Restart starts the server again on the same port (or for the first time)
// and returns once it accepts connections. It fails the test if the server
// is running or does not start.
func (s *Server) Restart() {
	s.t.Helper()
	if s.cmd != nil {
		s.t.Fatal("redistest: Restart while redis-server is running")
	}
	_, port, _ := net.SplitHostPort(s.Addr)
	cmd := exec.Command(s.binary,
		"--bind", "127.0.0.1",
		"--port", port,
		"--save", "",
		"--appendonly", "no",
		"--dir", s.dir,
		"--daemonize", "no",
		"--logfile", "",
	)
	cmd.Dir = s.dir
	// The server dies with the test binary, even when that is killed.
	cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
	out := lambdaemu.NewOutput()
	cmd.Stdout, cmd.Stderr = out, out
	if err := cmd.Start(); err != nil {
		s.t.Fatalf("start redis-server: %v", err)
	}
	exited := make(chan struct{})
	go func() { _ = cmd.Wait(); close(exited) }()
	s.cmd, s.exited, s.output = cmd, exited, out

	err := out.Await(s.t.Context(), exited, func(output string) bool {
		return strings.Contains(output, readyLine)
	})
	if err != nil {
		s.cmd = nil
		s.t.Fatalf("redis-server on %s did not start: %v\n%s", s.Addr, err, out.String())
	}
}

// freePort returns a loopback TCP port that was free a moment ago.
func freePort() (int, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).Port, nil
}
