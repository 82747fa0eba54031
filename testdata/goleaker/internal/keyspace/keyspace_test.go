package keyspace

import (
	"testing"

	"leakwatch.dev/goleaker/internal/rng"
)

func TestGetLoadsEachKeyOnce(t *testing.T) {
	c := &Cache{byKey: map[int][]byte{}, r: rng.For(1, "t")}
	a := c.Get(7)
	if b := c.Get(7); &a[0] != &b[0] {
		t.Fatal("second Get of the same key loaded it again")
	}
	c.Get(8)
	if len(c.byKey) != 2 {
		t.Fatalf("cache holds %d keys, want 2", len(c.byKey))
	}
}
