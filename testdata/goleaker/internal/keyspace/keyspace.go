// Package keyspace is the converging-cache scenario ("geo-lookup"): requests
// ask for keys drawn uniformly from a finite key space; a miss loads the
// record ((*Cache).load) and keeps it forever. The fill rate is proportional
// to the share of keys not yet cached, so the cache grows like
// Keys x (1 - exp(-t x RPS / Keys)): fast at first, ever slower, converging on
// the size of the key space. Bounded: not a leak.
package keyspace

import (
	"context"
	"math/rand"
	"time"

	"leakwatch.dev/goleaker/internal/phase"
	"leakwatch.dev/goleaker/internal/rng"
)

// Config tunes the scenario.
type Config struct {
	Seed         int64
	Keys         int // size of the key space
	RequestsPerS int
}

const avgRecordBytes = 4096

// Cache holds every record ever loaded; the key space bounds it.
type Cache struct {
	byKey map[int][]byte
	r     *rand.Rand
	sink  int
}

// Run drives the scenario until ctx is done.
func Run(ctx context.Context, cfg Config, log *phase.Logger) {
	c := &Cache{byKey: make(map[int][]byte), r: rng.For(cfg.Seed, "keyspace")}
	const step = 50 * time.Millisecond
	t := time.NewTicker(step)
	defer t.Stop()
	perStep := float64(cfg.RequestsPerS) * step.Seconds()
	owed := 0.0
	marked := map[int]bool{}
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		for owed += perStep; owed >= 1; owed-- {
			c.sink += len(c.Get(c.r.Intn(cfg.Keys)))
		}
		if pct := len(c.byKey) * 100 / cfg.Keys; pct >= 50 && pct%10 == 0 && !marked[pct] {
			marked[pct] = true
			log.Mark("filled", map[string]any{"percent": pct, "entries": len(c.byKey)})
		}
	}
}

// Get returns the record for key, loading and caching it on a miss.
func (c *Cache) Get(key int) []byte {
	if b, ok := c.byKey[key]; ok {
		return b
	}
	b := c.load(key)
	c.byKey[key] = b
	return b
}

// load simulates reading a record from the backing store.
//
//go:noinline
func (c *Cache) load(key int) []byte {
	b := make([]byte, avgRecordBytes/2+c.r.Intn(avgRecordBytes))
	for i := 0; i < len(b); i += 64 {
		b[i] = byte(key)
	}
	return b
}
