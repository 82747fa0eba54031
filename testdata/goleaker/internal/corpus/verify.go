package corpus

import (
	"fmt"
	"io"
	"os"
	"path/filepath"

	"leakwatch.dev/goleaker/internal/profdecode"
)

const verifyMethod = "every profile decoded (gunzip + profile.proto, corpustool's own decoder); site values = sum over samples whose stack contains any listed function (leak_site_functions for leaks, watch_functions otherwise); heap values from the heap profile's inuse_space/inuse_objects/alloc_space, goroutine values from the goroutine profile count; series are split per process (a restart starts a new series)"

// Verify decodes every profile of every scenario, stores the verification
// block in each manifest and prints a summary table to out. It returns false
// when a file does not parse, a listed function never appears, or a sanity
// check fails.
func Verify(spec *Spec, corpusDir string, out io.Writer) (bool, error) {
	allOK := true
	fmt.Fprintln(out, "| scenario | service | label | kind | instance (process) | captures | total inuse MB first→last (peak) | goroutines first→last (peak) | site first→last | check |")
	fmt.Fprintln(out, "|---|---|---|---|---|---|---|---|---|---|")
	for _, sc := range spec.Scenarios {
		path := filepath.Join(corpusDir, sc.Dir(), "manifest.json")
		m, err := ReadManifest(path)
		if err != nil {
			return false, err
		}
		v, err := verifyScenario(m, filepath.Join(corpusDir, sc.Dir()))
		if err != nil {
			return false, err
		}
		m.Verification = v
		if err := WriteManifest(path, m); err != nil {
			return false, err
		}
		if len(v.ParseErrors) > 0 || len(v.SiteFunctionsMissingFromProfile) > 0 {
			allOK = false
			fmt.Fprintf(out, "%s: parse errors %v, functions missing from profiles %v\n", sc.Dir(), v.ParseErrors, v.SiteFunctionsMissingFromProfile)
		}
		for _, s := range v.Series {
			if s.Check == "FAIL" {
				allOK = false
			}
			fmt.Fprintf(out, "| %s | %s | %s | %s | %s (gen %d) | %d | %.1f→%.1f (%.1f) | %d→%d (%d) | %s | %s: %s |\n",
				m.ScenarioID, m.Service, m.Label, m.LeakKind, s.Instance, s.Generation, s.Captures,
				s.FirstTotalInuseMB, s.LastTotalInuseMB, s.PeakTotalInuseMB,
				s.FirstGoroutines, s.LastGoroutines, s.PeakGoroutines,
				siteSummary(s), s.Check, s.CheckDetail)
		}
	}
	return allOK, nil
}

func siteSummary(s Series) string {
	return fmt.Sprintf("inuse %.1f→%.1f MB (peak %.1f); goroutines %d→%d (peak %d)",
		s.SiteFirstInuseMB, s.SiteLastInuseMB, s.SitePeakInuseMB, s.SiteFirstGoroutines, s.SiteLastGoroutines, s.SitePeakGoroutines)
}

// siteFunctions are the functions whose stacks the checks follow.
func siteFunctions(m *Manifest) []string {
	if m.Label == "leak" {
		return m.LeakSiteFunctions
	}
	return m.WatchFunctions
}

