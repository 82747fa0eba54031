package main

import (
	"context"
	"flag"
	"sort"
	"strings"
	"time"

	"leakwatch.dev/goleaker/internal/audit"
	"leakwatch.dev/goleaker/internal/billing"
	"leakwatch.dev/goleaker/internal/catalog"
	"leakwatch.dev/goleaker/internal/gateway"
	"leakwatch.dev/goleaker/internal/httpkit"
	"leakwatch.dev/goleaker/internal/imaging"
	"leakwatch.dev/goleaker/internal/jobs"
	"leakwatch.dev/goleaker/internal/keyspace"
	"leakwatch.dev/goleaker/internal/phase"
	"leakwatch.dev/goleaker/internal/push"
	"leakwatch.dev/goleaker/internal/quota"
	"leakwatch.dev/goleaker/internal/render"
	"leakwatch.dev/goleaker/internal/search"
	"leakwatch.dev/goleaker/internal/session"
	"leakwatch.dev/goleaker/internal/ttlcache"
	"leakwatch.dev/goleaker/internal/widesites"
	"leakwatch.dev/goleaker/internal/wsgateway"
)

var (
	scenarioName = flag.String("scenario", "", "scenario to run")
	addr         = flag.String("addr", "127.0.0.1:6060", "pprof listen address (loopback only)")
	seed         = flag.Int64("seed", 1, "seed for every random choice")
	maxRun       = flag.Duration("max-run", 10*time.Minute, "exit after this long even if never signalled")
	churnMBps    = flag.Float64("churn-mbps", 20, "background request churn in MiB/s (dropped right away)")

	leakDelay  = flag.Duration("leak-delay", 5*time.Second, "heap-leak/goroutine-leak/slow-leak/late-leak/goroutine-trickle: time before the leak starts")
	leakKBps   = flag.Float64("leak-kbps", 200, "heap-leak, slow-leak, late-leak: retained KiB per second; ttl-cache: cached KiB per second")
	rps        = flag.Int("rps", 40, "goroutine-leak: push requests/s; churn: queries/s; converging-cache: lookups/s")
	slowFrac   = flag.Float64("slow-fraction", 0.15, "goroutine-leak: share of lookups slower than the timeout once degraded")
	cacheMB    = flag.Int("cache-mb", 12, "plateau: cache capacity in MiB")
	fill       = flag.Duration("fill", 14*time.Second, "plateau: time to fill the cache")
	batchMB    = flag.Int("batch-mb", 40, "sawtooth: MiB per batch")
	batchDelay = flag.Duration("batch-delay", 3*time.Second, "sawtooth: time before the first batch")
	batchEvery = flag.Duration("batch-period", 10*time.Second, "sawtooth: time between batch starts")
	batchHold  = flag.Duration("batch-hold", 4*time.Second, "sawtooth: how long a batch holds its memory")
	burstMB    = flag.Int("burst-mb", 30, "burst: MiB retained during the burst")
	burstAt    = flag.Duration("burst-at", 10*time.Second, "burst: time of the burst")
	burstHold  = flag.Duration("burst-hold", 6*time.Second, "burst: how long the burst is retained")
	waiters    = flag.Int("waiters", 3000, "stable-waiters, goroutine-trickle: parked goroutines")
	ramp       = flag.Duration("ramp", 2*time.Second, "stable-waiters: time to open them; load-ramp: duration of the ramp")
	candidates = flag.Int("candidates", 400, "churn: candidates scored per query")
	depths     = flag.Int("depths", 25, "many-sites: recursion depths per template (12 templates)")
	livePer    = flag.Int("live-per-site", 8, "many-sites, wide-sites: live fragments per site")
	replacePS  = flag.Int("replace-per-s", 1000, "many-sites, wide-sites: fragments replaced per second")
	sites      = flag.Int("sites", 1200, "wide-sites: distinct allocation stacks (benchmark profiles)")
	parkPer    = flag.Int("park-per-site", 0, "wide-sites: goroutines parked at each site")
	startAfter = flag.Duration("start-after", 20*time.Second, "ttl-cache: quiet time before sessions arrive")
	ttl        = flag.Duration("ttl", 60*time.Second, "ttl-cache: entry lifetime")
	sweepEvery = flag.Duration("sweep-every", 100*time.Second, "ttl-cache: janitor period")
	keys       = flag.Int("keys", 8000, "converging-cache: size of the key space (4 KiB records)")
	fromRPS    = flag.Int("from-rps", 20, "load-ramp: requests/s before the ramp")
	toRPS      = flag.Int("to-rps", 300, "load-ramp: requests/s after the ramp")
	rampStart  = flag.Duration("ramp-start", 20*time.Second, "load-ramp: flat stretch before the ramp")
	reqHold    = flag.Duration("hold", 2*time.Second, "load-ramp: backend latency per request")
	bufferKB   = flag.Int("buffer-kb", 32, "load-ramp: response buffer per in-flight request")
	liveMB     = flag.Int("live-mb", 64, "slow-leak: stable working set in MiB; late-leak: bounded table size in MiB")
	leakEvery  = flag.Duration("leak-every", 3*time.Second, "goroutine-trickle: one leaked goroutine per period")
)

