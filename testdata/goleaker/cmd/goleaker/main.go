// Command goleaker is a small Go service that misbehaves on purpose. It serves
// net/http/pprof on -addr (loopback only) and runs one scenario chosen with
// -scenario (heap-leak, goroutine-leak, plateau, sawtooth, burst,
// stable-waiters, churn, many-sites, wide-sites, ttl-cache, converging-cache,
// load-ramp, slow-leak, late-leak, goroutine-trickle) next to a background
// request churn.
// Phase markers are written to stdout as JSON lines (see package phase).
// It exits on SIGINT/SIGTERM or after -max-run.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"net"
	"net/http"
	_ "net/http/pprof" // the endpoints being profiled
	"os"
	"os/signal"
	"runtime"
	"syscall"
	"time"

	"leakwatch.dev/goleaker/internal/phase"
)

func main() {
	memProfileRate := flag.Int("mem-profile-rate", runtime.MemProfileRate, "runtime.MemProfileRate: heap sampling interval in bytes")
	flag.Parse()
	// Set before any scenario allocates, so every sampled allocation uses it.
	runtime.MemProfileRate = *memProfileRate
	if err := run(); err != nil {
		fmt.Fprintln(os.Stderr, "goleaker:", err)
		os.Exit(2)
	}
}

func run() error {
	if flag.NArg() > 0 {
		return fmt.Errorf("unexpected arguments %q", flag.Args())
	}
	sc, ok := scenarios[*scenarioName]
	if !ok {
		return fmt.Errorf("unknown -scenario %q (want one of %s)", *scenarioName, scenarioNames())
	}
	ln, err := listenLoopback(*addr)
	if err != nil {
		return err
	}
	log := phase.New(os.Stdout)
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	ctx, cancel := context.WithTimeout(ctx, *maxRun)
	defer cancel()

	srv := &http.Server{ReadHeaderTimeout: 5 * time.Second}
	go func() {
		if err := srv.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
			fmt.Fprintln(os.Stderr, "goleaker: serve:", err)
			cancel()
		}
	}()
	log.Mark("started", map[string]any{
		"scenario":         *scenarioName,
		"seed":             *seed,
		"addr":             ln.Addr().String(),
		"mem_profile_rate": runtime.MemProfileRate,
		"go_version":       runtime.Version(),
		"gomaxprocs":       runtime.GOMAXPROCS(0),
	})
	go churnServer().Serve(ctx)
	sc(ctx, log)
	<-ctx.Done()
	log.Mark("stopping", map[string]any{"reason": reason(ctx)})
	shutdown, done := context.WithTimeout(context.Background(), time.Second)
	defer done()
	return srv.Shutdown(shutdown)
}

// listenLoopback refuses any address that is not on the loopback interface:
// the pprof endpoints must never be exposed.
func listenLoopback(a string) (net.Listener, error) {
	host, _, err := net.SplitHostPort(a)
	if err != nil {
		return nil, fmt.Errorf("-addr %q: %w", a, err)
	}
	if ip := net.ParseIP(host); ip == nil || !ip.IsLoopback() {
		return nil, fmt.Errorf("-addr %q: only loopback IP addresses are allowed", a)
	}
	return net.Listen("tcp", a)
}

func reason(ctx context.Context) string {
	if errors.Is(ctx.Err(), context.DeadlineExceeded) {
		return "max-run reached"
	}
	return "signal"
}
