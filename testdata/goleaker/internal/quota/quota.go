// Package quota is the late-leak scenario ("rate-limiter"): a per-client
// bucket table ((*Limiter).track) bounded at TableMB; new clients arrive
// at a steady rate and evict the oldest, so the table is full and flat from
// the start. After LeakDelay a config reload sets the bound to 0, which the
// code reads as "unlimited": nothing is evicted any more and the table grows
// at the client arrival rate for as long as the process lives. The same
// site is bounded for a long stretch, then leaks.
package quota

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
	Seed      int64
	TableMB   int           // bucket table size while bounded
	KBPerS    float64       // bucket bytes created per second (new clients)
	LeakDelay time.Duration // when the bound is lost
}

const bucketBytes = 512

type bucket struct {
	client int
	state  []byte
}

// Limiter keeps a token bucket per client, oldest evicted first.
type Limiter struct {
	max   int // 0: unlimited
	order *list.List
	byID  map[int]*list.Element
	r     *rand.Rand
}

// Run drives the scenario until ctx is done.
func Run(ctx context.Context, cfg Config, log *phase.Logger) {
	l := &Limiter{max: cfg.TableMB << 20 / bucketBytes, order: list.New(), byID: map[int]*list.Element{}, r: rng.For(cfg.Seed, "quota")}
	next := 0
	for ; next < l.max; next++ { // the table is full before the first scrape
		l.track(next)
	}
	const step = 50 * time.Millisecond
	t := time.NewTicker(step)
	defer t.Stop()
	start := time.Now()
	perStep := cfg.KBPerS * 1024 * step.Seconds() / bucketBytes
	owed := 0.0
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		if l.max != 0 && time.Since(start) >= cfg.LeakDelay {
			l.max = 0
			log.Mark("leak_start", map[string]any{"what": "client table bound lost on config reload", "rate_kib_per_s": cfg.KBPerS})
		}
		for owed += perStep; owed >= 1; owed-- {
			l.track(next)
			next++
		}
	}
}

// track adds a bucket for a new client, evicting the oldest when bounded.
//
//go:noinline
func (l *Limiter) track(client int) {
	if l.max > 0 && l.order.Len() >= l.max {
		old := l.order.Back()
		l.order.Remove(old)
		delete(l.byID, old.Value.(*bucket).client)
	}
	st := make([]byte, bucketBytes/2+l.r.Intn(bucketBytes))
	st[0] = byte(client)
	l.byID[client] = l.order.PushFront(&bucket{client: client, state: st})
}
