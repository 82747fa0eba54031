#!/usr/bin/env bash
# Re-records the Go profile corpus in testdata/corpus from scratch.
#
# Builds goleaker and corpustool, starts every instance listed in
# scenarios.json (all in parallel, loopback ports from capture.base_port up),
# captures /debug/pprof/heap and /debug/pprof/goroutine every interval and
# /debug/pprof/allocs every allocs_every-th slot with curl (debug=0: gzip'd
# profile.proto, stored as served), SIGKILLs and restarts the instances that
# have restart_after_seq, writes one manifest.json per scenario, then decodes
# everything and prints the sanity summary. testdata/corpus is replaced only
# when the summary passes; the golden pprof outputs (testdata/golden) are then
# re-recorded from it. Needs: go (1.19+), curl, gzip, bash 5.
#
# Usage: testdata/goleaker/record.sh [output dir, default testdata/corpus]
#   GOLEAKER_SPEC=FILE  another scenario table than scenarios.json (e.g. scenarios-hard.json); its
#                       recordings must go to an output dir (the corpus tests rely on scenarios.json)
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
out=${1:-$(cd "$here/.." && pwd)/corpus}
for tool in go curl gzip; do
  command -v "$tool" >/dev/null || { echo "record.sh: '$tool' is required" >&2; exit 2; }
done

work=$(mktemp -d "${TMPDIR:-/tmp}/goleaker-record.XXXXXX")
bin=$work/bin run=$work/run stage=$work/corpus
mkdir -p "$bin" "$run" "$stage"

# Stop every goleaker we started (by the PIDs we recorded), whatever happens.
cleanup() {
  local f
  for f in "$run"/*/*/current.pid; do
    [[ -e $f ]] && kill -TERM "$(cat "$f")" 2>/dev/null || true
  done
}
trap cleanup EXIT
trap 'exit 130' INT TERM

