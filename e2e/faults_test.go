package e2e_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"reflect"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/smithy-go/middleware"

	"github.com/dayline/dayline/domain"
	"github.com/dayline/dayline/store"
	"github.com/dayline/dayline/store/dynamo"
	"github.com/dayline/dayline/store/dynamo/dynamotest"
)

// The member's watch query, with the schedule it shows: the query that
// must fail cleanly during the outage and answer as before afterwards.
const outageQuery = `query($u: ID!, $d: AWSDate!, $s: ID!) {
	agenda(userId: $u, date: $d) { startsAt completed task { id title } }
	schedule(id: $s) { id version tasks { id title startTime durationMinutes position } } }`

// outageData is the data of outageQuery.
type outageData struct {
	Agenda   []agendaItemOut
	Schedule *scheduleOut
}

const outageAddTask = `mutation($s: ID!, $v: Int!) { addTask(input: {scheduleId: $s, expectedVersion: $v,
	task: {title: "Stretch", startTime: "09:30", durationMinutes: 5}}) { id version tasks { id title } } }`

// TestDynamoDBOutage takes DynamoDB away from under a running server and
// brings it back: while it is down, reads and writes answer with a
// ServiceUnavailable error and nothing internal, after a bounded number of
// attempts (counted, not timed); afterwards everything is as it was, and
// the write that failed can be made with the same expectedVersion.
func TestDynamoDBOutage(t *testing.T) {
	endpoint := dynamotest.Endpoint(t)
	table := dynamotest.NewTable(t, dynamotest.NewClient(endpoint)) // deleted past the proxy, outage or not
	db := startOutageProxy(t, strings.TrimPrefix(endpoint, "http://"))
	var calls callRecorder
	client := dynamotest.NewClient(db.endpoint(), calls.options) // the production retry settings
	st := dynamo.New(client, table, dynamotest.Tokens())
	e := newEnv(t, func(testing.TB) store.Store { return st })

	const member, caregiver, schedule = "a-member-1", "a-caregiver", "a-member-1-sched"
	vars := map[string]any{"u": member, "d": testDay, "s": schedule}
	var before outageData
	var version int

	ok := t.Run("before the outage", func(t *testing.T) {
		r := e.as(member, outageQuery, vars)
		if r.Status != 200 || len(r.Errors) > 0 {
			t.Fatalf("query: status %d: %s", r.Status, r.Raw)
		}
		before = decodeData[outageData](t, r)
		if before.Schedule == nil || len(before.Schedule.Tasks) != 2 {
			t.Fatalf("want the schedule with 2 tasks: %s", r.Raw)
		}
		version = before.Schedule.Version
		if n := len(before.Agenda); n != 2 {
			t.Fatalf("agenda has %d items, want 2: %s", n, r.Raw)
		}
		e.token(caregiver) // minted now: minting reads the store
	})
	if !ok {
		return
	}

	ok = t.Run("during the outage", func(t *testing.T) {
		db.stop(t)
		t.Run("agenda query", func(t *testing.T) {
			calls.reset()
			r := e.as(member, outageQuery, vars)
			t.Logf("outage: agenda query answered %s after %s", errorSummary(r), calls.summary())
			checkUnavailable(t, r, db.port(), "agenda", "schedule")
			calls.checkBounded(t, outageQueryCalls)
		})
		t.Run("addTask", func(t *testing.T) {
			calls.reset()
			r := e.as(caregiver, outageAddTask, map[string]any{"s": schedule, "v": version})
			t.Logf("outage: addTask answered %s after %s", errorSummary(r), calls.summary())
			checkUnavailable(t, r, db.port(), "addTask")
			calls.checkBounded(t, outageAddTaskCalls)
		})
		e.healthy()
	})
	if !ok {
		return
	}

	t.Run("after a restart", func(t *testing.T) {
		db.start(t)
		r := e.as(member, outageQuery, vars)
		if r.Status != 200 || len(r.Errors) > 0 {
			t.Fatalf("query after the restart: status %d: %s", r.Status, r.Raw)
		}
		if after := decodeData[outageData](t, r); !reflect.DeepEqual(after, before) {
			t.Fatalf("data changed across the outage (the failed addTask must write nothing):\nbefore %+v\nafter  %+v", before, after)
		}

		r = e.as(caregiver, outageAddTask, map[string]any{"s": schedule, "v": version})
		if r.Status != 200 || len(r.Errors) > 0 {
			t.Fatalf("addTask with expectedVersion %d after the restart: status %d: %s", version, r.Status, r.Raw)
		}
		changed := decodeData[struct{ AddTask scheduleOut }](t, r).AddTask
		if changed.Version != version+1 {
			t.Errorf("addTask: version %d, want %d", changed.Version, version+1)
		}
		wantTitles := append(taskTitles(before.Schedule.Tasks), "Stretch")
		if got := taskTitles(changed.Tasks); !reflect.DeepEqual(got, wantTitles) {
			t.Errorf("addTask: tasks %q, want %q", got, wantTitles)
		}
	})
}

