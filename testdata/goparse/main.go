// Command goparse times google/pprof's profile.Parse on profile files, as the
// reference point for Leakwatch's Java decoder (see docs/PERFORMANCE.md).
//
// For each file it reports the time per profile.Parse call (which gunzips,
// decodes and validates, like ProfileDecoder.decode) and, as a baseline, the
// time to gunzip the same bytes with compress/gzip.
//
// Build in GOPATH mode against Debian's google/pprof source: see run.sh.
package main

import (
	"bytes"
	"compress/gzip"
	"flag"
	"fmt"
	"io"
	"os"
	"time"

	"github.com/google/pprof/profile"
)

func main() {
	budget := flag.Duration("time", 3*time.Second, "measurement time per file and operation (after as long a warm-up)")
	flag.Parse()
	if flag.NArg() == 0 {
		fmt.Fprintln(os.Stderr, "usage: goparse [-time 3s] FILE...")
		os.Exit(2)
	}
	fmt.Println("| file | gz bytes | Parse ns/op | Parse profiles/s | Parse MB/s (gz) | gunzip ns/op | gunzip MB/s (gz) |")
	fmt.Println("|---|---:|---:|---:|---:|---:|---:|")
	for _, f := range flag.Args() {
		data, err := os.ReadFile(f)
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		if _, err := profile.Parse(bytes.NewReader(data)); err != nil {
			fmt.Fprintf(os.Stderr, "%s: %v\n", f, err)
			os.Exit(1)
		}
		parse := measure(*budget, func() {
			if _, err := profile.Parse(bytes.NewReader(data)); err != nil {
				panic(err)
			}
		})
		gunzip := measure(*budget, func() {
			r, err := gzip.NewReader(bytes.NewReader(data))
			if err != nil {
				panic(err)
			}
			if _, err := io.Copy(io.Discard, r); err != nil {
				panic(err)
			}
		})
		mb := float64(len(data)) / 1e6
		fmt.Printf("| %s | %d | %.0f | %.0f | %.1f | %.0f | %.1f |\n", f, len(data),
			parse, 1e9/parse, mb*1e9/parse, gunzip, mb*1e9/gunzip)
	}
}

// measure runs fn for a warm-up of d, then for at least d, and returns the mean
// nanoseconds per call of the second run.
func measure(d time.Duration, fn func()) float64 {
	for start := time.Now(); time.Since(start) < d; {
		fn()
	}
	n := 0
	start := time.Now()
	for time.Since(start) < d {
		for i := 0; i < 100; i++ {
			fn()
		}
		n += 100
	}
	return float64(time.Since(start).Nanoseconds()) / float64(n)
}
