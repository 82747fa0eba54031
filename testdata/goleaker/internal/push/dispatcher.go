// Package push is the goroutine-leak scenario ("push-worker"). Each push
// request starts a goroutine that resolves the device and sends the result on
// an unbuffered channel. The caller waits only up to a timeout; once the
// upstream turns slow (after a delay) many lookups finish after the caller
// gave up, and their goroutines block forever on the send in
// (*Dispatcher).resolveDevice. Deliveries run in normal short-lived
// goroutines ((*Dispatcher).deliver) that always finish.
package push

import (
	"context"
	"errors"
	"math/rand"
	"sync"
	"time"

	"leakwatch.dev/goleaker/internal/phase"
	"leakwatch.dev/goleaker/internal/rng"
)

// Config tunes the scenario.
type Config struct {
	Seed         int64
	RequestsPerS int           // push requests per second
	SlowFraction float64       // share of lookups slower than the timeout once degraded
	LeakDelay    time.Duration // time after start before the upstream turns slow
}

// timeout is how long a handler waits for the device lookup.
const timeout = 40 * time.Millisecond

var errTimeout = errors.New("device lookup timed out")

type device struct {
	token   string
	profile []byte
}

// Dispatcher handles push requests.
type Dispatcher struct {
	mu       sync.Mutex
	r        *rand.Rand
	degraded bool
	sent     int
	timedOut int
}

// Run drives the scenario until ctx is done.
func Run(ctx context.Context, cfg Config, log *phase.Logger) {
	d := &Dispatcher{r: rng.For(cfg.Seed, "push")}
	step := time.Second / time.Duration(cfg.RequestsPerS)
	t := time.NewTicker(step)
	defer t.Stop()
	start := time.Now()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		if !d.isDegraded() && time.Since(start) >= cfg.LeakDelay {
			d.mu.Lock()
			d.degraded = true
			d.mu.Unlock()
			log.Mark("leak_start", map[string]any{"what": "device upstream slower than the handler timeout", "slow_fraction": cfg.SlowFraction, "timeout_ms": timeout.Milliseconds()})
		}
		go d.handlePush(ctx, cfg.SlowFraction)
	}
}

func (d *Dispatcher) isDegraded() bool {
	d.mu.Lock()
	defer d.mu.Unlock()
	return d.degraded
}

// latency draws the next lookup latency: fast normally, slower than the
// timeout for a share of lookups once degraded.
func (d *Dispatcher) latency(slow float64) time.Duration {
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.degraded && d.r.Float64() < slow {
		return timeout + time.Duration(20+d.r.Intn(160))*time.Millisecond
	}
	return time.Duration(1+d.r.Intn(10)) * time.Millisecond
}

// handlePush is one request: look the device up (bounded by timeout), then
// hand delivery to a short-lived goroutine.
//
//go:noinline
func (d *Dispatcher) handlePush(ctx context.Context, slow float64) {
	ch := make(chan device) // unbuffered: the sender blocks until someone receives
	go d.resolveDevice(d.latency(slow), ch)
	select {
	case dev := <-ch:
		go d.deliver(dev)
	case <-time.After(timeout):
		d.mu.Lock()
		d.timedOut++
		d.mu.Unlock()
	case <-ctx.Done():
	}
}

// resolveDevice simulates the upstream lookup and reports the result. If the
// caller has already timed out, nobody ever receives: this goroutine leaks.
//
//go:noinline
func (d *Dispatcher) resolveDevice(latency time.Duration, out chan<- device) {
	time.Sleep(latency)
	dev := device{token: "tok", profile: make([]byte, 512)}
	out <- dev
}

// deliver simulates sending the notification; it always finishes.
//
//go:noinline
func (d *Dispatcher) deliver(dev device) {
	payload := make([]byte, 2048+len(dev.profile))
	time.Sleep(time.Duration(5+len(payload)%15) * time.Millisecond)
	d.mu.Lock()
	d.sent++
	d.mu.Unlock()
}