// checkUnavailable checks an answer given while the database was down:
// HTTP 200, every named field null, and only ServiceUnavailable errors
// that reveal nothing about the database.
func checkUnavailable(t *testing.T, r gqlResponse, port int, fields ...string) {
	t.Helper()
	if r.Status != 200 {
		t.Errorf("status %d, want 200: %s", r.Status, r.Raw)
	}
	for _, f := range fields {
		if v, present := r.Data[f]; r.Data != nil && (!present || string(v) != "null") {
			t.Errorf("data.%s = %s, want null", f, v)
		}
	}
	if len(r.Errors) == 0 {
		t.Fatalf("no errors: %s", r.Raw)
	}
	for _, e := range r.Errors {
		if e.ErrorType != string(domain.CodeUnavailable) || e.Extensions.Code != string(domain.CodeUnavailable) {
			t.Errorf("error %q: errorType %q, extensions.code %q, want %s", e.Message, e.ErrorType, e.Extensions.Code, domain.CodeUnavailable)
		}
		if e.Message == "" {
			t.Errorf("error without a message: %s", r.Raw)
		}
	}
	internals := []string{"127.0.0.1", "localhost", ":" + strconv.Itoa(port), "dial", "refused", "connection", "EOF",
		"operation error", "DynamoDB", "BatchGetItem", "GetItem", "Query", "retry", "attempt", "https://"}
	for _, s := range internals {
		if strings.Contains(r.Raw, s) {
			t.Errorf("response reveals %q: %s", s, r.Raw)
		}
	}
}

// errorSummary lists the errors of r as errorType "message" pairs.
func errorSummary(r gqlResponse) string {
	var parts []string
	for _, e := range r.Errors {
		parts = append(parts, fmt.Sprintf("%s %q", e.ErrorType, e.Message))
	}
	return fmt.Sprintf("HTTP %d, %d errors [%s]", r.Status, len(r.Errors), strings.Join(parts, ", "))
}

// What an answer during the outage may cost, in DynamoDB calls (each
// tried at most dynamo.DefaultMaxAttempts times): at most what the
// operation reads when the database is up, the caller and then, for the
// watch query, the agenda's schedules and completions and the schedule,
// for addTask the schedule (it writes nothing once a read failed). In
// practice the caller's read fails and ends the operation: one call.
const (
	outageQueryCalls   = 4
	outageAddTaskCalls = 2
)

// call is one DynamoDB API call as callRecorder saw it.
type call struct {
	operation string
	attempts  int
	failed    bool
}

// callRecorder is client middleware (options) that records every call of
// the client with the number of attempts the SDK's retryer made.
type callRecorder struct {
	mu    sync.Mutex
	calls []call
}

type attemptsKey struct{}

// options adds the recorder to a client: at the end of the Initialize step
// it sees each call once; at the end of the Finalize step, after the
// retryer, each attempt.
func (c *callRecorder) options(o *dynamodb.Options) {
	o.APIOptions = append(o.APIOptions, func(stack *middleware.Stack) error {
		err := stack.Initialize.Add(middleware.InitializeMiddlewareFunc("TestRecordCall",
			func(ctx context.Context, in middleware.InitializeInput, next middleware.InitializeHandler) (middleware.InitializeOutput, middleware.Metadata, error) {
				attempts := new(int)
				out, md, err := next.HandleInitialize(middleware.WithStackValue(ctx, attemptsKey{}, attempts), in)
				c.mu.Lock()
				c.calls = append(c.calls, call{operation: middleware.GetOperationName(ctx), attempts: *attempts, failed: err != nil})
				c.mu.Unlock()
				return out, md, err
			}), middleware.After)
		if err != nil {
			return err
		}
		return stack.Finalize.Add(middleware.FinalizeMiddlewareFunc("TestCountAttempt",
			func(ctx context.Context, in middleware.FinalizeInput, next middleware.FinalizeHandler) (middleware.FinalizeOutput, middleware.Metadata, error) {
				if n, ok := middleware.GetStackValue(ctx, attemptsKey{}).(*int); ok {
					*n++ // one attempt at a time: the retryer runs them in turn
				}
				return next.HandleFinalize(ctx, in)
			}), middleware.After)
	})
}

func (c *callRecorder) reset() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.calls = nil
}

