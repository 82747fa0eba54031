// Package audit is the slow-leak scenario ("ledger-api"): a large, stable
// working set (an index of accounts, (*Index).put, replaced at random but
// constant in size) plus an audit trail that appends a small record for
// every write and is never trimmed ((*Trail).Record): a slow, steady heap
// leak, a small share of the heap per hour, under the heavy request churn
// of the rest of the service.
package audit

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
	LiveMB     int           // size of the stable working set
	LeakKBPerS float64       // audit bytes retained per second
	LeakDelay  time.Duration // time before the trail starts recording
}

const (
	accountBytes = 8192
	recordBytes  = 256
)

// Index is the working set: a fixed number of accounts, rewritten at random.
type Index struct{ accounts [][]byte }

// Trail keeps every audit record. Nothing trims it: that is the leak.
type Trail struct{ records [][]byte }

// Run drives the scenario until ctx is done.
func Run(ctx context.Context, cfg Config, log *phase.Logger) {
	r := rng.For(cfg.Seed, "audit")
	ix := &Index{accounts: make([][]byte, cfg.LiveMB<<20/accountBytes)}
	for i := range ix.accounts {
		ix.put(r, i)
	}
	tr := &Trail{}
	const step = 50 * time.Millisecond
	t := time.NewTicker(step)
	defer t.Stop()
	start := time.Now()
	perStep := cfg.LeakKBPerS * 1024 * step.Seconds() / recordBytes
	owed, leaking := 0.0, false
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		for i := 0; i < 20; i++ { // 20 account writes per step, ~3 MiB/s rewritten
			ix.put(r, r.Intn(len(ix.accounts)))
		}
		if !leaking && time.Since(start) >= cfg.LeakDelay {
			leaking = true
			log.Mark("leak_start", map[string]any{"what": "audit trail never trimmed", "rate_kib_per_s": cfg.LeakKBPerS})
		}
		if !leaking {
			continue
		}
		for owed += perStep; owed >= 1; owed-- {
			tr.Record(r)
		}
	}
}

// put replaces account i with a freshly serialised copy.
//
//go:noinline
func (ix *Index) put(r *rand.Rand, i int) {
	b := make([]byte, accountBytes)
	b[r.Intn(len(b))] = byte(i)
	ix.accounts[i] = b
}

// Record appends one audit record to the trail.
//
//go:noinline
func (t *Trail) Record(r *rand.Rand) {
	b := make([]byte, recordBytes)
	b[r.Intn(len(b))] = 1
	t.records = append(t.records, b)
}
