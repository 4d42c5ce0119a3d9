package e2e_test

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"strings"
	"testing"

	"github.com/dayline/dayline/api"
	"github.com/dayline/dayline/domain"
	"github.com/dayline/dayline/server"
	"github.com/dayline/dayline/store"
)

// faultyStore fails or panics on schedule reads, as a bug would.
type faultyStore struct {
	store.Store
	panics bool
}

func (f faultyStore) SchedulesByOwners(ctx context.Context, ids []string) (map[string][]domain.Schedule, error) {
	if f.panics {
		panic("boom: secret detail /srv/dayline/store.go:42")
	}
	return nil, errors.New("connection to 10.0.0.7:5432 reset: secret detail")
}

// syncBuf is a log sink safe for concurrent writes.
type syncBuf struct {
	ch chan struct{}
	b  bytes.Buffer
}

func (s *syncBuf) Write(p []byte) (int, error) {
	s.ch <- struct{}{}
	defer func() { <-s.ch }()
	return s.b.Write(p)
}

func (s *syncBuf) String() string {
	s.ch <- struct{}{}
	defer func() { <-s.ch }()
	return s.b.String()
}

// TestInternalErrorsAreHidden: an unexpected store error and a panic in a
// resolver answer "internal error (request id …)" with errorType
// InternalError; the details go to the log under that request id; the rest
// of the response survives and the server keeps serving.
func TestInternalErrorsAreHidden(t *testing.T) {
	for _, panics := range []bool{false, true} {
		name := map[bool]string{false: "error", true: "panic"}[panics]
		t.Run(name, func(t *testing.T) {
			logs := &syncBuf{ch: make(chan struct{}, 1)}
			e := newEnv(t, func(t testing.TB) store.Store { return faultyStore{Store: openBolt(t), panics: panics} },
				func(a *api.Config, s *server.Config) { a.Logger = slog.New(slog.NewJSONHandler(logs, nil)) })
			r := e.as("a-member-1", `{ me { id } agenda(userId: "a-member-1", date: "2026-03-30") { startsAt } }`, nil)
			got := decodeData[struct {
				Me     *userOut
				Agenda []agendaItemOut
			}](t, r)
			if r.Status != 200 || got.Me == nil || got.Me.ID != "a-member-1" || r.hasData("agenda") {
				t.Fatalf("want me to survive and agenda null: %d %s", r.Status, r.Raw)
			}
			if len(r.Errors) != 1 || r.Errors[0].ErrorType != "InternalError" ||
				!strings.HasPrefix(r.Errors[0].Message, "internal error (request id ") {
				t.Fatalf("want one InternalError naming the request id: %s", r.Raw)
			}
			if strings.Contains(r.Raw, "secret") || strings.Contains(r.Raw, "boom") {
				t.Errorf("internal detail leaked: %s", r.Raw)
			}
			id := strings.TrimSuffix(strings.TrimPrefix(r.Errors[0].Message, "internal error (request id "), ")")
			if log := logs.String(); !strings.Contains(log, id) || !strings.Contains(log, "secret detail") {
				t.Errorf("the log should hold the detail under request id %s:\n%s", id, log)
			}
			e.healthy()
		})
	}
}

// TestIntrospectionSwitch: introspection answers when enabled and is
// refused when disabled.
func TestIntrospectionSwitch(t *testing.T) {
	for _, enabled := range []bool{true, false} {
		e := newEnv(t, openBolt, func(a *api.Config, _ *server.Config) { a.Introspection = enabled })
		r := e.as("a-admin", `{ __schema { queryType { name } } }`, nil)
		got := len(r.Errors) == 0 && r.hasData("__schema")
		if got != enabled {
			t.Errorf("introspection enabled=%v: answered=%v: %s", enabled, got, r.Raw)
		}
		if !enabled && (len(r.Errors) != 1 || r.Errors[0].ErrorType != "Unauthorized") {
			t.Errorf("disabled introspection: want one Unauthorized error, got %s", r.Raw)
		}
	}
}
