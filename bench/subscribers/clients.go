package main

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"sync"
	"time"

	"github.com/coder/websocket"
)

// subscription is what each bench subscriber selects: its own selection,
// owner included (resolved per subscriber).
const subscription = `subscription($o: ID) { onScheduleChanged(ownerId: $o) { id version title updatedAt owner { name } tasks { id title startTime } } }`

// runClients (the child process) opens n graphql-transport-ws
// subscribers of owner's schedules and prints "recv <unix ns>" when each
// receives an event; it runs until killed.
func runClients(url, token, owner string, n int) error {
	ctx := context.Background()
	var mu sync.Mutex
	out := func(format string, args ...any) {
		mu.Lock()
		defer mu.Unlock()
		fmt.Fprintf(os.Stdout, format+"\n", args...)
	}
	dials := make(chan struct{}, 64) // dials at once
	errs := make(chan error, n)
	for range n {
		dials <- struct{}{}
		go func() {
			c, err := dialSubscriber(ctx, url, token, owner)
			<-dials
			if err != nil {
				errs <- err
				return
			}
			for {
				_, b, err := c.Read(ctx)
				if err != nil {
					return
				}
				var m struct{ Type string }
				_ = json.Unmarshal(b, &m)
				switch m.Type {
				case "next":
					out("recv %d", time.Now().UnixNano())
				case "ping":
					_ = c.Write(ctx, websocket.MessageText, []byte(`{"type":"pong"}`))
				case "error", "complete":
					out("client got %s", b)
				}
			}
		}()
	}
	return <-errs // runs until killed, unless a dial fails
}

// dialSubscriber opens one connection and one subscription.
func dialSubscriber(ctx context.Context, url, token, owner string) (*websocket.Conn, error) {
	c, _, err := websocket.Dial(ctx, url, &websocket.DialOptions{Subprotocols: []string{"graphql-transport-ws"}})
	if err != nil {
		return nil, err
	}
	send := func(v any) error {
		b, _ := json.Marshal(v)
		return c.Write(ctx, websocket.MessageText, b)
	}
	if err := send(map[string]any{"type": "connection_init", "payload": map[string]string{"Authorization": "Bearer " + token}}); err != nil {
		return nil, err
	}
	if _, b, err := c.Read(ctx); err != nil || !json.Valid(b) {
		return nil, fmt.Errorf("connection_init: %v", err)
	}
	err = send(map[string]any{"type": "subscribe", "id": "1", "payload": map[string]any{"query": subscription, "variables": map[string]any{"o": owner}}})
	return c, err
}
