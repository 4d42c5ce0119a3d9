package lambdaemu

import (
	"bytes"
	"context"
	"fmt"
	"sync"
)

// Output collects a process's output (stdout and stderr) and lets a
// caller wait for what it writes. Safe for concurrent use.
type Output struct {
	mu      sync.Mutex
	buf     bytes.Buffer
	written chan struct{} // closed and replaced by every Write
}

// NewOutput returns an empty Output.
func NewOutput() *Output { return &Output{written: make(chan struct{})} }

func (o *Output) Write(p []byte) (int, error) {
	o.mu.Lock()
	defer o.mu.Unlock()
	close(o.written)
	o.written = make(chan struct{})
	return o.buf.Write(p)
}

// String returns everything written so far.
func (o *Output) String() string {
	o.mu.Lock()
	defer o.mu.Unlock()
	return o.buf.String()
}

// Await returns once done holds for the output written so far, checking
// again after every write. It returns an error when exited closes first
// (the process ended; nil for never) or when ctx ends.
func (o *Output) Await(ctx context.Context, exited <-chan struct{}, done func(output string) bool) error {
	for {
		o.mu.Lock()
		found, written := done(o.buf.String()), o.written
		o.mu.Unlock()
		if found {
			return nil
		}
		select {
		case <-written:
		case <-exited:
			return fmt.Errorf("the process exited first")
		case <-ctx.Done():
			return ctx.Err()
		}
	}
}
