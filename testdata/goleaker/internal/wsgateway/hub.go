// Package wsgateway is the stable-waiters scenario ("ws-gateway"): thousands
// of connection goroutines parked in a select on ctx.Done() or their inbox.
// They are opened during a short ramp-up and then the count stays constant;
// an occasional broadcast wakes a few of them briefly. Many goroutines, but
// a constant number: not a leak.
package wsgateway

import (
	"context"
	"math/rand"
	"time"

	"leakwatch.dev/goleaker/internal/phase"
	"leakwatch.dev/goleaker/internal/rng"
)

// Config tunes the scenario.
type Config struct {
	Seed    int64
	Waiters int           // number of connections kept open
	Ramp    time.Duration // time to open them all
}

type conn struct {
	id    int
	inbox chan []byte
}

// Hub owns the open connections.
type Hub struct {
	conns []*conn
	r     *rand.Rand
}

// Run opens the connections, then broadcasts now and then until ctx is done.
func Run(ctx context.Context, cfg Config, log *phase.Logger) {
	h := &Hub{r: rng.For(cfg.Seed, "wsgateway")}
	const step = 20 * time.Millisecond
	perStep := cfg.Waiters*int(step)/int(cfg.Ramp) + 1
	t := time.NewTicker(step)
	defer t.Stop()
	for len(h.conns) < cfg.Waiters {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		for i := 0; i < perStep && len(h.conns) < cfg.Waiters; i++ {
			h.Accept(ctx)
		}
	}
	log.Mark("ramp_done", map[string]any{"connections": len(h.conns)})
	b := time.NewTicker(250 * time.Millisecond)
	defer b.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-b.C:
		}
		for i := 0; i < 20; i++ {
			c := h.conns[h.r.Intn(len(h.conns))]
			select {
			case c.inbox <- []byte("tick"):
			default: // inbox full: skip, never block the hub
			}
		}
	}
}

// Accept registers a connection and starts its serving goroutine.
//
//go:noinline
func (h *Hub) Accept(ctx context.Context) {
	c := &conn{id: len(h.conns), inbox: make(chan []byte, 1)}
	h.conns = append(h.conns, c)
	go h.serveConn(ctx, c)
}

// serveConn parks until the connection's context ends, handling messages.
//
//go:noinline
func (h *Hub) serveConn(ctx context.Context, c *conn) {
	for {
		select {
		case <-ctx.Done():
			return
		case m := <-c.inbox:
			writeFrame(c.id, m)
		}
	}
}

//go:noinline
func writeFrame(id int, m []byte) int {
	frame := make([]byte, len(m)+16)
	frame[0] = byte(id)
	return len(frame)
}
