package quota

import (
	"container/list"
	"testing"

	"leakwatch.dev/goleaker/internal/rng"
)

func TestTrackEvictsOldestWhileBoundedAndNothingOnceUnbounded(t *testing.T) {
	l := &Limiter{max: 3, order: list.New(), byID: map[int]*list.Element{}, r: rng.For(1, "t")}
	for c := 0; c < 5; c++ {
		l.track(c)
	}
	if _, ok := l.byID[1]; ok || len(l.byID) != 3 {
		t.Fatalf("bounded table holds %d clients (client 1 present: %v), want the newest 3", len(l.byID), ok)
	}
	l.max = 0
	for c := 5; c < 10; c++ {
		l.track(c)
	}
	if len(l.byID) != 8 {
		t.Fatalf("unbounded table holds %d clients, want 8", len(l.byID))
	}
}
