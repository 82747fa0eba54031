package corpus

// Manifest is a scenario's manifest.json. Field names and meanings follow
// the developer corpus (/work/shared/corpus/README.md); see testdata/README.md.
type Manifest struct {
	SchemaVersion int `json:"schema_version"`
	Labels
	GoVersion    string        `json:"go_version"`
	Capture      CaptureInfo   `json:"capture"`
	Instances    []Instance    `json:"instances"`
	Verification *Verification `json:"verification,omitempty"`
}

// CaptureInfo describes how the profiles were captured.
type CaptureInfo struct {
	IntervalS   int               `json:"interval_s"`
	DurationS   int               `json:"duration_s"` // captures × interval
	Types       []string          `json:"types"`
	AllocsEvery int               `json:"allocs_every"`
	Endpoints   map[string]string `json:"endpoints"`
	FileNaming  string            `json:"file_naming"`
	Tool        string            `json:"tool"`
	Gogc        string            `json:"gogc"`
}

// Instance is one replica and everything recorded about it.
type Instance struct {
	Name           string      `json:"name"`
	Seed           int64       `json:"seed"`
	Port           int         `json:"port"`
	MemProfileRate int         `json:"mem_profile_rate"`
	Args           []string    `json:"args"`
	Processes      []Process   `json:"processes"`
	Restarts       []Restart   `json:"restarts,omitempty"`
	LeakStarts     []LeakStart `json:"leak_starts,omitempty"`
	Events         []Event     `json:"events,omitempty"`
	Captures       []Capture   `json:"captures"`
}

// Process is one OS process that backed an instance.
type Process struct {
	ProcessInstanceID string `json:"process_instance_id"` // <instance>/pid<PID>@<unix start seconds>
	PID               int    `json:"pid"`
	StartTime         string `json:"start_time"`
	StartUnixMs       int64  `json:"start_unix_ms"`
	StopTime          string `json:"stop_time"`
	StopUnixMs        int64  `json:"stop_unix_ms"`
	StoppedBy         string `json:"stopped_by"` // SIGTERM (end of run) or SIGKILL (restart)
	MemProfileRate    int    `json:"mem_profile_rate"`
	Generation        int    `json:"generation"`
}

// Restart records a kill and restart of an instance's process.
type Restart struct {
	AfterSeq              int    `json:"after_seq"` // last capture served by the old process
	Signal                string `json:"signal"`
	KilledTime            string `json:"killed_time"`
	KilledUnixMs          int64  `json:"killed_unix_ms"`
	RestartedTime         string `json:"restarted_time"`
	RestartedUnixMs       int64  `json:"restarted_unix_ms"`
	FromProcessInstanceID string `json:"from_process_instance_id"`
	ToProcessInstanceID   string `json:"to_process_instance_id"`
}

// LeakStart is when a process began leaking.
type LeakStart struct {
	ProcessInstanceID       string  `json:"process_instance_id"`
	Time                    string  `json:"time"`
	UnixMs                  int64   `json:"unix_ms"`
	OffsetSFromFirstCapture float64 `json:"offset_s_from_first_capture"`
	What                    string  `json:"what"`
}

// Event is any other phase marker a process logged.
type Event struct {
	Event                   string         `json:"event"`
	Time                    string         `json:"time"`
	UnixMs                  int64          `json:"unix_ms"`
	OffsetSFromFirstCapture float64        `json:"offset_s_from_first_capture"`
	ProcessInstanceID       string         `json:"process_instance_id"`
	Fields                  map[string]any `json:"fields,omitempty"`
}

// Capture is one capture slot.
type Capture struct {
	Seq               int               `json:"seq"`
	Time              string            `json:"time"` // when the slot started
	UnixMs            int64             `json:"unix_ms"`
	OffsetS           float64           `json:"offset_s"`
	ProcessInstanceID string            `json:"process_instance_id,omitempty"`
	Files             map[string]string `json:"files"` // type -> path relative to the scenario directory
	Missing           []string          `json:"missing,omitempty"`
	MissingReason     string            `json:"missing_reason,omitempty"`
}
