package server

import (
	"context"
	"log/slog"
	"sync"
)

// recordingHandler is a slog.Handler that keeps every record, its
// attributes as strings, so a test can count what was logged.
type recordingHandler struct {
	mu      sync.Mutex
	records []recorded
}

type recorded struct {
	level slog.Level
	msg   string
	attrs map[string]string
}

func (h *recordingHandler) Enabled(context.Context, slog.Level) bool { return true }
func (h *recordingHandler) WithAttrs([]slog.Attr) slog.Handler       { return h }
func (h *recordingHandler) WithGroup(string) slog.Handler            { return h }

func (h *recordingHandler) Handle(_ context.Context, r slog.Record) error {
	attrs := map[string]string{}
	r.Attrs(func(a slog.Attr) bool { attrs[a.Key] = a.Value.String(); return true })
	h.mu.Lock()
	defer h.mu.Unlock()
	h.records = append(h.records, recorded{level: r.Level, msg: r.Message, attrs: attrs})
	return nil
}

// errors returns the attributes of the error records logged for the
// request id.
func (h *recordingHandler) errors(requestID string) []map[string]string {
	h.mu.Lock()
	defer h.mu.Unlock()
	var out []map[string]string
	for _, r := range h.records {
		if r.level >= slog.LevelError && r.attrs["request_id"] == requestID {
			out = append(out, r.attrs)
		}
	}
	return out
}
