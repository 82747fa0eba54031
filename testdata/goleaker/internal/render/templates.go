// Package render is the many-sites scenario ("profile-heavy"): a template
// renderer whose fragments are produced by 12 template functions, each
// recursing 0..24 levels deep through (*Compiler).expand before allocating in
// (*Compiler).emit. Every (template, depth) pair is a distinct allocation
// stack, ~300 in all, and each keeps a few live fragments that are replaced
// over time (modest churn, constant live size): a big but stable heap
// profile, not a leak. It is the "typical profile" for decoding benchmarks.
package render

import (
	"context"
	"math/rand"
	"time"

	"leakwatch.dev/goleaker/internal/rng"
)

// Config tunes the scenario.
type Config struct {
	Seed          int64
	Depths        int // recursion depths per template (stack count = 12 × Depths)
	LivePerSite   int // fragments each site keeps alive
	ReplacePerSec int // fragments replaced per second (churn)
}

// Compiler renders fragments and keeps the most recent ones per site.
type Compiler struct {
	r    *rand.Rand
	live [][][]byte // [site][slot]
}

type template func(c *Compiler, site, depth int)

var templates = []template{
	headerTemplate, footerTemplate, navTemplate, cardTemplate,
	tableTemplate, formTemplate, listTemplate, modalTemplate,
	badgeTemplate, chartTemplate, menuTemplate, sidebarTemplate,
}

// Run fills every site, then keeps replacing fragments until ctx is done.
// All rendering goes through one call site, so each (template, depth) pair
// is exactly one stack whether it rendered during the fill or later.
func Run(ctx context.Context, cfg Config) {
	sites := len(templates) * cfg.Depths
	c := &Compiler{r: rng.For(cfg.Seed, "render"), live: make([][][]byte, sites)}
	for s := range c.live {
		c.live[s] = make([][]byte, cfg.LivePerSite)
	}
	const step = 10 * time.Millisecond
	t := time.NewTicker(step)
	defer t.Stop()
	fill := sites * cfg.LivePerSite
	perStep := float64(cfg.ReplacePerSec) * step.Seconds()
	owed := float64(fill)
	for n := 0; ; {
		for ; owed >= 1; owed-- {
			site := n % sites // the fill visits every slot once, in order
			if n >= fill {
				site = c.r.Intn(sites)
			}
			n++
			c.render(site, cfg.Depths)
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		owed += perStep
	}
}

func (c *Compiler) render(site, depths int) {
	templates[site/depths](c, site, site%depths)
}

// expand descends depth more levels before emitting, so each depth is its own stack.
//
//go:noinline
func (c *Compiler) expand(site, depth int) {
	if depth == 0 {
		c.emit(site)
		return
	}
	c.expand(site, depth-1)
}

// emit allocates a fragment and stores it in a random slot of the site,
// dropping the fragment that was there. The size is fixed per site so each
// site is one sample of the heap profile (samples are per stack and size).
//
//go:noinline
func (c *Compiler) emit(site int) {
	frag := make([]byte, 4096+(site*97)%8192)
	frag[0] = byte(site)
	slots := c.live[site]
	slots[c.r.Intn(len(slots))] = frag
}

//go:noinline
func headerTemplate(c *Compiler, site, depth int) { c.expand(site, depth) }

//go:noinline
func footerTemplate(c *Compiler, site, depth int) { c.expand(site, depth) }

//go:noinline
func navTemplate(c *Compiler, site, depth int) { c.expand(site, depth) }

//go:noinline
func cardTemplate(c *Compiler, site, depth int) { c.expand(site, depth) }

//go:noinline
func tableTemplate(c *Compiler, site, depth int) { c.expand(site, depth) }

//go:noinline
func formTemplate(c *Compiler, site, depth int) { c.expand(site, depth) }

//go:noinline
func listTemplate(c *Compiler, site, depth int) { c.expand(site, depth) }

//go:noinline
func modalTemplate(c *Compiler, site, depth int) { c.expand(site, depth) }

//go:noinline
func badgeTemplate(c *Compiler, site, depth int) { c.expand(site, depth) }

//go:noinline
func chartTemplate(c *Compiler, site, depth int) { c.expand(site, depth) }

//go:noinline
func menuTemplate(c *Compiler, site, depth int) { c.expand(site, depth) }

//go:noinline
func sidebarTemplate(c *Compiler, site, depth int) { c.expand(site, depth) }
