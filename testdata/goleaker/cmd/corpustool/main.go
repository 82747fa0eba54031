// Command corpustool supports testdata/goleaker/record.sh:
//
//	corpustool schedule -spec scenarios.json
//	    prints "<interval_s> <captures> <allocs_every>" for the recorder
//	corpustool plan     -spec scenarios.json
//	    prints one tab-separated line per instance for the recorder:
//	    <scenario dir> <instance> <port> <restart after seq or -1> <goleaker args...>
//	corpustool manifest -spec scenarios.json -run RUNDIR -corpus DIR -go-version "..."
//	    writes DIR/<scenario dir>/manifest.json from the run logs
//	corpustool verify   -spec scenarios.json -corpus DIR
//	    decodes every profile, adds the verification block to each manifest,
//	    prints the sanity summary; exits 1 if any check fails
//	corpustool rawcheck -spec scenarios.json -corpus DIR
//	    compares the decoder with `go tool pprof -raw` on the last files of
//	    every instance; exits 1 on any disagreement
package main

import (
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"leakwatch.dev/goleaker/internal/corpus"
)

func main() {
	if len(os.Args) < 2 {
		fmt.Fprintln(os.Stderr, "usage: corpustool schedule|plan|manifest|verify|rawcheck [flags]")
		os.Exit(2)
	}
	fs := flag.NewFlagSet(os.Args[1], flag.ExitOnError)
	specPath := fs.String("spec", "scenarios.json", "scenario spec")
	runDir := fs.String("run", "", "run directory with the recorder logs")
	corpusDir := fs.String("corpus", "", "corpus directory")
	goVersion := fs.String("go-version", "", "output of `go version`")
	fs.Parse(os.Args[2:])
	spec, err := corpus.LoadSpec(*specPath)
	if err == nil {
		switch os.Args[1] {
		case "schedule":
			fmt.Println(spec.Capture.IntervalS, spec.Capture.Captures, spec.Capture.AllocsEvery)
		case "plan":
			err = plan(spec)
		case "manifest":
			err = manifests(spec, *runDir, *corpusDir, *goVersion)
		case "verify":
			err = mustPass(corpus.Verify(spec, *corpusDir, os.Stdout))("sanity checks failed")
		case "rawcheck":
			err = mustPass(corpus.RawCheck(spec, *corpusDir, os.Stdout))("go tool pprof disagrees")
		default:
			err = fmt.Errorf("unknown command %q", os.Args[1])
		}
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "corpustool:", err)
		os.Exit(1)
	}
}

func plan(spec *corpus.Spec) error {
	for _, p := range spec.Plan() {
		fields := append([]string{p.Scenario.Dir(), p.Instance.Name, strconv.Itoa(p.Port), strconv.Itoa(p.RestartAfter)}, spec.CommandArgs(p)...)
		for _, f := range fields {
			if strings.ContainsAny(f, "\t\n ") {
				return fmt.Errorf("argument %q contains whitespace", f)
			}
		}
		fmt.Println(strings.Join(fields, "\t"))
	}
	return nil
}

func manifests(spec *corpus.Spec, runDir, corpusDir, goVersion string) error {
	if runDir == "" || corpusDir == "" || goVersion == "" {
		return fmt.Errorf("manifest needs -run, -corpus and -go-version")
	}
	for _, sc := range spec.Scenarios {
		m, err := corpus.BuildManifest(spec, sc, runDir, goVersion)
		if err != nil {
			return err
		}
		if err := corpus.WriteManifest(filepath.Join(corpusDir, sc.Dir(), "manifest.json"), m); err != nil {
			return err
		}
	}
	return nil
}

// mustPass turns a check's (passed, err) into an error, naming the failure.
func mustPass(ok bool, err error) func(failure string) error {
	return func(failure string) error {
		if err == nil && !ok {
			return errors.New(failure)
		}
		return err
	}
}
