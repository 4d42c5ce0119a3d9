package e2e_test

import (
	"context"
	"errors"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/dynamodb"

	"github.com/dayline/dayline/domain"
	"github.com/dayline/dayline/store"
	"github.com/dayline/dayline/store/dynamo"
	"github.com/dayline/dayline/store/dynamo/dynamotest"
)

// envDynamoLib names the directory holding DynamoDBLocal.jar and
// DynamoDBLocal_lib (start.sh prints it as DYNAMODB_LIB; scripts/test.sh
// exports it here).
const envDynamoLib = "DAYLINE_TEST_DYNAMODB_LIB"

// outageAnswerLimit is how long a request may take to answer while the
// database is down.
const outageAnswerLimit = 5 * time.Second

// The member's watch query, with the schedule it shows: the query that
// must fail cleanly during the outage and answer as before afterwards.
const outageQuery = `query($u: ID!, $d: AWSDate!, $s: ID!) {
	agenda(userId: $u, date: $d) { startsAt completed task { id title } }
	schedule(id: $s) { id version tasks { id title startTime durationMinutes position } } }`

const outageAddTask = `mutation($s: ID!, $v: Int!) { addTask(input: {scheduleId: $s, expectedVersion: $v,
	task: {title: "Stretch", startTime: "09:30", durationMinutes: 5}}) { id version tasks { id title } } }`

// TestDynamoDBOutage stops DynamoDB Local under a running server and starts
// it again: while it is down, reads and writes answer quickly with a
// ServiceUnavailable error and nothing internal; afterwards everything is
// as it was, and the write that failed can be made with the same
// expectedVersion.
func TestDynamoDBOutage(t *testing.T) {
	ddb := startDynamoLocal(t, dynamoLocalLib(t))
	client := dynamotest.NewClient(ddb.endpoint(), dynamo.ClientOptions(0)) // the production retry settings
	table := dynamotest.UniqueTableName(t)
	if err := dynamo.CreateTable(t.Context(), client, table); err != nil {
		t.Fatalf("create table: %v", err)
	}
	st := dynamo.New(client, table, dynamotest.Tokens())
	e := newEnv(t, func(testing.TB) store.Store { return st })

	const member, caregiver, schedule = "a-member-1", "a-caregiver", "a-member-1-sched"
	vars := map[string]any{"u": member, "d": testDay, "s": schedule}
	var before map[string]any
	var version int

	ok := t.Run("before the outage", func(t *testing.T) {
		r := e.as(member, outageQuery, vars)
		if r.Status != 200 || len(r.Errors) > 0 {
			t.Fatalf("query: status %d: %s", r.Status, r.Raw)
		}
		before = r.Data
		version = scheduleVersion(t, r.Data)
		if n := len(r.Data["agenda"].([]any)); n != 2 {
			t.Fatalf("agenda has %d items, want 2: %s", n, r.Raw)
		}
		e.token(caregiver) // minted now: minting reads the store
	})
	if !ok {
		return
	}

	ok = t.Run("during the outage", func(t *testing.T) {
		ddb.stop(t)
		t.Run("agenda query", func(t *testing.T) {
			r, took := timed(func() gqlResponse { return e.as(member, outageQuery, vars) })
			t.Logf("outage: agenda query answered %s after %v (limit %v)", errorSummary(r), took.Round(time.Millisecond), outageAnswerLimit)
			checkUnavailable(t, r, took, ddb.port, "agenda", "schedule")
		})
		t.Run("addTask", func(t *testing.T) {
			r, took := timed(func() gqlResponse {
				return e.as(caregiver, outageAddTask, map[string]any{"s": schedule, "v": version})
			})
			t.Logf("outage: addTask answered %s after %v (limit %v)", errorSummary(r), took.Round(time.Millisecond), outageAnswerLimit)
			checkUnavailable(t, r, took, ddb.port, "addTask")
		})
		e.healthy()
	})
	if !ok {
		return
	}

	t.Run("after a restart", func(t *testing.T) {
		ddb.start(t)
		r := e.as(member, outageQuery, vars)
		if r.Status != 200 || len(r.Errors) > 0 {
			t.Fatalf("query after the restart: status %d: %s", r.Status, r.Raw)
		}
		if !reflect.DeepEqual(r.Data, before) {
			t.Fatalf("data changed across the outage (the failed addTask must write nothing):\nbefore %v\nafter  %v", before, r.Data)
		}

		r = e.as(caregiver, outageAddTask, map[string]any{"s": schedule, "v": version})
		if r.Status != 200 || len(r.Errors) > 0 {
			t.Fatalf("addTask with expectedVersion %d after the restart: status %d: %s", version, r.Status, r.Raw)
		}
		changed := r.Data["addTask"].(map[string]any)
		if got := int(changed["version"].(float64)); got != version+1 {
			t.Errorf("addTask: version %d, want %d", got, version+1)
		}
		wantTitles := append(taskTitles(t, before["schedule"]), "Stretch")
		if got := taskTitles(t, changed); !reflect.DeepEqual(got, wantTitles) {
			t.Errorf("addTask: tasks %q, want %q", got, wantTitles)
		}
	})
}