// scenarios maps -scenario values to their workloads. Each returns promptly
// or runs until ctx is done; main waits for ctx either way.
var scenarios = map[string]func(ctx context.Context, log *phase.Logger){
	"heap-leak": func(ctx context.Context, log *phase.Logger) {
		session.Run(ctx, session.Config{Seed: *seed, LeakDelay: *leakDelay, LeakKBPerS: *leakKBps}, log)
	},
	"goroutine-leak": func(ctx context.Context, log *phase.Logger) {
		push.Run(ctx, push.Config{Seed: *seed, RequestsPerS: *rps, SlowFraction: *slowFrac, LeakDelay: *leakDelay}, log)
	},
	"plateau": func(ctx context.Context, log *phase.Logger) {
		catalog.Run(ctx, catalog.Config{Seed: *seed, CacheMB: *cacheMB, Fill: *fill}, log)
	},
	"sawtooth": func(ctx context.Context, log *phase.Logger) {
		billing.Run(ctx, billing.Config{BatchMB: *batchMB, Delay: *batchDelay, Period: *batchEvery, Hold: *batchHold}, log)
	},
	"burst": func(ctx context.Context, log *phase.Logger) {
		imaging.Run(ctx, imaging.Config{BurstMB: *burstMB, At: *burstAt, Hold: *burstHold}, log)
	},
	"stable-waiters": func(ctx context.Context, log *phase.Logger) {
		wsgateway.Run(ctx, wsgateway.Config{Seed: *seed, Waiters: *waiters, Ramp: *ramp}, log)
	},
	"churn": func(ctx context.Context, _ *phase.Logger) {
		search.Run(ctx, search.Config{Seed: *seed, QueriesPerS: *rps, CandidatesPQ: *candidates})
	},
	"many-sites": func(ctx context.Context, _ *phase.Logger) {
		render.Run(ctx, render.Config{Seed: *seed, Depths: *depths, LivePerSite: *livePer, ReplacePerSec: *replacePS})
	},
	"ttl-cache": func(ctx context.Context, log *phase.Logger) {
		ttlcache.Run(ctx, ttlcache.Config{Seed: *seed, StartAfter: *startAfter, KBPerS: *leakKBps, TTL: *ttl, SweepEvery: *sweepEvery}, log)
	},
	"converging-cache": func(ctx context.Context, log *phase.Logger) {
		keyspace.Run(ctx, keyspace.Config{Seed: *seed, Keys: *keys, RequestsPerS: *rps}, log)
	},
	"load-ramp": func(ctx context.Context, log *phase.Logger) {
		gateway.Run(ctx, gateway.Config{FromRPS: *fromRPS, ToRPS: *toRPS, RampStart: *rampStart, Ramp: *ramp,
			Hold: *reqHold, BufferKB: *bufferKB}, log)
	},
	"slow-leak": func(ctx context.Context, log *phase.Logger) {
		audit.Run(ctx, audit.Config{Seed: *seed, LiveMB: *liveMB, LeakKBPerS: *leakKBps, LeakDelay: *leakDelay}, log)
	},
	"late-leak": func(ctx context.Context, log *phase.Logger) {
		quota.Run(ctx, quota.Config{Seed: *seed, TableMB: *liveMB, KBPerS: *leakKBps, LeakDelay: *leakDelay}, log)
	},
	"goroutine-trickle": func(ctx context.Context, log *phase.Logger) {
		jobs.Run(ctx, jobs.Config{Workers: *waiters, LeakEvery: *leakEvery, LeakDelay: *leakDelay}, log)
	},
	"wide-sites": func(ctx context.Context, _ *phase.Logger) {
		widesites.Run(ctx, widesites.Config{Seed: *seed, Sites: *sites, LivePerSite: *livePer,
			ReplacePerSec: *replacePS, ParkPerSite: *parkPer})
	},
}

func scenarioNames() string {
	names := make([]string, 0, len(scenarios))
	for n := range scenarios {
		names = append(names, n)
	}
	sort.Strings(names)
	return strings.Join(names, ", ")
}

func churnServer() *httpkit.Server {
	return httpkit.NewServer(*seed, *churnMBps*(1<<20))
}
