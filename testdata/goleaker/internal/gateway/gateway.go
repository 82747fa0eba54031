// Package gateway is the load-ramp scenario ("api-gateway"): each request is
// proxied by its own goroutine ((*Proxy).handle) holding a response buffer
// (newBuffer) while it waits Hold for the backend. The request rate is flat,
// then ramps linearly for Ramp, then holds at the new level. In-flight
// goroutines and buffers are rate x Hold: they grow with the load and stop
// growing when it does. Not a leak.
package gateway

import (
	"context"
	"time"

	"leakwatch.dev/goleaker/internal/phase"
)

// Config tunes the scenario.
type Config struct {
	FromRPS, ToRPS int           // request rate before and after the ramp
	RampStart      time.Duration // flat stretch at FromRPS
	Ramp           time.Duration // duration of the linear ramp
	Hold           time.Duration // backend latency: how long a request lives
	BufferKB       int           // response buffer per in-flight request
}

// Proxy serves requests.
type Proxy struct {
	cfg  Config
	sink chan int
}

// Run drives the scenario until ctx is done.
func Run(ctx context.Context, cfg Config, log *phase.Logger) {
	p := &Proxy{cfg: cfg, sink: make(chan int, 1024)}
	go func() { // drains results so handlers never block on it
		for {
			select {
			case <-ctx.Done():
				return
			case <-p.sink:
			}
		}
	}()
	const step = 20 * time.Millisecond
	t := time.NewTicker(step)
	defer t.Stop()
	start := time.Now()
	owed := 0.0
	phaseNow := ""
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		el := time.Since(start)
		rate := float64(cfg.FromRPS)
		switch {
		case el >= cfg.RampStart+cfg.Ramp:
			rate = float64(cfg.ToRPS)
			if phaseNow != "hold" {
				phaseNow = "hold"
				log.Mark("ramp_done", map[string]any{"rps": cfg.ToRPS})
			}
		case el >= cfg.RampStart:
			rate += float64(cfg.ToRPS-cfg.FromRPS) * float64(el-cfg.RampStart) / float64(cfg.Ramp)
			if phaseNow != "ramp" {
				phaseNow = "ramp"
				log.Mark("ramp_start", map[string]any{"from_rps": cfg.FromRPS, "to_rps": cfg.ToRPS})
			}
		}
		for owed += rate * step.Seconds(); owed >= 1; owed-- {
			go p.handle(ctx)
		}
	}
}

// handle proxies one request: it holds a buffer until the backend answers.
//
//go:noinline
func (p *Proxy) handle(ctx context.Context) {
	buf := newBuffer(p.cfg.BufferKB << 10)
	select {
	case <-ctx.Done():
	case <-time.After(p.cfg.Hold):
	}
	select {
	case p.sink <- len(buf) + int(buf[len(buf)-1]):
	default:
	}
}

// newBuffer allocates a response buffer and touches it.
//
//go:noinline
func newBuffer(n int) []byte {
	b := make([]byte, n)
	for i := 0; i < n; i += 512 {
		b[i] = byte(i)
	}
	return b
}
