package redis_test

import (
	"slices"
	"testing"
	"time"

	"github.com/dayline/dayline/internal/redistest"
)

// BenchmarkPublishToOtherInstance measures one event from one bus's
// Publish to another bus's delivery through a local redis-server, one
// event at a time (the publisher receives each too, not timed), and reports the p50 and p99 of that latency.
//
//	go test ./pubsub/redis -run '^$' -bench PublishToOtherInstance -benchtime 5000x
func BenchmarkPublishToOtherInstance(b *testing.B) {
	server := redistest.Start(b)
	publisher := startInstance(b, "publisher", server.URL())
	receiver := startInstance(b, "receiver", server.URL())
	publisher.awaitHealthy(b)
	receiver.awaitHealthy(b)
	latencies := make([]time.Duration, 0, b.N)
	for i := 0; b.Loop(); i++ {
		start := time.Now()
		publisher.publish(b, scheduleChanged("schedule-1", i+1))
		receiver.receive(b, 1)
		latencies = append(latencies, time.Since(start))
		publisher.receive(b, 1) // its own event, delivered to it too
	}
	slices.Sort(latencies)
	b.ReportMetric(float64(latencies[len(latencies)/2].Microseconds()), "p50-µs")
	b.ReportMetric(float64(latencies[len(latencies)*99/100].Microseconds()), "p99-µs")
}
