package corpus

import (
	"bufio"
	"encoding/json"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"time"
)

// Types are the captured profile types, in capture order.
var Types = []string{"heap", "goroutine", "allocs"}

// marker is one phase-marker line written by a goleaker process.
type marker struct {
	Event  string         `json:"event"`
	UnixMs int64          `json:"unix_ms"`
	Time   string         `json:"time"`
	PID    int            `json:"pid"`
	Fields map[string]any `json:"fields"`
}

// recorderLog is what record.sh wrote for one instance (recorder.log).
type recorderLog struct {
	starts   map[int][2]int64 // generation -> {pid, unix ms}
	kills    map[int][3]int64 // generation -> {pid, unix ms, after seq}
	stops    map[int][2]int64 // generation -> {pid, unix ms}
	captures map[int]*Capture
	reasons  map[int][]string
}

// BuildManifest assembles the manifest of one scenario from the run
// directory (runDir/<scenario dir>/<instance>/recorder.log and proc-<gen>.jsonl).
func BuildManifest(spec *Spec, sc ScenarioSpec, runDir, goVersion string) (*Manifest, error) {
	labels := sc.Labels
	labels.LeakSiteFunctions, labels.WatchFunctions = nonNil(labels.LeakSiteFunctions), nonNil(labels.WatchFunctions)
	m := &Manifest{
		SchemaVersion: 1, Labels: labels, GoVersion: goVersion,
		Capture: CaptureInfo{
			IntervalS: spec.Capture.IntervalS, DurationS: spec.Capture.IntervalS * spec.Capture.Captures,
			Types: Types, AllocsEvery: spec.Capture.AllocsEvery,
			Endpoints: map[string]string{
				"heap":      "/debug/pprof/heap (debug=0)",
				"goroutine": "/debug/pprof/goroutine (debug=0)",
				"allocs":    "/debug/pprof/allocs (debug=0)",
			},
			FileNaming: "<instance>/<seq:%04d>-<type>.pb.gz (gzip-compressed profile.proto, as served)",
			Tool:       "curl from 127.0.0.1 (testdata/goleaker/record.sh)",
			Gogc:       "100 (default)",
		},
	}
	for _, p := range spec.Plan() {
		if p.Scenario.ScenarioID != sc.ScenarioID {
			continue
		}
		in, err := buildInstance(spec, p, filepath.Join(runDir, sc.Dir(), p.Instance.Name))
		if err != nil {
			return nil, fmt.Errorf("%s/%s: %w", sc.Dir(), p.Instance.Name, err)
		}
		m.Instances = append(m.Instances, *in)
	}
	return m, nil
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

func buildInstance(spec *Spec, p PlannedInstance, dir string) (*Instance, error) {
	rl, err := readRecorderLog(filepath.Join(dir, "recorder.log"))
	if err != nil {
		return nil, err
	}
	in := &Instance{
		Name: p.Instance.Name, Seed: p.Instance.Seed, Port: p.Port,
		MemProfileRate: p.Instance.MemProfileRate, Args: spec.CommandArgs(p),
	}
	first, ok := rl.captures[0]
	if !ok {
		return nil, fmt.Errorf("no capture slot 0")
	}
	firstMs := first.UnixMs
	offset := func(ms int64) float64 { return math.Round(float64(ms-firstMs)) / 1000 }

	gens := make([]int, 0, len(rl.starts))
	for g := range rl.starts {
		gens = append(gens, g)
	}
	sort.Ints(gens)
	for _, g := range gens {
		markers, err := readMarkers(filepath.Join(dir, fmt.Sprintf("proc-%d.jsonl", g)))
		if err != nil {
			return nil, err
		}
		// The recorder's launch record is the fallback; the process's own
		// "started" marker is more precise (after the runtime initialised).
		proc := Process{PID: int(rl.starts[g][0]), StartUnixMs: rl.starts[g][1], StartTime: isoMs(rl.starts[g][1]), MemProfileRate: p.Instance.MemProfileRate, Generation: g}
		for _, mk := range markers {
			if mk.Event == "started" {
				proc.StartUnixMs, proc.StartTime, proc.PID = mk.UnixMs, mk.Time, mk.PID
				if r, ok := mk.Fields["mem_profile_rate"].(float64); ok {
					proc.MemProfileRate = int(r)
				}
			}
		}
		proc.ProcessInstanceID = fmt.Sprintf("%s/pid%d@%d", p.Instance.Name, proc.PID, proc.StartUnixMs/1000)
		if k, ok := rl.kills[g]; ok {
			proc.StopUnixMs, proc.StoppedBy = k[1], "SIGKILL"
		} else if s, ok := rl.stops[g]; ok {
			proc.StopUnixMs, proc.StoppedBy = s[1], "SIGTERM"
		} else {
			return nil, fmt.Errorf("process generation %d has no stop record", g)
		}
		proc.StopTime = isoMs(proc.StopUnixMs)
		in.Processes = append(in.Processes, proc)
		for _, mk := range markers {
			switch mk.Event {
			case "started", "stopping":
			case "leak_start":
				what, _ := mk.Fields["what"].(string)
				in.LeakStarts = append(in.LeakStarts, LeakStart{ProcessInstanceID: proc.ProcessInstanceID, Time: mk.Time, UnixMs: mk.UnixMs, OffsetSFromFirstCapture: offset(mk.UnixMs), What: what})
			default:
				in.Events = append(in.Events, Event{Event: mk.Event, Time: mk.Time, UnixMs: mk.UnixMs, OffsetSFromFirstCapture: offset(mk.UnixMs), ProcessInstanceID: proc.ProcessInstanceID, Fields: mk.Fields})
			}
		}
	}
	for i := 1; i < len(in.Processes); i++ {
		from, to := in.Processes[i-1], in.Processes[i]
		k := rl.kills[from.Generation]
		in.Restarts = append(in.Restarts, Restart{
			AfterSeq: int(k[2]), Signal: "SIGKILL", KilledTime: from.StopTime, KilledUnixMs: from.StopUnixMs,
			RestartedTime: to.StartTime, RestartedUnixMs: to.StartUnixMs,
			FromProcessInstanceID: from.ProcessInstanceID, ToProcessInstanceID: to.ProcessInstanceID,
		})
	}
	for seq := 0; seq < spec.Capture.Captures; seq++ {
		c, ok := rl.captures[seq]
		if !ok {
			return nil, fmt.Errorf("capture slot %d not recorded", seq)
		}
		c.Time, c.OffsetS = isoMs(c.UnixMs), offset(c.UnixMs)
		c.ProcessInstanceID = servingProcess(in.Processes, c.UnixMs)
		c.MissingReason = strings.Join(rl.reasons[seq], "; ")
		sort.Strings(c.Missing)
		in.Captures = append(in.Captures, *c)
	}
	return in, nil
}

// servingProcess is the process alive at ms (the latest one started before it).
func servingProcess(procs []Process, ms int64) string {
	id := ""
	for _, p := range procs {
		if p.StartUnixMs <= ms && ms <= p.StopUnixMs {
			id = p.ProcessInstanceID
		}
	}
	return id
}

func isoMs(ms int64) string { return time.UnixMilli(ms).UTC().Format(time.RFC3339Nano) }

func readMarkers(path string) ([]marker, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var out []marker
	sc := bufio.NewScanner(f)
	for n := 1; sc.Scan(); n++ {
		var mk marker
		if err := json.Unmarshal(sc.Bytes(), &mk); err != nil {
			return nil, fmt.Errorf("%s:%d: %w", path, n, err)
		}
		out = append(out, mk)
	}
	return out, sc.Err()
}

func readRecorderLog(path string) (*recorderLog, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	rl := &recorderLog{starts: map[int][2]int64{}, kills: map[int][3]int64{}, stops: map[int][2]int64{}, captures: map[int]*Capture{}, reasons: map[int][]string{}}
	sc := bufio.NewScanner(f)
	for n := 1; sc.Scan(); n++ {
		f := strings.Split(sc.Text(), "\t")
		bad := func() error { return fmt.Errorf("%s:%d: malformed line %q", path, n, sc.Text()) }
		ints := make([]int64, 0, len(f))
		for _, s := range f[1:] {
			v, err := strconv.ParseInt(s, 10, 64)
			if err != nil {
				break
			}
			ints = append(ints, v)
		}
		switch {
		case f[0] == "start" && len(ints) == 3:
			rl.starts[int(ints[0])] = [2]int64{ints[1], ints[2]}
		case f[0] == "kill" && len(ints) == 4:
			rl.kills[int(ints[0])] = [3]int64{ints[1], ints[2], ints[3]}
		case f[0] == "stop" && len(ints) == 3:
			rl.stops[int(ints[0])] = [2]int64{ints[1], ints[2]}
		case f[0] == "capture" && len(f) == 6 && len(ints) == 2:
			seq := int(ints[0])
			c := rl.captures[seq]
			if c == nil {
				c = &Capture{Seq: seq, UnixMs: ints[1], Files: map[string]string{}}
				rl.captures[seq] = c
			}
			switch f[4] {
			case "ok":
				c.Files[f[3]] = f[5]
			case "missing":
				c.Missing = append(c.Missing, f[3])
				rl.reasons[seq] = append(rl.reasons[seq], f[3]+": "+f[5])
			default:
				return nil, bad()
			}
		default:
			return nil, bad()
		}
	}
	return rl, sc.Err()
}
