package ttlcache

import (
	"testing"
	"time"

	"leakwatch.dev/goleaker/internal/rng"
)

func TestSweepRemovesOnlyExpiredEntries(t *testing.T) {
	c := &Cache{byID: map[int]*entry{}, r: rng.For(1, "t")}
	now := time.Unix(1000, 0)
	c.Set(1, now.Add(-time.Second))
	c.Set(2, now)
	c.Set(3, now.Add(time.Second))
	if n := c.Sweep(now); n != 2 {
		t.Fatalf("Sweep expired %d entries, want 2", n)
	}
	if _, ok := c.byID[3]; !ok || len(c.byID) != 1 {
		t.Fatalf("remaining %v, want only entry 3", c.byID)
	}
}
