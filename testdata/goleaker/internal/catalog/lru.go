// Package catalog is the plateau scenario ("product-cache"): a bounded LRU of
// product records. Misses load a product (catalog.loadProduct) and add it
// ((*LRU).Add); during the fill phase every request misses, so the cache
// reaches capacity after the configured fill time and then stays flat: each
// new entry evicts the oldest. In-use memory rises, then plateaus: not a leak.
package catalog

import (
	"container/list"
	"context"
	"math/rand"
	"time"

	"leakwatch.dev/goleaker/internal/phase"
	"leakwatch.dev/goleaker/internal/rng"
)

// Config tunes the scenario.
type Config struct {
	Seed    int64
	CacheMB int           // capacity in MiB of product payload
	Fill    time.Duration // time to reach capacity
}

type product struct {
	sku  int
	json []byte
}

// avgProductBytes is the mean payload size; capacity in entries is derived from it.
const avgProductBytes = 4096

// LRU is a fixed-capacity least-recently-used cache.
type LRU struct {
	capacity int
	order    *list.List // front = most recent
	bySKU    map[int]*list.Element
}

// NewLRU returns an empty cache holding at most capacity products.
func NewLRU(capacity int) *LRU {
	return &LRU{capacity: capacity, order: list.New(), bySKU: make(map[int]*list.Element, capacity)}
}

// Get returns the product and marks it recently used.
func (c *LRU) Get(sku int) (*product, bool) {
	el, ok := c.bySKU[sku]
	if !ok {
		return nil, false
	}
	c.order.MoveToFront(el)
	return el.Value.(*product), true
}

// Add inserts p, evicting the least recently used product when full.
//
//go:noinline
func (c *LRU) Add(p *product) {
	if c.order.Len() >= c.capacity {
		oldest := c.order.Back()
		c.order.Remove(oldest)
		delete(c.bySKU, oldest.Value.(*product).sku)
	}
	c.bySKU[p.sku] = c.order.PushFront(p)
}

// Len is the number of cached products.
func (c *LRU) Len() int { return c.order.Len() }

// loadProduct simulates reading a product from the database.
//
//go:noinline
func loadProduct(r *rand.Rand, sku int) *product {
	b := make([]byte, avgProductBytes/2+r.Intn(avgProductBytes))
	for i := 0; i < len(b); i += 64 {
		b[i] = byte(sku)
	}
	return &product{sku: sku, json: b}
}

// Run drives the scenario until ctx is done.
func Run(ctx context.Context, cfg Config, log *phase.Logger) {
	r := rng.For(cfg.Seed, "catalog")
	capacity := cfg.CacheMB << 20 / avgProductBytes
	c := NewLRU(capacity)
	const step = 50 * time.Millisecond
	steps := int(cfg.Fill / step)
	if steps < 1 {
		steps = 1
	}
	fillPerStep := capacity/steps + 1
	t := time.NewTicker(step)
	defer t.Stop()
	nextSKU, tick := 0, 0
	plateau := false
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		if c.Len() < capacity {
			for i := 0; i < fillPerStep; i++ {
				c.Add(loadProduct(r, nextSKU))
				nextSKU++
			}
			continue
		}
		if !plateau {
			plateau = true
			log.Mark("plateau", map[string]any{"cache_len": c.Len(), "cache_cap": capacity})
		}
		// Steady state: lookups of recent products (mostly hits; a miss
		// reloads the product), plus a brand-new product every 10th tick that
		// evicts the least recently used one. The cache turns over slowly,
		// which also keeps the heap profile's sampled subset (and so its
		// estimate) stable: the true in-use size is flat either way.
		for i := 0; i < 40; i++ {
			sku := nextSKU - 1 - r.Intn(capacity)
			if _, ok := c.Get(sku); !ok {
				c.Add(loadProduct(r, sku))
			}
		}
		if tick++; tick%10 == 0 {
			c.Add(loadProduct(r, nextSKU))
			nextSKU++
		}
	}
}
