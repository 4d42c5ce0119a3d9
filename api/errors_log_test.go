package api

import (
	"context"
	"encoding/json"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"reflect"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/dayline/dayline/auth"
	"github.com/dayline/dayline/domain"
	"github.com/dayline/dayline/store"
	"github.com/dayline/dayline/store/bolt"
)

// recordingHandler is a slog.Handler that keeps every record, its
// attributes as strings, so a test can count what was logged.
type recordingHandler struct {
	mu      sync.Mutex
	records []map[string]string // attributes, plus "level" and "msg"
}

func (h *recordingHandler) Enabled(context.Context, slog.Level) bool { return true }
func (h *recordingHandler) WithAttrs([]slog.Attr) slog.Handler       { return h }
func (h *recordingHandler) WithGroup(string) slog.Handler            { return h }

func (h *recordingHandler) Handle(_ context.Context, r slog.Record) error {
	attrs := map[string]string{"level": r.Level.String(), "msg": r.Message}
	r.Attrs(func(a slog.Attr) bool { attrs[a.Key] = a.Value.String(); return true })
	h.mu.Lock()
	defer h.mu.Unlock()
	h.records = append(h.records, attrs)
	return nil
}

func (h *recordingHandler) all() []map[string]string {
	h.mu.Lock()
	defer h.mu.Unlock()
	return append([]map[string]string(nil), h.records...)
}

// TestResolverPanicLoggedOnce: a panic in a resolver answers one
// InternalError naming the request id, and is logged exactly once (one
// record, with the panic, its stack and the field's path).
func TestResolverPanicLoggedOnce(t *testing.T) {
	st, err := bolt.Open(t.TempDir()+"/d.db", store.NewPageTokens([]byte("api-test-page-token-secret")))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = st.Close() })
	logs := &recordingHandler{}
	h := New(Config{
		Store: st, Logger: slog.New(logs), NewID: func() string { return "id-1" },
		Now: func() time.Time { panic("boom: secret detail") }, // createOrganisation reads the clock
	})

	const rid = "req-panic-7"
	ctx := WithRequestID(auth.WithIdentity(t.Context(), auth.Identity{Sub: "operator-1", Groups: []string{domain.GroupOperators}}), rid)
	body := `{"query":"mutation { createOrganisation(input: {name: \"Org\", admin: {name: \"Ada\", email: \"ada@example.com\"}}) { id } }"}`
	req := httptest.NewRequestWithContext(ctx, http.MethodPost, "/graphql", strings.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)

	var resp struct {
		Data   map[string]any
		Errors []Error
	}
	if err := json.Unmarshal(rec.Body.Bytes(), &resp); err != nil {
		t.Fatalf("%d %s: %v", rec.Code, rec.Body, err)
	}
	if rec.Code != http.StatusOK || len(resp.Errors) != 1 {
		t.Fatalf("want 200 and one error: %d %s", rec.Code, rec.Body)
	}
	want := Error{
		Message: "internal error (request id " + rid + ")", ErrorType: "InternalError",
		Path: resp.Errors[0].Path, Locations: resp.Errors[0].Locations,
		Extensions: map[string]any{"code": "InternalError"},
	}
	if !reflect.DeepEqual(resp.Errors[0], want) || resp.Errors[0].Path.String() != "createOrganisation" {
		t.Errorf("error %+v, want %+v at createOrganisation", resp.Errors[0], want)
	}
	var errs []map[string]string
	for _, r := range logs.all() {
		if r["level"] == slog.LevelError.String() {
			errs = append(errs, r)
		}
	}
	if len(errs) != 1 {
		t.Fatalf("%d error records, want 1 (the panic, logged once): %v", len(errs), errs)
	}
	got := errs[0]
	if got["request_id"] != rid || got["path"] != "createOrganisation" || !strings.Contains(got["panic"], "secret detail") || !strings.Contains(got["stack"], "goroutine") {
		t.Errorf("record %v: want request_id %s, path createOrganisation, the panic and its stack", got, rid)
	}
}
