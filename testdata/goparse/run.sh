#!/usr/bin/env bash
# Times google/pprof's profile.Parse on the same fixtures as the Java benchmark
# (bench/, see docs/PERFORMANCE.md). Needs go and Debian's google/pprof source:
#   apt-get install golang-go golang-github-google-pprof-dev
# Usage: testdata/goparse/run.sh [-time 3s] [FILE...]   (default: the benchmark fixtures)
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
testdata="$(dirname "$here")"

# Debian installs the source under <GOPATH>/src/github.com/google/pprof.
# (grep reads all of dpkg's output: with -m1 dpkg could die of SIGPIPE and pipefail end the script silently)
pkg="$(dpkg -L golang-github-google-pprof-dev | grep '/src/github.com/google/pprof/profile$')"
pkg="${pkg%%$'\n'*}"
gopath="${pkg%/src/github.com/google/pprof/profile}"

args=()
while [ $# -gt 0 ] && [ "${1#-}" != "$1" ]; do args+=("$1" "$2"); shift 2; done
if [ $# -eq 0 ]; then
  # Relative to testdata/, the files bench/ decodes (BenchFixtures.FILES).
  set -- \
    corpus/G_session-store/replica-0/0034-heap.pb.gz \
    corpus/L_ws-gateway/replica-1/0034-goroutine.pb.gz \
    corpus/G_session-store/replica-1/0030-allocs.pb.gz \
    corpus/N_profile-heavy/replica-0/0034-heap.pb.gz
  cd "$testdata"
fi
GO111MODULE=off GOPATH="$gopath" go run "$here/main.go" "${args[@]}" "$@"
