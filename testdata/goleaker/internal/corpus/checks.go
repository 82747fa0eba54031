package corpus

import (
	"fmt"
	"math"
	"strings"
)

// siteValues is the site series in MB (heap) or goroutines.
func siteValues(ps []CapturePnt, goroutines bool) []float64 {
	out := make([]float64, len(ps))
	for i, p := range ps {
		if goroutines {
			out[i] = float64(p.SiteGoroutines)
		} else {
			out[i] = float64(p.SiteInuseSpace) / (1 << 20)
		}
	}
	return out
}

// check applies the scenario's sanity rule to one process's captures (see
// testdata/README.md "Sanity checks").
func check(m *Manifest, in Instance, proc Process, ps []CapturePnt) (string, string) {
	if m.Label == "leak" {
		return checkLeak(m, in, proc, ps)
	}
	var verdicts []string
	result := "PASS"
	for _, g := range []bool{false, true} {
		ok, detail := checkFlat(siteValues(ps, g), g)
		verdicts = append(verdicts, detail)
		if !ok {
			result = "FAIL"
		}
	}
	return result, strings.Join(verdicts, "; ")
}

func checkLeak(m *Manifest, in Instance, proc Process, ps []CapturePnt) (string, string) {
	start, found := 0.0, false
	for _, ls := range in.LeakStarts {
		if ls.ProcessInstanceID == proc.ProcessInstanceID {
			start, found = ls.OffsetSFromFirstCapture, true
		}
	}
	if !found {
		return "FAIL", "no leak_start marker for this process"
	}
	var after []CapturePnt
	for _, p := range ps {
		if p.OffsetS >= start {
			after = append(after, p)
		}
	}
	if len(after) < 6 {
		return "SKIP", fmt.Sprintf("only %d captures after the leak start", len(after))
	}
	goroutines := m.LeakKind == "goroutine"
	vals := siteValues(after, goroutines)
	k := len(vals) / 5
	if k < 1 {
		k = 1
	}
	growth := mean(vals[len(vals)-k:]) - mean(vals[:k])
	rho := spearman(vals)
	minGrowth, minRho, unit := 1.0, 0.6, "MB"
	if goroutines {
		minGrowth, minRho, unit = 30, 0.9, "goroutines"
	}
	verdict := "PASS"
	if growth <= minGrowth || rho <= minRho {
		verdict = "FAIL"
	}
	return verdict, fmt.Sprintf("site grows %.1f %s over %d captures after the leak start (need >%g), spearman %.2f (need >%g)", growth, unit, len(after), minGrowth, rho, minRho)
}

// checkFlat: the watched site must not keep growing in the second half.
func checkFlat(vals []float64, goroutines bool) (bool, string) {
	unit, slack := "MB", 2.0
	if goroutines {
		unit, slack = "goroutines", 20
	}
	n := len(vals)
	if n < 8 {
		return true, fmt.Sprintf("%s: only %d captures, not checked", unit, n)
	}
	floorMid, floorEnd := minOf(vals[n/2:3*n/4]), minOf(vals[3*n/4:])
	p90a, p90b := percentile(vals[:n/2], 90), percentile(vals[n/2:], 90)
	// A rank trend only counts as growth when the second half also spans more
	// than the slack: one sampling step on a flat series is a perfect rank
	// trend. Sampling noise grows with the level, hence the relative part.
	rho := spearman(vals[n/2:])
	span := maxOf(vals[n/2:]) - minOf(vals[n/2:])
	riseSlack := math.Max(slack, 0.15*percentile(vals[n/2:], 50))
	rising := rho >= 0.6 && span > riseSlack
	ok := floorEnd <= 1.25*floorMid+slack && p90b <= 1.25*p90a+slack && !rising
	return ok, fmt.Sprintf("%s: floor %.1f→%.1f, p90 %.1f→%.1f, 2nd half spearman %.2f span %.1f (slack %.1f)", unit, floorMid, floorEnd, p90a, p90b, rho, span, riseSlack)
}
