package corpus

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"

	"leakwatch.dev/goleaker/internal/profdecode"
)

// rawSample matches a sample line of `go tool pprof -raw`: values, a colon,
// then the location ids.
var rawSample = regexp.MustCompile(`^\s*(-?\d+(?:\s+-?\d+)*):((?:\s*\d+)*)\s*$`)

// RawCheck cross-checks corpustool's decoder against `go tool pprof -raw`
// on the last heap, goroutine and allocs file of every instance: per-type
// sample totals must match (samples without locations excluded: pprof drops
// them), and every listed function must appear in pprof's output for the
// scenario. It prints one line per mismatch and a summary.
func RawCheck(spec *Spec, corpusDir string, out io.Writer) (bool, error) {
	files, mismatches := 0, 0
	for _, sc := range spec.Scenarios {
		dir := filepath.Join(corpusDir, sc.Dir())
		m, err := ReadManifest(filepath.Join(dir, "manifest.json"))
		if err != nil {
			return false, err
		}
		var text strings.Builder
		for _, in := range m.Instances {
			for _, typ := range Types {
				rel := lastFile(in, typ)
				if rel == "" {
					continue
				}
				files++
				raw, err := exec.Command("go", "tool", "pprof", "-raw", filepath.Join(dir, rel)).Output()
				if err != nil {
					return false, fmt.Errorf("go tool pprof -raw %s: %w", rel, err)
				}
				text.Write(raw)
				pprofTotals, err := rawTotals(raw)
				if err != nil {
					return false, fmt.Errorf("%s: %w", rel, err)
				}
				ourTotals, err := decodedTotals(filepath.Join(dir, rel))
				if err != nil {
					return false, err
				}
				if fmt.Sprint(pprofTotals) != fmt.Sprint(ourTotals) {
					mismatches++
					fmt.Fprintf(out, "MISMATCH %s/%s: go tool pprof %v, corpustool %v\n", sc.Dir(), rel, pprofTotals, ourTotals)
				}
			}
		}
		for _, f := range append(append([]string{}, m.LeakSiteFunctions...), m.WatchFunctions...) {
			if !strings.Contains(text.String(), " "+f+" ") {
				mismatches++
				fmt.Fprintf(out, "MISSING %s: %s not in go tool pprof -raw output of the last files\n", sc.Dir(), f)
			}
		}
	}
	fmt.Fprintf(out, "go tool pprof -raw spot checks (last heap/goroutine/allocs file per instance): %d files, %d mismatches\n", files, mismatches)
	return mismatches == 0, nil
}

func lastFile(in Instance, typ string) string {
	for i := len(in.Captures) - 1; i >= 0; i-- {
		if rel, ok := in.Captures[i].Files[typ]; ok {
			return rel
		}
	}
	return ""
}

// rawTotals sums each value column over the sample lines of pprof -raw output.
func rawTotals(raw []byte) ([]int64, error) {
	var totals []int64
	sc := bufio.NewScanner(bytes.NewReader(raw))
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	inSamples := false
	for sc.Scan() {
		line := sc.Text()
		switch {
		case line == "Samples:":
			inSamples = true
			continue
		case strings.HasPrefix(line, "Locations"):
			inSamples = false
		}
		if !inSamples {
			continue
		}
		mt := rawSample.FindStringSubmatch(line)
		if mt == nil {
			continue
		}
		vals := strings.Fields(mt[1])
		if totals == nil {
			totals = make([]int64, len(vals))
		}
		for i, v := range vals {
			n, err := strconv.ParseInt(v, 10, 64)
			if err != nil || i >= len(totals) {
				return nil, fmt.Errorf("bad sample line %q", line)
			}
			totals[i] += n
		}
	}
	return totals, sc.Err()
}

func decodedTotals(path string) ([]int64, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	p, err := profdecode.ParseGzip(data)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	var totals []int64
	for _, s := range p.Samples {
		if len(s.Locations) == 0 {
			continue
		}
		if totals == nil {
			totals = make([]int64, len(s.Values))
		}
		for i, v := range s.Values {
			totals[i] += v
		}
	}
	return totals, nil
}