// checkUnavailable checks an answer given while the database was down:
// HTTP 200 within outageAnswerLimit, every named field null, and only
// ServiceUnavailable errors that reveal nothing about the database.
func checkUnavailable(t *testing.T, r gqlResponse, took time.Duration, port int, fields ...string) {
	t.Helper()
	if r.Status != 200 {
		t.Errorf("status %d, want 200: %s", r.Status, r.Raw)
	}
	if took > outageAnswerLimit {
		t.Errorf("answered after %v, want within %v", took, outageAnswerLimit)
	}
	for _, f := range fields {
		if v, present := r.Data[f]; r.Data != nil && (!present || v != nil) {
			t.Errorf("data.%s = %v, want null", f, v)
		}
	}
	if len(r.Errors) == 0 {
		t.Fatalf("no errors: %s", r.Raw)
	}
	for _, e := range r.Errors {
		if e.ErrorType != string(domain.CodeUnavailable) || e.Extensions["code"] != string(domain.CodeUnavailable) {
			t.Errorf("error %q: errorType %q, extensions.code %v, want %s", e.Message, e.ErrorType, e.Extensions["code"], domain.CodeUnavailable)
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

// timed calls f and returns its result and how long it took.
func timed(f func() gqlResponse) (gqlResponse, time.Duration) {
	start := time.Now()
	r := f()
	return r, time.Since(start)
}

func scheduleVersion(t *testing.T, data map[string]any) int {
	t.Helper()
	s, ok := data["schedule"].(map[string]any)
	if !ok {
		t.Fatalf("no schedule in %v", data)
	}
	return int(s["version"].(float64))
}

func taskTitles(t *testing.T, schedule any) []string {
	t.Helper()
	s, ok := schedule.(map[string]any)
	if !ok {
		t.Fatalf("not a schedule: %v", schedule)
	}
	var titles []string
	for _, task := range s["tasks"].([]any) {
		titles = append(titles, task.(map[string]any)["title"].(string))
	}
	return titles
}

// dynamoLocalLib returns the directory of DynamoDBLocal.jar from
// envDynamoLib. When it is unset it skips t, or fails it under
// DAYLINE_REQUIRE_DYNAMODB=1.
func dynamoLocalLib(t *testing.T) string {
	t.Helper()
	lib := os.Getenv(envDynamoLib)
	if lib == "" {
		msg := envDynamoLib + " is not set: it names the directory of DynamoDBLocal.jar (the DYNAMODB_LIB line of scripts/dynamodb-local/start.sh)"
		if os.Getenv(dynamotest.EnvRequire) == "1" {
			t.Fatalf("%s (%s=1 requires DynamoDB Local)", msg, dynamotest.EnvRequire)
		}
		t.Skip(msg)
	}
	if _, err := os.Stat(filepath.Join(lib, "DynamoDBLocal.jar")); err != nil {
		t.Fatalf("%s=%s: %v", envDynamoLib, lib, err)
	}
	if _, err := exec.LookPath("java"); err != nil {
		t.Fatalf("DynamoDB Local needs Java 17+: %v", err)
	}
	return lib
}

// dynamoLocal is a DynamoDB Local process this test owns, persistent on
// disk (-sharedDb -dbPath) so that its data survive a stop and a start on
// the same port.
type dynamoLocal struct {
	lib, dbPath, logPath string
	port                 int
	cmd                  *exec.Cmd
	exited               chan struct{} // closed when cmd has exited
}

// dynamoStartTimeout bounds how long DynamoDB Local may take to answer.
const dynamoStartTimeout = 60 * time.Second

// startDynamoLocal starts DynamoDB Local on a free port with a fresh
// database directory, waits until it answers, and stops it when t ends.
func startDynamoLocal(t *testing.T, lib string) *dynamoLocal {
	t.Helper()
	dir := t.TempDir()
	d := &dynamoLocal{lib: lib, dbPath: filepath.Join(dir, "db"), logPath: filepath.Join(dir, "dynamodb-local.log"), port: freePort(t)}
	if err := os.Mkdir(d.dbPath, 0o755); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if d.running() {
			d.stop(t)
		}
	})
	d.start(t)
	return d
}

func (d *dynamoLocal) endpoint() string { return "http://" + d.addr() }

func (d *dynamoLocal) addr() string { return net.JoinHostPort("127.0.0.1", strconv.Itoa(d.port)) }

func (d *dynamoLocal) running() bool {
	if d.cmd == nil {
		return false
	}
	select {
	case <-d.exited:
		return false
	default:
		return true
	}
}

// start runs DynamoDB Local on d's port and database directory and waits
// until it answers requests.
func (d *dynamoLocal) start(t *testing.T) {
	t.Helper()
	logFile, err := os.OpenFile(d.logPath, os.O_CREATE|os.O_APPEND|os.O_WRONLY, 0o644)
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command("java", "-Djava.library.path="+filepath.Join(d.lib, "DynamoDBLocal_lib"),
		"-jar", filepath.Join(d.lib, "DynamoDBLocal.jar"),
		"-sharedDb", "-dbPath", d.dbPath, "-port", strconv.Itoa(d.port), "-disableTelemetry")
	cmd.Dir = d.lib
	cmd.Stdout, cmd.Stderr = logFile, logFile
	if err := cmd.Start(); err != nil {
		logFile.Close()
		t.Fatalf("start DynamoDB Local: %v", err)
	}
	exited := make(chan struct{})
	go func() {
		_ = cmd.Wait()
		logFile.Close()
		close(exited)
	}()
	d.cmd, d.exited = cmd, exited
	if err := d.waitReady(); err != nil {
		if d.running() {
			d.stop(t)
		}
		log, _ := os.ReadFile(d.logPath)
		t.Fatalf("DynamoDB Local on port %d: %v; its log:\n%s", d.port, err, log)
	}
}

// waitReady polls until the port accepts connections and ListTables
// answers, the process exits, or dynamoStartTimeout passes.
func (d *dynamoLocal) waitReady() error {
	deadline := time.Now().Add(dynamoStartTimeout)
	probe := dynamotest.NewClient(d.endpoint(), dynamo.ClientOptions(1))
	for {
		err := d.probe(probe)
		if err == nil {
			return nil
		}
		select {
		case <-d.exited:
			return fmt.Errorf("exited during start-up (%v)", d.cmd.ProcessState)
		default:
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("not ready within %v: %w", dynamoStartTimeout, err)
		}
		time.Sleep(100 * time.Millisecond) // polling the port, bounded by deadline
	}
}

func (d *dynamoLocal) probe(client *dynamodb.Client) error {
	conn, err := net.DialTimeout("tcp", d.addr(), time.Second)
	if err != nil {
		return err
	}
	conn.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	_, err = client.ListTables(ctx, &dynamodb.ListTablesInput{})
	return err
}

// stop kills DynamoDB Local (no graceful shutdown: an outage) and waits
// until the process has exited.
func (d *dynamoLocal) stop(t testing.TB) {
	t.Helper()
	if err := d.cmd.Process.Kill(); err != nil && !errors.Is(err, os.ErrProcessDone) {
		t.Fatalf("kill DynamoDB Local (pid %d): %v", d.cmd.Process.Pid, err)
	}
	select {
	case <-d.exited:
	case <-time.After(30 * time.Second):
		t.Fatalf("DynamoDB Local (pid %d) did not exit within 30s of SIGKILL", d.cmd.Process.Pid)
	}
}

// freePort returns a port of 127.0.0.1 that was free a moment ago.
func freePort(t *testing.T) int {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatalf("find a free port: %v", err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port
}