echo "building into $bin"
(cd "$here" && go build -o "$bin/goleaker" ./cmd/goleaker && go build -o "$bin/corpustool" ./cmd/corpustool)
spec=${GOLEAKER_SPEC:-$here/scenarios.json}
if [[ $spec != "$here/scenarios.json" && $# -eq 0 ]]; then
  echo "record.sh: GOLEAKER_SPEC=$spec needs an output dir (testdata/corpus is recorded from scenarios.json)" >&2
  exit 2
fi
read -r interval_s captures allocs_every < <("$bin/corpustool" schedule -spec "$spec")
interval_ms=$((interval_s * 1000))

# now_ms sets NOW to the wall clock in unix milliseconds (no fork).
now_ms() { local t=${EPOCHREALTIME/./}; NOW=$((10#$t / 1000)); }

# sleep_until MS: sleeps until the wall clock reaches MS.
sleep_until() {
  now_ms
  local d=$(($1 - NOW))
  if ((d > 0)); then sleep "$((d / 1000)).$(printf '%03d' $((d % 1000)))"; fi
}

# start_proc DIR GEN ARGS...: starts generation GEN of an instance.
start_proc() {
  local dir=$1 gen=$2; shift 2
  "$bin/goleaker" "$@" >"$dir/proc-$gen.jsonl" 2>"$dir/proc-$gen.err" &
  local pid=$!
  echo "$pid" >"$dir/current.pid"
  now_ms
  printf 'start\t%d\t%d\t%d\n' "$gen" "$pid" "$NOW" >>"$dir/recorder.log"
  PID=$pid
}

# wait_ready PORT: polls the pprof index for up to 5 s.
wait_ready() {
  local i
  for i in $(seq 50); do
    curl -sf -o /dev/null --max-time 1 "http://127.0.0.1:$1/debug/pprof/" && return 0
    sleep 0.1
  done
  return 1
}

# capture DIR INSTANCE PORT SEQ SLOT_MS TYPE: one profile fetch, logged.
capture() {
  local dir=$1 inst=$2 port=$3 seq=$4 slot=$5 typ=$6
  local rel file code rc=0
  rel=$inst/$(printf '%04d' "$seq")-$typ.pb.gz
  file=$stage_dir/$rel
  code=$(curl -sS --max-time 5 -o "$file" -w '%{http_code}' "http://127.0.0.1:$port/debug/pprof/$typ" 2>>"$dir/curl.err") || rc=$?
  if ((rc != 0)) || [[ $code != 200 ]]; then
    rm -f "$file"
    printf 'capture\t%d\t%d\t%s\tmissing\tcurl exit %d, HTTP %s\n' "$seq" "$slot" "$typ" "$rc" "${code:-none}" >>"$dir/recorder.log"
  elif ! gzip -t "$file" 2>/dev/null; then
    rm -f "$file"
    printf 'capture\t%d\t%d\t%s\tmissing\tbody is not gzip\n' "$seq" "$slot" "$typ" >>"$dir/recorder.log"
  else
    printf 'capture\t%d\t%d\t%s\tok\t%s\n' "$seq" "$slot" "$typ" "$rel" >>"$dir/recorder.log"
  fi
}

# run_instance SCENARIO_DIR INSTANCE PORT RESTART_AFTER ARGS...
run_instance() {
  local sdir=$1 inst=$2 port=$3 restart_after=$4; shift 4
  local dir=$run/$sdir/$inst gen=0 seq slot pid
  stage_dir=$stage/$sdir
  mkdir -p "$dir" "$stage_dir/$inst"
  if curl -s -o /dev/null --max-time 1 "http://127.0.0.1:$port/"; then
    echo "record.sh: port $port is already in use" >&2
    return 1
  fi
  start_proc "$dir" $gen "$@"; pid=$PID
  wait_ready "$port" || { echo "record.sh: $sdir/$inst did not come up (see $dir/proc-0.err)" >&2; return 1; }
  for ((seq = 0; seq < captures; seq++)); do
    slot=$((t0 + seq * interval_ms))
    sleep_until "$slot"
    now_ms; slot=$NOW
    capture "$dir" "$inst" "$port" "$seq" "$slot" heap
    capture "$dir" "$inst" "$port" "$seq" "$slot" goroutine
    if ((seq % allocs_every == 0)); then capture "$dir" "$inst" "$port" "$seq" "$slot" allocs; fi
    if ((seq == restart_after)); then
      # Simulate a crash (e.g. an OOM kill) and the supervisor restarting the
      # service on the same port: the new process starts every counter at zero.
      kill -KILL "$pid"
      now_ms
      printf 'kill\t%d\t%d\t%d\t%d\n' "$gen" "$pid" "$NOW" "$seq" >>"$dir/recorder.log"
      wait "$pid" 2>/dev/null || true
      gen=$((gen + 1))
      start_proc "$dir" $gen "$@"; pid=$PID
    fi
  done
  kill -TERM "$pid"
  wait "$pid" 2>/dev/null || true
  now_ms
  printf 'stop\t%d\t%d\t%d\n' "$gen" "$pid" "$NOW" >>"$dir/recorder.log"
  rm -f "$dir/current.pid"
}

mapfile -t plan < <("$bin/corpustool" plan -spec "$spec")
now_ms
t0=$((NOW + 1500)) # first capture slot, shared by all instances
echo "recording ${#plan[@]} instances: $captures captures every ${interval_s}s from $(date -u -d "@$((t0 / 1000))" +%T) UTC"
pids=()
for line in "${plan[@]}"; do
  IFS=$'\t' read -r -a f <<<"$line"
  run_instance "${f[@]}" &
  pids+=($!)
done
failed=0
for p in "${pids[@]}"; do wait "$p" || failed=1; done
((failed == 0)) || { echo "record.sh: an instance failed; logs kept in $run" >&2; trap - EXIT; cleanup; exit 1; }

"$bin/corpustool" manifest -spec "$spec" -run "$run" -corpus "$stage" -go-version "$(go version)"
if ! "$bin/corpustool" verify -spec "$spec" -corpus "$stage" | tee "$work/summary.md"; then
  echo "record.sh: sanity checks failed; recording kept in $stage, logs in $run" >&2
  exit 1
fi
if ! "$bin/corpustool" rawcheck -spec "$spec" -corpus "$stage" | tee "$work/rawcheck.txt"; then
  echo "record.sh: decoder and go tool pprof disagree; recording kept in $stage" >&2
  exit 1
fi
{
  echo "# Recorded Go profile corpus (scenarios G-N)"
  echo
  echo "Recorded by testdata/goleaker/record.sh at $(date -u +%FT%TZ) with $(go version)."
  echo "Layout, manifest fields, scenarios and how to re-record: ../README.md."
  echo
  echo "## Sanity summary (corpustool verify)"
  echo
  cat "$work/summary.md"
  echo
  echo "$(find "$stage" -name '*.pb.gz' | wc -l) profile files. $(cat "$work/rawcheck.txt")"
} >"$stage/README.md"
rm -rf "$out"
mv "$stage" "$out"
rm -rf "$work"
echo "corpus written to $out ($(du -sh --apparent-size "$out" | cut -f1))"
# The goldens are made from corpus files: refresh them with the default corpus.
if [[ $out -ef $here/../corpus ]]; then
  "$here/../golden/record-golden.sh"
fi
