// Package rng hands out deterministic, independent random sources derived
// from the process seed, so each workload's choices depend only on -seed.
package rng

import "math/rand"

// For returns a source for the named stream of the given seed. Different
// names give different sequences; the same (seed, name) gives the same one.
func For(seed int64, name string) *rand.Rand {
	h := int64(1469598103934665603)
	for i := 0; i < len(name); i++ {
		h ^= int64(name[i])
		h *= 1099511628211
	}
	return rand.New(rand.NewSource(seed ^ h))
}

// Between returns a uniformly distributed int in [lo, hi].
func Between(r *rand.Rand, lo, hi int) int {
	if hi <= lo {
		return lo
	}
	return lo + r.Intn(hi-lo+1)
}
