#!/usr/bin/env bash
# Records the benchmark profile sequences in testdata/bench/sites-<N>/ from the
# real Go runtime: goleaker's wide-sites scenario at 300, 1200 and 4800
# distinct allocation stacks (1x, 4x, 16x), one goroutine parked per site.
# Per scale: 50 heap captures 0.4 s apart (one process, so cumulative counters
# only grow: a series the detector keeps as one), and a goroutine and an allocs
# capture every 10th slot. Needs go (1.19+) and curl; ~1.5 min.
#
# Usage: testdata/bench/record.sh [output dir, default testdata/bench]
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
out=${1:-$here}
goleaker_src=$(cd "$here/../goleaker" && pwd)
for tool in go curl; do
  command -v "$tool" >/dev/null || { echo "record.sh: '$tool' is required" >&2; exit 2; }
done
work=$(mktemp -d "${TMPDIR:-/tmp}/leakwatch-bench-record.XXXXXX")
pid=
cleanup() { [[ -n $pid ]] && kill -TERM "$pid" 2>/dev/null || true; }
trap cleanup EXIT
(cd "$goleaker_src" && go build -o "$work/goleaker" ./cmd/goleaker)
port=28490
slots=50 every=10

fetch() { # fetch TYPE FILE
  curl -sSf --max-time 10 -o "$2" "http://127.0.0.1:$port/debug/pprof/$1"
  gzip -t "$2"
}

for sites in 300 1200 4800; do
  dir=$out/sites-$sites
  rm -rf "$dir" && mkdir -p "$dir"
  # MemProfileRate 16 KiB samples 22-52% of the 4-12 KiB fragments; with every
  # site replaced about once a second, after the 10 s warm-up nearly every site
  # is in the heap profile. No background churn: the replacements drive the GC,
  # and the only other samples are the profiler's own (scrapes) allocations.
  args=(-scenario wide-sites -sites "$sites" -live-per-site 2 -park-per-site 1
        -replace-per-s "$sites" -churn-mbps 0 -mem-profile-rate 16384 -seed 9
        -addr "127.0.0.1:$port" -max-run 2m)
  "$work/goleaker" "${args[@]}" >"$work/goleaker-$sites.jsonl" 2>"$work/goleaker-$sites.err" &
  pid=$!
  for _ in $(seq 50); do curl -sf -o /dev/null --max-time 1 "http://127.0.0.1:$port/debug/pprof/" && break; sleep 0.1; done
  sleep 10 # warm-up: every site filled and (nearly) every one sampled
  for ((seq = 0; seq < slots; seq++)); do
    name=$(printf '%04d' "$seq")
    fetch heap "$dir/$name-heap.pb.gz"
    if ((seq % every == 0)); then
      fetch goroutine "$dir/$name-goroutine.pb.gz"
      fetch allocs "$dir/$name-allocs.pb.gz"
    fi
    sleep 0.4
  done
  kill -TERM "$pid"; wait "$pid" 2>/dev/null || true; pid=
  printf 'goleaker %s\n%s\n' "${args[*]}" "$(go version)" >"$dir/RECORDED-WITH.txt"
  echo "sites-$sites: $(ls "$dir" | grep -c pb.gz) files, $(du -sh "$dir" | cut -f1)"
done
rm -rf "$work"
