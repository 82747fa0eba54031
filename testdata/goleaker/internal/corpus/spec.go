// Package corpus turns a recording run (the recorder's logs plus the
// processes' phase markers) into the corpus layout documented in
// testdata/README.md: one manifest.json per scenario next to the captured
// profiles. It is used by cmd/corpustool, not by the goleaker service.
package corpus

import (
	"encoding/json"
	"fmt"
	"os"
	"strconv"
	"time"
)

// Spec is scenarios.json: what to run and the ground-truth labels.
type Spec struct {
	Capture   CaptureSpec    `json:"capture"`
	Scenarios []ScenarioSpec `json:"scenarios"`
}

// CaptureSpec is the capture schedule shared by all instances.
type CaptureSpec struct {
	IntervalS   int    `json:"interval_s"`
	Captures    int    `json:"captures"`
	AllocsEvery int    `json:"allocs_every"`
	BasePort    int    `json:"base_port"`
	MaxRun      string `json:"max_run"` // safety lifetime of each process (Go duration)
}

// Labels is the ground truth of a service, shared by scenarios.json and
// manifest.json (same JSON names).
type Labels struct {
	ScenarioID        string   `json:"scenario_id"`
	Service           string   `json:"service"`
	Label             string   `json:"label"`     // leak or not_leak
	LeakKind          string   `json:"leak_kind"` // heap, goroutine or none
	LeakSiteFunctions []string `json:"leak_site_functions"`
	RetainerFunctions []string `json:"retainer_functions,omitempty"`
	WatchFunctions    []string `json:"watch_functions"`
	Description       string   `json:"description"`
}

// ScenarioSpec is one service: its labels and its instances.
type ScenarioSpec struct {
	Labels
	Scenario  string         `json:"scenario"` // goleaker -scenario value
	Instances []InstanceSpec `json:"instances"`
}

// InstanceSpec is one replica of a service.
type InstanceSpec struct {
	Name            string   `json:"name"`
	Seed            int64    `json:"seed"`
	MemProfileRate  int      `json:"mem_profile_rate"`
	RestartAfterSeq *int     `json:"restart_after_seq,omitempty"` // SIGKILL + restart right after this capture
	Args            []string `json:"args"`
}

// Dir is the scenario's directory name, e.g. "G_session-store".
func (s ScenarioSpec) Dir() string { return s.ScenarioID + "_" + s.Service }

// LoadSpec reads and checks scenarios.json.
func LoadSpec(path string) (*Spec, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var s Spec
	if err := json.Unmarshal(b, &s); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	if s.Capture.IntervalS <= 0 || s.Capture.Captures <= 0 || s.Capture.AllocsEvery <= 0 || s.Capture.BasePort <= 0 {
		return nil, fmt.Errorf("%s: capture needs positive interval_s, captures, allocs_every, base_port", path)
	}
	if _, err := time.ParseDuration(s.Capture.MaxRun); err != nil {
		return nil, fmt.Errorf("%s: capture.max_run: %w", path, err)
	}
	for _, sc := range s.Scenarios {
		if sc.Label == "leak" && len(sc.LeakSiteFunctions) == 0 {
			return nil, fmt.Errorf("%s: scenario %s is a leak without leak_site_functions", path, sc.ScenarioID)
		}
	}
	return &s, nil
}

// PlannedInstance is one process line of the recording plan.
type PlannedInstance struct {
	Scenario     ScenarioSpec
	Instance     InstanceSpec
	Port         int
	RestartAfter int // -1: never restarted
}

// Plan assigns ports (base_port upwards, in file order).
func (s *Spec) Plan() []PlannedInstance {
	var out []PlannedInstance
	port := s.Capture.BasePort
	for _, sc := range s.Scenarios {
		for _, in := range sc.Instances {
			restart := -1
			if in.RestartAfterSeq != nil {
				restart = *in.RestartAfterSeq
			}
			out = append(out, PlannedInstance{Scenario: sc, Instance: in, Port: port, RestartAfter: restart})
			port++
		}
	}
	return out
}

// CommandArgs is the goleaker command line of an instance.
func (s *Spec) CommandArgs(p PlannedInstance) []string {
	args := []string{
		"-scenario", p.Scenario.Scenario,
		"-addr", "127.0.0.1:" + strconv.Itoa(p.Port),
		"-seed", strconv.FormatInt(p.Instance.Seed, 10),
		"-mem-profile-rate", strconv.Itoa(p.Instance.MemProfileRate),
		"-max-run", s.Capture.MaxRun,
	}
	return append(args, p.Instance.Args...)
}
