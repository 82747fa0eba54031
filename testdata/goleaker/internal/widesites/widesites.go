// Package widesites is the wide-sites scenario: the many-sites workload
// (package render) made wider for benchmarks, with any number of distinct
// allocation stacks rather than render's fixed 12 templates × depths (whose
// deeper stacks run into the runtime's 32-frame limit and collapse).
//
// Site s is reached by a call path of its own: the bits of s choose, level by
// level, between two functions (left, right), then a tail of descend frames
// whose length varies with s; the leaf (emit) allocates a fragment whose size
// is fixed per site and keeps the last LivePerSite of them, replacing them at
// random (constant live size: not a leak). With ParkPerSite > 0 that many goroutines
// per site also wait at the end of the same path, so the goroutine profile
// has one stack per site too. Stacks stay under the runtime's 32 frames up
// to 2^16 sites.
package widesites

import (
	"context"
	"math/rand"
	"time"

	"leakwatch.dev/goleaker/internal/rng"
)

// Config tunes the scenario.
type Config struct {
	Seed          int64
	Sites         int // distinct allocation stacks
	LivePerSite   int // fragments each site keeps alive
	ReplacePerSec int // fragments replaced per second (churn)
	ParkPerSite   int // goroutines parked at each site (0: none)
}

// maxPath is the most frames a site's path (bit levels plus tail) may take:
// with the frames above and below it (main, Run, visit, leaf, emit, ...) a
// stack stays under the runtime's 32-frame limit, so no two sites collapse.
const maxPath = 23

type walker struct {
	r     *rand.Rand
	bits  int        // left/right levels
	tails int        // tail depths: site%tails more descend frames spread stack lengths like real call graphs
	live  [][][]byte // [site][slot]
	park  bool       // at the leaf: park instead of allocating
	done  <-chan struct{}
	ready chan<- struct{}
}

// Run parks the goroutines, fills every site, then keeps replacing fragments
// until ctx is done.
func Run(ctx context.Context, cfg Config) {
	bits := 1
	for 1<<bits < cfg.Sites {
		bits++
	}
	tails := maxPath - bits
	if tails < 1 {
		tails = 1
	}
	if cfg.ParkPerSite > 0 {
		ready := make(chan struct{})
		n := 0
		for s := 0; s < cfg.Sites; s++ {
			for i := 0; i < cfg.ParkPerSite; i++ {
				w := &walker{bits: bits, tails: tails, park: true, done: ctx.Done(), ready: ready}
				go w.visit(s)
				n++
			}
		}
		for ; n > 0; n-- {
			<-ready
		}
	}
	w := &walker{r: rng.For(cfg.Seed, "widesites"), bits: bits, tails: tails, live: make([][][]byte, cfg.Sites)}
	for s := range w.live {
		w.live[s] = make([][]byte, cfg.LivePerSite)
	}
	const step = 10 * time.Millisecond
	t := time.NewTicker(step)
	defer t.Stop()
	fill := cfg.Sites * cfg.LivePerSite
	perStep := float64(cfg.ReplacePerSec) * step.Seconds()
	owed := float64(fill)
	for n := 0; ; {
		for ; owed >= 1; owed-- {
			site := n % cfg.Sites // the fill visits every slot once, in order
			if n >= fill {
				site = w.r.Intn(cfg.Sites)
			}
			n++
			w.visit(site)
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		owed += perStep
	}
}

// visit walks site's path: one left/right frame per bit, most significant
// first, then the tail.
func (w *walker) visit(site int) {
	w.left(site, w.bits)
}

// left and right have the same body on purpose: each is one frame per level,
// and which of the two a level shows is the site's bit at that level (a
// shared helper would add a frame per level and hit the 32-frame limit).
//
//go:noinline
func (w *walker) left(site, bit int) {
	bit--
	switch {
	case bit < 0:
		w.descend(site, site%w.tails)
	case site&(1<<bit) == 0:
		w.left(site, bit)
	default:
		w.right(site, bit)
	}
}

//go:noinline
func (w *walker) right(site, bit int) {
	bit--
	switch {
	case bit < 0:
		w.descend(site, site%w.tails)
	case site&(1<<bit) == 0:
		w.left(site, bit)
	default:
		w.right(site, bit)
	}
}

// descend adds depth more frames before the leaf.
//
//go:noinline
func (w *walker) descend(site, depth int) {
	if depth == 0 {
		w.leaf(site)
		return
	}
	w.descend(site, depth-1)
}

//go:noinline
func (w *walker) leaf(site int) {
	if w.park {
		w.wait()
		return
	}
	w.emit(site)
}

// wait parks the goroutine until the scenario ends.
//
//go:noinline
func (w *walker) wait() {
	w.ready <- struct{}{}
	<-w.done
}

// emit allocates a fragment of the site's fixed size (one heap sample per
// site: samples are per stack and size) into a random slot of the site,
// dropping the fragment that was there.
//
//go:noinline
func (w *walker) emit(site int) {
	frag := make([]byte, 4096+(site*97)%8192)
	frag[0] = byte(site)
	slots := w.live[site]
	slots[w.r.Intn(len(slots))] = frag
}