func verifyScenario(m *Manifest, dir string) (*Verification, error) {
	v := &Verification{Method: verifyMethod, FilesByType: map[string]int{}, ParseErrors: []string{}, SiteFunctionsMissingFromProfile: []string{}, PerCapture: map[string][]CapturePnt{}}
	sites := siteFunctions(m)
	seen := map[string]bool{}
	for _, in := range m.Instances {
		var points []CapturePnt
		for _, c := range in.Captures {
			pt := CapturePnt{Seq: c.Seq, OffsetS: c.OffsetS, ProcessInstanceID: c.ProcessInstanceID}
			complete := true
			for _, typ := range []string{"heap", "goroutine", "allocs"} {
				rel, ok := c.Files[typ]
				if !ok {
					complete = complete && typ == "allocs"
					continue
				}
				data, err := os.ReadFile(filepath.Join(dir, rel))
				if err != nil {
					return nil, err
				}
				v.Bytes += int64(len(data))
				p, err := profdecode.ParseGzip(data)
				if err != nil {
					v.ParseErrors = append(v.ParseErrors, rel+": "+err.Error())
					complete = false
					continue
				}
				v.FilesParsed++
				v.FilesByType[typ]++
				for f := range p.AllFunctions() {
					seen[f] = true
				}
				switch typ {
				case "heap":
					accumulateHeap(&pt, p, sites)
				case "goroutine":
					accumulateGoroutines(&pt, p, sites)
				}
			}
			if complete {
				points = append(points, pt)
			}
		}
		v.PerCapture[in.Name] = points
		v.Series = append(v.Series, seriesOf(m, in, points)...)
	}
	all := append(append([]string{}, m.LeakSiteFunctions...), m.WatchFunctions...)
	all = append(all, m.RetainerFunctions...)
	for _, f := range all {
		if !seen[f] && !contains(v.SiteFunctionsMissingFromProfile, f) {
			v.SiteFunctionsMissingFromProfile = append(v.SiteFunctionsMissingFromProfile, f)
		}
	}
	return v, nil
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

func onSite(p *profdecode.Profile, s profdecode.Sample, sites []string) bool {
	for _, f := range p.Functions(s) {
		if contains(sites, f) {
			return true
		}
	}
	return false
}

func accumulateHeap(pt *CapturePnt, p *profdecode.Profile, sites []string) {
	is, io, as := p.Index("inuse_space"), p.Index("inuse_objects"), p.Index("alloc_space")
	pt.HeapSamples, pt.HeapPeriod = len(p.Samples), p.Period
	if is < 0 || io < 0 || as < 0 {
		return
	}
	for _, s := range p.Samples {
		pt.InuseSpace += s.Values[is]
		pt.InuseObjects += s.Values[io]
		pt.AllocSpace += s.Values[as]
		if onSite(p, s, sites) {
			pt.SiteInuseSpace += s.Values[is]
			pt.SiteInuseObjects += s.Values[io]
		}
	}
}

func accumulateGoroutines(pt *CapturePnt, p *profdecode.Profile, sites []string) {
	for _, s := range p.Samples {
		pt.Goroutines += s.Values[0]
		if onSite(p, s, sites) {
			pt.SiteGoroutines += s.Values[0]
		}
	}
}

// seriesOf splits an instance's points per process and checks each part.
func seriesOf(m *Manifest, in Instance, points []CapturePnt) []Series {
	var out []Series
	var prevLast *CapturePnt
	for _, proc := range in.Processes {
		var ps []CapturePnt
		for _, pt := range points {
			if pt.ProcessInstanceID == proc.ProcessInstanceID {
				ps = append(ps, pt)
			}
		}
		if len(ps) == 0 {
			continue
		}
		s := summarize(in.Name, proc, ps)
		s.Check, s.CheckDetail = check(m, in, proc, ps)
		if prevLast != nil {
			// A restart must reset the cumulative counters: that is what tells a
			// detector to start a new series.
			if ps[0].AllocSpace < prevLast.AllocSpace {
				s.CheckDetail += fmt.Sprintf("; alloc_space reset at restart %.1f→%.1f MB", mb(prevLast.AllocSpace), mb(ps[0].AllocSpace))
			} else {
				s.Check = "FAIL"
				s.CheckDetail += fmt.Sprintf("; alloc_space did not drop at restart (%.1f→%.1f MB)", mb(prevLast.AllocSpace), mb(ps[0].AllocSpace))
			}
		}
		prevLast = &ps[len(ps)-1]
		out = append(out, s)
	}
	return out
}

func summarize(instance string, proc Process, ps []CapturePnt) Series {
	first, last := ps[0], ps[len(ps)-1]
	s := Series{
		Instance: instance, ProcessInstanceID: proc.ProcessInstanceID, Generation: proc.Generation, Captures: len(ps),
		FirstTotalInuseMB: mb(first.InuseSpace), LastTotalInuseMB: mb(last.InuseSpace),
		FirstGoroutines: first.Goroutines, LastGoroutines: last.Goroutines,
		SiteFirstInuseMB: mb(first.SiteInuseSpace), SiteLastInuseMB: mb(last.SiteInuseSpace),
		SiteFirstGoroutines: first.SiteGoroutines, SiteLastGoroutines: last.SiteGoroutines,
		FirstAllocSpaceMB: mb(first.AllocSpace), LastAllocSpaceMB: mb(last.AllocSpace),
	}
	for _, p := range ps {
		s.PeakTotalInuseMB = maxF(s.PeakTotalInuseMB, mb(p.InuseSpace))
		s.SitePeakInuseMB = maxF(s.SitePeakInuseMB, mb(p.SiteInuseSpace))
		s.PeakGoroutines = maxI(s.PeakGoroutines, p.Goroutines)
		s.SitePeakGoroutines = maxI(s.SitePeakGoroutines, p.SiteGoroutines)
	}
	return s
}

func maxF(a, b float64) float64 {
	if b > a {
		return b
	}
	return a
}

func maxI(a, b int64) int64 {
	if b > a {
		return b
	}
	return a
}
