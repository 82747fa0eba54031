// Package jobs is the goroutine-trickle scenario ("job-runner"): thousands of
// worker goroutines parked waiting for work ((*Runner).worker, a constant
// number), and one job every LeakEvery whose result reporter
// ((*Runner).reportResult) sends on an unbuffered channel nobody reads after
// the job timed out: it blocks forever. A goroutine leak of one goroutine
// every few seconds among thousands of parked ones.
package jobs

import (
	"context"
	"time"

	"leakwatch.dev/goleaker/internal/phase"
)

// Config tunes the scenario.
type Config struct {
	Workers   int           // parked worker goroutines
	LeakEvery time.Duration // one leaked reporter per period
	LeakDelay time.Duration // time before the first leak
}

// Runner owns the worker pool.
type Runner struct {
	work chan int
}

// Run starts the workers, then leaks one reporter per LeakEvery until ctx is done.
func Run(ctx context.Context, cfg Config, log *phase.Logger) {
	rn := &Runner{work: make(chan int)}
	for i := 0; i < cfg.Workers; i++ {
		go rn.worker(ctx)
	}
	select {
	case <-ctx.Done():
		return
	case <-time.After(cfg.LeakDelay):
	}
	log.Mark("leak_start", map[string]any{"what": "timed-out job reporters block on send", "every_s": cfg.LeakEvery.Seconds()})
	t := time.NewTicker(cfg.LeakEvery)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		rn.runJob()
	}
}

// worker waits for work that, in this scenario, never comes.
//
//go:noinline
func (rn *Runner) worker(ctx context.Context) {
	select {
	case <-ctx.Done():
	case <-rn.work:
	}
}

// runJob starts a job whose caller has already given up: the result channel
// is never read.
//
//go:noinline
func (rn *Runner) runJob() {
	results := make(chan int)
	go rn.reportResult(results)
}

// reportResult blocks forever: nobody receives on results.
//
//go:noinline
func (rn *Runner) reportResult(results chan<- int) {
	results <- 42
}
