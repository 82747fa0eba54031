// Package ttlcache is the ttl-cache scenario ("token-cache"): after a quiet
// start, a new stream of sessions begins and every session's token is cached
// with a TTL. A janitor sweeps expired entries only every SweepEvery, so the
// cache grows for up to TTL+SweepEvery, then drops back to about TTL's worth
// in bulk, and repeats. Bounded by (TTL+SweepEvery) x insert rate: not a leak,
// but its first rise lasts longer than a typical detection window.
package ttlcache

import (
	"context"
	"math/rand"
	"time"

	"leakwatch.dev/goleaker/internal/phase"
	"leakwatch.dev/goleaker/internal/rng"
)

// Config tunes the scenario.
type Config struct {
	Seed       int64
	StartAfter time.Duration // quiet time before sessions arrive
	KBPerS     float64       // cached KiB per second once sessions arrive
	TTL        time.Duration // entry lifetime
	SweepEvery time.Duration // janitor period (first sweep SweepEvery after StartAfter)
}

type entry struct {
	token   []byte
	expires time.Time
}

// Cache maps session ids to tokens; expired entries stay until the next sweep.
type Cache struct {
	byID map[int]*entry
	r    *rand.Rand
}

const avgEntryBytes = 1024

// Run drives the scenario until ctx is done.
func Run(ctx context.Context, cfg Config, log *phase.Logger) {
	c := &Cache{byID: make(map[int]*entry), r: rng.For(cfg.Seed, "ttlcache")}
	select {
	case <-ctx.Done():
		return
	case <-time.After(cfg.StartAfter):
	}
	log.Mark("traffic_start", map[string]any{"kib_per_s": cfg.KBPerS, "ttl_s": cfg.TTL.Seconds(), "sweep_s": cfg.SweepEvery.Seconds()})
	const step = 50 * time.Millisecond
	t := time.NewTicker(step)
	defer t.Stop()
	sweep := time.NewTicker(cfg.SweepEvery)
	defer sweep.Stop()
	perStep := cfg.KBPerS * 1024 * step.Seconds() / avgEntryBytes
	owed, next := 0.0, 0
	for {
		select {
		case <-ctx.Done():
			return
		case now := <-sweep.C:
			n := c.Sweep(now)
			log.Mark("sweep", map[string]any{"expired": n, "remaining": len(c.byID)})
		case now := <-t.C:
			for owed += perStep; owed >= 1; owed-- {
				c.Set(next, now.Add(cfg.TTL))
				next++
			}
		}
	}
}

// Set caches a new token for session id until expires.
//
//go:noinline
func (c *Cache) Set(id int, expires time.Time) {
	tok := make([]byte, avgEntryBytes/2+c.r.Intn(avgEntryBytes))
	for i := 0; i < len(tok); i += 64 {
		tok[i] = byte(id)
	}
	c.byID[id] = &entry{token: tok, expires: expires}
}

// Sweep deletes every entry expired at now and returns how many.
func (c *Cache) Sweep(now time.Time) int {
	n := 0
	for id, e := range c.byID {
		if !e.expires.After(now) {
			delete(c.byID, id)
			n++
		}
	}
	return n
}
