package e2e_test

import (
	"bytes"
	"net/http"
	"net/http/httptest"
	"testing"
)

// Benchmarks of the two hot queries through the real HTTP handler stack
// (auth, GraphQL, loaders, embedded store), without network:
//
//	go test ./e2e -run '^$' -bench . -benchmem
func benchmarkQuery(b *testing.B, userID, body string) {
	e := newEnv(b, openBolt)
	tok := e.token(userID)
	payload := []byte(body)
	b.ReportAllocs()
	b.SetParallelism(25) // 50 concurrent requests on 2 cores, like the load command
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			req := httptest.NewRequest(http.MethodPost, "/graphql", bytes.NewReader(payload))
			req.Header.Set("Content-Type", "application/json")
			req.Header.Set("Authorization", "Bearer "+tok)
			rec := httptest.NewRecorder()
			e.handler.ServeHTTP(rec, req)
			if rec.Code != http.StatusOK || bytes.Contains(rec.Body.Bytes(), []byte(`"errors"`)) {
				b.Fatalf("status %d: %s", rec.Code, rec.Body.String())
			}
		}
	})
}

func BenchmarkAgendaQuery(b *testing.B) {
	benchmarkQuery(b, "a-member-1", `{"query":"query($d: AWSDate!) { agenda(userId: \"a-member-1\", date: $d) { startsAt endsAt completed task { id title icon startTime durationMinutes } } }","variables":{"d":"`+testDay+`"}}`)
}

func BenchmarkDashboardQuery(b *testing.B) {
	benchmarkQuery(b, "a-caregiver", `{"query":"query($d: AWSDate!) { me { organisation { name members(limit: 50) { items { id name email agenda(date: $d) { startsAt completed task { title } } } } } } }","variables":{"d":"`+testDay+`"}}`)
}
