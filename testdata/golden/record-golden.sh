#!/usr/bin/env bash
# Records the golden `go tool pprof -top` outputs for a few corpus files.
#
# For every entry of the table below and every sample type of its profile
# (read from `go tool pprof -raw`), writes
#   <name>__<sample_index>.top.txt       go tool pprof -top -sample_index=<i> [...] FILES
#   <name>__<sample_index>__n10.top.txt  the same with -nodecount=10
# and files.txt (which fixture files each name was made from). Only stdout is
# kept; TZ=UTC makes the "Time:" header independent of the host's zone.
# Needs: go. Run from anywhere; paths are relative to testdata/.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
testdata=$(cd "$here/.." && pwd)
command -v go >/dev/null || { echo "record-golden.sh: 'go' is required" >&2; exit 2; }
export TZ=UTC

# name | kind (single, diff: first file is the base, merge: all files merged) | files
table=(
  "G-r0-heap-late|single|corpus/G_session-store/replica-0/0034-heap.pb.gz"
  "G-r1-heap-rate65536|single|corpus/G_session-store/replica-1/0034-heap.pb.gz"
  "G-r1-allocs|single|corpus/G_session-store/replica-1/0030-allocs.pb.gz"
  "H-r0-goroutine-leak|single|corpus/H_push-worker/replica-0/0034-goroutine.pb.gz"
  "L-r1-goroutine-many|single|corpus/L_ws-gateway/replica-1/0034-goroutine.pb.gz"
  "N-r0-heap-many-sites|single|corpus/N_profile-heavy/replica-0/0034-heap.pb.gz"
  "G-r1-heap-diff-early-late|diff|corpus/G_session-store/replica-1/0005-heap.pb.gz corpus/G_session-store/replica-1/0034-heap.pb.gz"
  "G-heap-merged-replicas|merge|corpus/G_session-store/replica-0/0034-heap.pb.gz corpus/G_session-store/replica-1/0034-heap.pb.gz"
  "H-goroutine-merged-replicas|merge|corpus/H_push-worker/replica-0/0034-goroutine.pb.gz corpus/H_push-worker/replica-1/0034-goroutine.pb.gz"
)

# sample_types FILE: the sample type names of a profile, e.g. "inuse_space".
sample_types() {
  # awk reads to the end: stopping early would SIGPIPE pprof and trip pipefail.
  go tool pprof -raw "$1" 2>/dev/null | awk 'done == 0 && /^Samples:/ { getline; for (i = 1; i <= NF; i++) { split($i, t, "/"); print t[1] }; done = 1 }'
}

# top OUT ARGS...: runs go tool pprof -top, keeps stdout, fails loudly.
top() {
  local out=$1; shift
  if ! go tool pprof -top "$@" >"$here/$out" 2>"$here/.stderr"; then
    cat "$here/.stderr" >&2
    echo "record-golden.sh: go tool pprof -top $* failed" >&2
    exit 1
  fi
}

cd "$testdata"
rm -f "$here"/*.top.txt
{
  echo "# Golden go tool pprof -top outputs: <name> <TAB> <kind> <TAB> <fixture files, relative to testdata/>"
  echo "# kind single: go tool pprof -top -sample_index=<i> [-nodecount=10] FILE"
  echo "# kind diff:   go tool pprof -top -sample_index=<i> [-nodecount=10] -diff_base=FILE1 FILE2"
  echo "# kind merge:  go tool pprof -top -sample_index=<i> [-nodecount=10] FILE1 FILE2 ..."
  echo "# Output files: <name>__<sample_index>.top.txt and <name>__<sample_index>__n10.top.txt"
  echo "# Recorded with: $(go version)"
} >"$here/files.txt"
for row in "${table[@]}"; do
  IFS='|' read -r name kind files <<<"$row"
  read -r -a paths <<<"$files"
  for p in "${paths[@]}"; do
    [[ -f $p ]] || { echo "record-golden.sh: missing fixture $p" >&2; exit 1; }
  done
  case $kind in
    single | merge) inputs=("${paths[@]}") ;;
    diff) inputs=("-diff_base=${paths[0]}" "${paths[@]:1}") ;;
    *) echo "record-golden.sh: unknown kind $kind" >&2; exit 1 ;;
  esac
  types=$(sample_types "${paths[-1]}")
  [[ -n $types ]] || { echo "record-golden.sh: no sample types in ${paths[-1]}" >&2; exit 1; }
  for t in $types; do
    top "${name}__${t}.top.txt" -sample_index="$t" "${inputs[@]}"
    top "${name}__${t}__n10.top.txt" -sample_index="$t" -nodecount=10 "${inputs[@]}"
  done
  printf '%s\t%s\t%s\n' "$name" "$kind" "$files" >>"$here/files.txt"
done
rm -f "$here/.stderr"
echo "golden outputs written to $here ($(ls "$here"/*.top.txt | wc -l) files)"
