// Package session is the heap-leak scenario ("session-store"): after a delay
// every login is remembered in a map that is never pruned, so in-use memory
// allocated under (*Store).Remember grows steadily for as long as the process
// lives. Lookups next to it allocate short-lived copies (a distractor with a
// large alloc_space but no growth).
package session

import (
	"context"
	"fmt"
	"math/rand"
	"time"

	"leakwatch.dev/goleaker/internal/phase"
	"leakwatch.dev/goleaker/internal/rng"
)

// Config tunes the scenario.
type Config struct {
	Seed       int64
	LeakDelay  time.Duration // time after start before the leak begins
	LeakKBPerS float64       // approximate retained KiB per second once leaking
}

// entry is one remembered login; avgEntryBytes estimates its heap footprint
// including the map slot, used to pace the leak.
type entry struct {
	user      string
	createdMs int64
	claims    []byte
}

const avgEntryBytes = 560

// Store keeps sessions by id. It never evicts: that is the leak.
type Store struct {
	byID map[string]*entry
	r    *rand.Rand
	next int
	sink int
}

// Run drives the scenario until ctx is done.
func Run(ctx context.Context, cfg Config, log *phase.Logger) {
	s := &Store{byID: make(map[string]*entry), r: rng.For(cfg.Seed, "session")}
	const step = 50 * time.Millisecond
	t := time.NewTicker(step)
	defer t.Stop()
	start := time.Now()
	leaking := false
	perStep := cfg.LeakKBPerS * 1024 * step.Seconds() / avgEntryBytes
	owed := 0.0
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		for i := 0; i < 8; i++ {
			s.sink += len(s.Lookup(fmt.Sprintf("sess-%d", s.r.Intn(s.next+1))))
		}
		if !leaking && time.Since(start) >= cfg.LeakDelay {
			leaking = true
			log.Mark("leak_start", map[string]any{"what": "sessions remembered without expiry", "rate_kib_per_s": cfg.LeakKBPerS})
		}
		if !leaking {
			continue
		}
		owed += perStep
		for ; owed >= 1; owed-- {
			s.Remember(s.next, s.r.Intn(1<<20))
			s.next++
		}
	}
}

// Remember stores a new session. Nothing ever removes it.
//
//go:noinline
func (s *Store) Remember(seq, userID int) {
	id := fmt.Sprintf("sess-%d", seq)
	user := fmt.Sprintf("user-%d", userID)
	claims := make([]byte, 320+s.r.Intn(256))
	for i := range claims {
		claims[i] = byte(i)
	}
	s.byID[id] = &entry{user: user, createdMs: time.Now().UnixMilli(), claims: claims}
}

// Lookup returns a copy of a session's claims (dropped by the caller).
//
//go:noinline
func (s *Store) Lookup(id string) []byte {
	e, ok := s.byID[id]
	out := make([]byte, 4096)
	if ok {
		copy(out, e.claims)
	}
	return out
}
