// Package phase writes phase markers (leak start, plateau reached, batch
// start/end, ...) as JSON lines on an io.Writer, one object per line:
//
//	{"event":"leak_start","unix_ms":1795674195184,"time":"2026-11-26T06:23:15.184Z","pid":4242,"fields":{...}}
//
// unix_ms is the wall clock of the process in milliseconds since the Unix
// epoch; time is the same instant in RFC 3339 (UTC, nanoseconds). The
// recorder copies these markers into the corpus manifests.
package phase

import (
	"encoding/json"
	"io"
	"os"
	"sync"
	"time"
)

// Logger serialises markers from many goroutines onto one writer.
type Logger struct {
	mu  sync.Mutex
	out io.Writer
	pid int
}

// New returns a Logger writing to out.
func New(out io.Writer) *Logger {
	return &Logger{out: out, pid: os.Getpid()}
}

type record struct {
	Event  string         `json:"event"`
	UnixMs int64          `json:"unix_ms"`
	Time   string         `json:"time"`
	PID    int            `json:"pid"`
	Fields map[string]any `json:"fields,omitempty"`
}

// Mark writes one marker stamped with the current wall clock. fields may be nil.
func (l *Logger) Mark(event string, fields map[string]any) {
	now := time.Now()
	line, err := json.Marshal(record{
		Event:  event,
		UnixMs: now.UnixMilli(),
		Time:   now.UTC().Format(time.RFC3339Nano),
		PID:    l.pid,
		Fields: fields,
	})
	if err != nil {
		// Only unsupported field values can fail; keep the marker, drop the fields.
		line, _ = json.Marshal(record{Event: event, UnixMs: now.UnixMilli(), Time: now.UTC().Format(time.RFC3339Nano), PID: l.pid})
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	l.out.Write(append(line, '\n'))
}
