package corpus

// Verification is the manifest's "verification" block, computed from the
// captured files after recording (see Verify).
type Verification struct {
	Method                          string                  `json:"method"`
	Bytes                           int64                   `json:"bytes"`
	FilesParsed                     int                     `json:"files_parsed"`
	FilesByType                     map[string]int          `json:"files_by_type"`
	ParseErrors                     []string                `json:"parse_errors"`
	SiteFunctionsMissingFromProfile []string                `json:"site_functions_missing_from_profiles"`
	Series                          []Series                `json:"series"`
	PerCapture                      map[string][]CapturePnt `json:"per_capture"`
}

// CapturePnt is the per-capture summary: totals and the values restricted to
// stacks containing a site function (leak_site_functions for leaks,
// watch_functions otherwise). Byte values are as reported by the profile
// (already scaled by the runtime for sampling).
type CapturePnt struct {
	Seq               int     `json:"seq"`
	OffsetS           float64 `json:"offset_s"`
	ProcessInstanceID string  `json:"process_instance_id"`
	InuseSpace        int64   `json:"inuse_space"`
	InuseObjects      int64   `json:"inuse_objects"`
	AllocSpace        int64   `json:"alloc_space"`
	Goroutines        int64   `json:"goroutines"`
	SiteInuseSpace    int64   `json:"site_inuse_space"`
	SiteInuseObjects  int64   `json:"site_inuse_objects"`
	SiteGoroutines    int64   `json:"site_goroutines"`
	HeapSamples       int     `json:"heap_samples"`
	HeapPeriod        int64   `json:"heap_period"`
}

// Series is the per-instance, per-process-generation summary with the
// sanity check verdict.
type Series struct {
	Instance            string  `json:"instance"`
	ProcessInstanceID   string  `json:"process_instance_id"`
	Generation          int     `json:"generation"`
	Captures            int     `json:"captures"`
	FirstTotalInuseMB   float64 `json:"first_total_inuse_mb"`
	LastTotalInuseMB    float64 `json:"last_total_inuse_mb"`
	PeakTotalInuseMB    float64 `json:"peak_total_inuse_mb"`
	FirstGoroutines     int64   `json:"first_goroutines"`
	LastGoroutines      int64   `json:"last_goroutines"`
	PeakGoroutines      int64   `json:"peak_goroutines"`
	SiteFirstInuseMB    float64 `json:"site_first_inuse_mb"`
	SiteLastInuseMB     float64 `json:"site_last_inuse_mb"`
	SitePeakInuseMB     float64 `json:"site_peak_inuse_mb"`
	SiteFirstGoroutines int64   `json:"site_first_goroutines"`
	SiteLastGoroutines  int64   `json:"site_last_goroutines"`
	SitePeakGoroutines  int64   `json:"site_peak_goroutines"`
	FirstAllocSpaceMB   float64 `json:"first_alloc_space_mb"`
	LastAllocSpaceMB    float64 `json:"last_alloc_space_mb"`
	Check               string  `json:"check"`
	CheckDetail         string  `json:"check_detail"`
}
