// Package imaging is the burst scenario ("image-resizer"): once, a large
// upload is decoded into frames that are all kept until the resize finishes,
// then released. In-use memory spikes once and returns to baseline: not a leak.
package imaging

import (
	"context"
	"time"

	"leakwatch.dev/goleaker/internal/phase"
)

// Config tunes the scenario.
type Config struct {
	BurstMB int           // MiB retained during the burst
	At      time.Duration // time after start when the burst begins
	Hold    time.Duration // how long the frames stay referenced
}

const frameBytes = 256 << 10

// Resizer holds the frames of the batch in progress.
type Resizer struct {
	frames [][]byte
}

// Run performs the one burst and then idles until ctx is done.
func Run(ctx context.Context, cfg Config, log *phase.Logger) {
	rz := &Resizer{}
	select {
	case <-ctx.Done():
		return
	case <-time.After(cfg.At):
	}
	log.Mark("burst_start", map[string]any{"burst_mib": cfg.BurstMB})
	rz.decodeFrames(cfg.BurstMB << 20 / frameBytes)
	select {
	case <-ctx.Done():
		return
	case <-time.After(cfg.Hold):
	}
	n := len(rz.frames)
	rz.frames = nil
	log.Mark("burst_end", map[string]any{"frames": n})
	<-ctx.Done()
}

// decodeFrames decodes n frames and keeps every one of them.
//
//go:noinline
func (rz *Resizer) decodeFrames(n int) {
	for i := 0; i < n; i++ {
		rz.frames = append(rz.frames, newFrame(i))
	}
}

//go:noinline
func newFrame(i int) []byte {
	b := make([]byte, frameBytes)
	for j := 0; j < len(b); j += 4096 {
		b[j] = byte(i)
	}
	return b
}
