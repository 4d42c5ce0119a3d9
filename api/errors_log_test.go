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
	"github.com/dayline/dayline/scalars"
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

// panickingSchedules is the embedded store, except that reading schedules
// by owner panics.
type panickingSchedules struct{ *bolt.Store }

func (panickingSchedules) SchedulesByOwners(context.Context, []string) (map[string][]domain.Schedule, error) {
	panic("schedules: secret detail")
}

// TestSharedErrorLoggedOnce: a failed batch read fails every field of the
// list that asked for it; each field answers an InternalError naming the
// request id, and the failure is logged once.
func TestSharedErrorLoggedOnce(t *testing.T) {
	st, err := bolt.Open(t.TempDir()+"/d.db", store.NewPageTokens([]byte("api-test-page-token-secret")))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = st.Close() })
	at := time.Date(2026, 3, 30, 8, 0, 0, 0, time.UTC)
	org := domain.Organisation{ID: "org-1", Name: "Org", CreatedAt: at}
	user := func(id string, role domain.Role) domain.User {
		return domain.User{ID: id, OrganisationID: org.ID, Name: id, Email: scalars.Email(id + "@example.com"), Role: role, Version: 1, CreatedAt: at, UpdatedAt: at}
	}
	if err := st.CreateOrganisation(t.Context(), org, user("admin", domain.RoleAdmin)); err != nil {
		t.Fatal(err)
	}
	for _, id := range []string{"member-1", "member-2"} {
		if err := st.CreateUser(t.Context(), user(id, domain.RoleMember)); err != nil {
			t.Fatal(err)
		}
	}
	logs := &recordingHandler{}
	h := New(Config{Store: panickingSchedules{st}, Logger: slog.New(logs), NewID: func() string { return "id-1" }, Now: func() time.Time { return at }})

	const rid = "req-shared-3"
	ctx := WithRequestID(auth.WithIdentity(t.Context(), auth.Identity{Sub: "admin", Groups: []string{domain.GroupAdmins}}), rid)
	body := `{"query":"{ me { organisation { members { items { id schedules { id } } } } } }"}`
	req := httptest.NewRequestWithContext(ctx, http.MethodPost, "/graphql", strings.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)

	var resp struct{ Errors []Error }
	if err := json.Unmarshal(rec.Body.Bytes(), &resp); err != nil {
		t.Fatalf("%d %s: %v", rec.Code, rec.Body, err)
	}
	if len(resp.Errors) != 3 {
		t.Fatalf("want an error for each of the 3 members' schedules: %s", rec.Body)
	}
	for _, e := range resp.Errors {
		if e.ErrorType != "InternalError" || e.Message != "internal error (request id "+rid+")" {
			t.Errorf("error %+v, want InternalError naming request id %s", e, rid)
		}
	}
	var errs []map[string]string
	for _, r := range logs.all() {
		if r["level"] == slog.LevelError.String() {
			errs = append(errs, r)
		}
	}
	if len(errs) != 1 || !strings.Contains(errs[0]["error"], "secret detail") || errs[0]["request_id"] != rid {
		t.Fatalf("%d error records, want 1 (the read's panic, logged once, with request id %s): %v", len(errs), rid, errs)
	}
}
