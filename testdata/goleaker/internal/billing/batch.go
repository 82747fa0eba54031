// Package billing is the sawtooth scenario ("billing-batch"): a periodic
// invoice batch allocates tens of MiB of shards, holds them for a few
// seconds, then releases them all. In-use memory jumps and falls back every
// period: large, but bounded and periodic, so not a leak.
package billing

import (
	"context"
	"time"

	"leakwatch.dev/goleaker/internal/phase"
)

// Config tunes the scenario.
type Config struct {
	BatchMB int           // MiB allocated per batch
	Delay   time.Duration // time after start of the first batch
	Period  time.Duration // time between batch starts
	Hold    time.Duration // how long a batch keeps its shards
}

const shardBytes = 1 << 20

// Runner runs invoice batches.
type Runner struct {
	shards [][]byte
	rows   int
}

// Run drives the scenario until ctx is done.
func Run(ctx context.Context, cfg Config, log *phase.Logger) {
	r := &Runner{}
	wait := cfg.Delay
	for {
		select {
		case <-ctx.Done():
			return
		case <-time.After(wait):
		}
		started := time.Now()
		log.Mark("batch_start", map[string]any{"shards": cfg.BatchMB, "shard_bytes": shardBytes})
		r.runInvoiceBatch(cfg.BatchMB)
		select {
		case <-ctx.Done():
			return
		case <-time.After(cfg.Hold):
		}
		r.release()
		log.Mark("batch_end", map[string]any{"rows": r.rows})
		wait = cfg.Period - time.Since(started)
	}
}

// runInvoiceBatch materialises the batch's shards and keeps them.
//
//go:noinline
func (r *Runner) runInvoiceBatch(n int) {
	for i := 0; i < n; i++ {
		r.shards = append(r.shards, newShard(i))
	}
}

//go:noinline
func newShard(i int) []byte {
	b := make([]byte, shardBytes)
	for j := 0; j < len(b); j += 4096 {
		b[j] = byte(i) // touch every page
	}
	return b
}

func (r *Runner) release() {
	r.rows = len(r.shards) * shardBytes / 16
	r.shards = nil
}
