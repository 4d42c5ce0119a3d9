package redistest_test

import (
	"testing"

	goredis "github.com/redis/go-redis/v9"

	"github.com/dayline/dayline/internal/redistest"
)

// TestRestartKeepsTheAddress stops the server, sees a client fail, restarts
// it and sees the same client, at the same address, served again with an
// empty database (nothing is saved).
func TestRestartKeepsTheAddress(t *testing.T) {
	server := redistest.Start(t)
	client := goredis.NewClient(&goredis.Options{Addr: server.Addr, MaxRetries: -1, DialerRetries: 1})
	t.Cleanup(func() { _ = client.Close() })
	if err := client.Set(t.Context(), "k", "v", 0).Err(); err != nil {
		t.Fatalf("SET on the started server: %v", err)
	}
	addr := server.Addr

	server.Stop()
	if err := client.Ping(t.Context()).Err(); err == nil {
		t.Fatal("PING on the stopped server succeeded")
	}
	server.Restart()
	if server.Addr != addr {
		t.Errorf("address after Restart = %s, want %s", server.Addr, addr)
	}
	n, err := client.Exists(t.Context(), "k").Result()
	if err != nil {
		t.Fatalf("EXISTS on the restarted server: %v", err)
	}
	if n != 0 {
		t.Errorf("the restarted server still has the key: want nothing saved")
	}
}