func (c *callRecorder) recorded() []call {
	c.mu.Lock()
	defer c.mu.Unlock()
	return append([]call(nil), c.calls...)
}

// summary lists the calls recorded since reset.
func (c *callRecorder) summary() string {
	calls := c.recorded()
	parts := make([]string, len(calls))
	for i, cl := range calls {
		parts[i] = fmt.Sprintf("%s ×%d", cl.operation, cl.attempts)
		if !cl.failed {
			parts[i] += " (answered)"
		}
	}
	return fmt.Sprintf("%d DynamoDB calls [%s]", len(calls), strings.Join(parts, ", "))
}

// checkBounded checks the calls recorded since reset while the database
// was down: at least one, at most maxCalls, every one failed after at
// least one and at most dynamo.DefaultMaxAttempts attempts. That bounds
// the answer's wait by the retryer's backoff (dynamo.MaxRetryBackoff per
// retry), whatever the machine's speed.
func (c *callRecorder) checkBounded(t *testing.T, maxCalls int) {
	t.Helper()
	calls := c.recorded()
	if len(calls) == 0 || len(calls) > maxCalls {
		t.Errorf("%s; want 1 to %d", c.summary(), maxCalls)
	}
	for _, cl := range calls {
		if !cl.failed || cl.attempts < 1 || cl.attempts > dynamo.DefaultMaxAttempts {
			t.Errorf("%s: %d attempts (failed %v), want a failure after 1 to %d", cl.operation, cl.attempts, cl.failed, dynamo.DefaultMaxAttempts)
		}
	}
}

// outageProxy stands between the store and DynamoDB Local, forwarding TCP
// connections. stop is an outage as the store sees a dead database: every
// open connection is cut and new ones are refused (nothing listens on the
// port); start listens on the same port again. Both are done when they
// return: nothing to wait for.
type outageProxy struct {
	target string // host:port of DynamoDB Local
	addr   string // host:port the proxy listens on

	mu    sync.Mutex
	ln    net.Listener
	conns map[net.Conn]struct{}
	wg    sync.WaitGroup // the accept loop and the copies
}

// startOutageProxy starts a proxy to target on a free port of 127.0.0.1,
// stopped when t ends.
func startOutageProxy(t *testing.T, target string) *outageProxy {
	t.Helper()
	p := &outageProxy{target: target, addr: "127.0.0.1:0"}
	p.start(t)
	t.Cleanup(func() { p.stop(t) })
	return p
}

func (p *outageProxy) endpoint() string { return "http://" + p.addr }

func (p *outageProxy) port() int {
	_, port, _ := net.SplitHostPort(p.addr)
	n, _ := strconv.Atoi(port)
	return n
}

// start listens on p's address (a free port the first time).
func (p *outageProxy) start(t *testing.T) {
	t.Helper()
	ln, err := net.Listen("tcp", p.addr)
	if err != nil {
		t.Fatalf("proxy: listen on %s again: %v", p.addr, err)
	}
	p.mu.Lock()
	p.ln, p.addr, p.conns = ln, ln.Addr().String(), map[net.Conn]struct{}{}
	p.mu.Unlock()
	p.wg.Go(func() {
		for {
			conn, err := ln.Accept()
			if err != nil {
				return // stopped
			}
			p.forward(conn)
		}
	})
}

// forward copies between conn and a new connection to the target.
func (p *outageProxy) forward(conn net.Conn) {
	upstream, err := net.Dial("tcp", p.target)
	if err != nil {
		conn.Close()
		return
	}
	p.mu.Lock()
	if p.conns == nil { // stopped meanwhile
		p.mu.Unlock()
		conn.Close()
		upstream.Close()
		return
	}
	p.conns[conn], p.conns[upstream] = struct{}{}, struct{}{}
	p.mu.Unlock()
	pipe := func(dst, src net.Conn) {
		_, _ = io.Copy(dst, src)
		dst.Close()
		src.Close()
	}
	p.wg.Go(func() { pipe(upstream, conn) })
	p.wg.Go(func() { pipe(conn, upstream) })
}

// stop closes the listener and every connection, and waits until the
// proxy's goroutines have ended.
func (p *outageProxy) stop(t testing.TB) {
	t.Helper()
	p.mu.Lock()
	ln, conns := p.ln, p.conns
	p.ln, p.conns = nil, nil
	p.mu.Unlock()
	if ln == nil {
		return // already stopped
	}
	if err := ln.Close(); err != nil && !errors.Is(err, net.ErrClosed) {
		t.Errorf("proxy: close listener: %v", err)
	}
	for c := range conns {
		c.Close()
	}
	p.wg.Wait()
}
