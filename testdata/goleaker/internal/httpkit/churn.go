// Package httpkit is the fixture services' shared "request handling" layer.
// Every scenario runs its background churn: request-like allocations that
// are dropped as soon as the simulated request ends, so they add to the
// cumulative alloc_* values of the heap profile but never to inuse_*.
// The churn drives the garbage collector several times per second, which
// keeps the heap profile (a snapshot as of the most recent GC) fresh.
package httpkit

import (
	"context"
	"math/rand"
	"time"

	"leakwatch.dev/goleaker/internal/rng"
)

// tick is how often the churn loop wakes up to spend its allocation budget.
const tick = 10 * time.Millisecond

// Server simulates request handling at a fixed allocation rate.
type Server struct {
	bytesPerSec float64
	r           *rand.Rand
	sink        uint64 // keeps the compiler from discarding the buffers
}

// NewServer returns a Server allocating about bytesPerSec bytes per second
// (0 disables it), with request sizes drawn from the given seed.
func NewServer(seed int64, bytesPerSec float64) *Server {
	return &Server{bytesPerSec: bytesPerSec, r: rng.For(seed, "httpkit")}
}

// Serve runs the churn until ctx is done.
func (s *Server) Serve(ctx context.Context) {
	if s.bytesPerSec <= 0 {
		return
	}
	t := time.NewTicker(tick)
	defer t.Stop()
	budget := 0.0
	perTick := s.bytesPerSec * tick.Seconds()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		budget += perTick
		for budget > 0 {
			budget -= float64(s.handle())
		}
	}
}

// handle simulates one request and returns how many bytes it allocated.
// Response sizes come from a few fixed sizes (the heap profile has one
// sample per stack and size, and real responses cluster too).
//
//go:noinline
func (s *Server) handle() int {
	hdr := parseHeaders(s.r.Intn(12) + 4)
	body := encodeResponse(s.r, 1024+4096*s.r.Intn(8))
	s.sink += uint64(len(hdr)) + uint64(body[len(body)-1])
	return len(body) + 64*len(hdr)
}

//go:noinline
func parseHeaders(n int) map[string]string {
	h := make(map[string]string, n)
	for i := 0; i < n; i++ {
		h[headerNames[i%len(headerNames)]] = "v"
	}
	return h
}

//go:noinline
func encodeResponse(r *rand.Rand, n int) []byte {
	b := make([]byte, n)
	for i := 0; i < n; i += 512 {
		b[i] = byte(r.Intn(256))
	}
	b[n-1] = byte(n)
	return b
}

var headerNames = []string{
	"Accept", "Accept-Encoding", "Authorization", "Content-Type", "Cookie",
	"Host", "User-Agent", "X-Request-Id", "X-Forwarded-For", "Traceparent",
	"If-None-Match", "Cache-Control", "Origin", "Referer", "Connection", "Te",
}
