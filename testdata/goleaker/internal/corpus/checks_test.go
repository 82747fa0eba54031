package corpus

import "testing"

func TestSpearmanIsOneForIncreasingMinusOneForDecreasingZeroForConstant(t *testing.T) {
	if got := spearman([]float64{1, 2, 5, 9, 10}); got < 0.999 {
		t.Errorf("increasing: spearman = %v, want 1", got)
	}
	if got := spearman([]float64{10, 9, 5, 2, 1}); got > -0.999 {
		t.Errorf("decreasing: spearman = %v, want -1", got)
	}
	if got := spearman([]float64{3, 3, 3, 3}); got != 0 {
		t.Errorf("constant: spearman = %v, want 0", got)
	}
}

func TestRanksAverageTies(t *testing.T) {
	got := ranks([]float64{5, 1, 5, 2})
	want := []float64{3.5, 1, 3.5, 2}
	for i := range want {
		if got[i] != want[i] {
			t.Fatalf("ranks = %v, want %v", got, want)
		}
	}
}

func TestCheckFlatAcceptsOneSamplingStepOnAFlatSeries(t *testing.T) {
	vals := make([]float64, 20)
	for i := range vals {
		vals[i] = 22
		if i >= 15 {
			vals[i] = 22.5 // one 512 KiB sampling step: a perfect rank trend, but tiny
		}
	}
	if ok, detail := checkFlat(vals, false); !ok {
		t.Errorf("flat series with one step rejected: %s", detail)
	}
}

func TestCheckFlatRejectsSteadyGrowthInTheSecondHalf(t *testing.T) {
	vals := make([]float64, 20)
	for i := range vals {
		vals[i] = 5
		if i >= 10 {
			vals[i] = 5 + float64(i-10) // +1 MB per capture
		}
	}
	if ok, detail := checkFlat(vals, false); ok {
		t.Errorf("growing series accepted: %s", detail)
	}
}

func TestCheckLeakNeedsGrowthAfterTheLeakStartOfTheSameProcess(t *testing.T) {
	m := &Manifest{Labels: Labels{Label: "leak", LeakKind: "goroutine"}}
	proc := Process{ProcessInstanceID: "r/pid1@1"}
	in := Instance{LeakStarts: []LeakStart{{ProcessInstanceID: "r/pid1@1", OffsetSFromFirstCapture: 2}}}
	var ps []CapturePnt
	for i := 0; i < 12; i++ {
		ps = append(ps, CapturePnt{OffsetS: float64(i), SiteGoroutines: int64(10 * i)})
	}
	if verdict, detail := checkLeak(m, in, proc, ps); verdict != "PASS" {
		t.Errorf("growing goroutines: %s (%s), want PASS", verdict, detail)
	}
	other := Process{ProcessInstanceID: "r/pid2@9"}
	if verdict, _ := checkLeak(m, in, other, ps); verdict != "FAIL" {
		t.Errorf("process without leak_start: %s, want FAIL", verdict)
	}
	flat := make([]CapturePnt, len(ps))
	for i := range flat {
		flat[i] = CapturePnt{OffsetS: float64(i), SiteGoroutines: 40}
	}
	if verdict, _ := checkLeak(m, in, proc, flat); verdict != "FAIL" {
		t.Errorf("flat goroutines: %s, want FAIL", verdict)
	}
}
