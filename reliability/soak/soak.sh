#!/usr/bin/env bash
# A real-time soak run of the whole pipeline: a fleet of real Go services (testdata/goleaker, the
# instances and their labels in fleet.tsv) scraped every 10 s by `./leakwatch local` (local KRaft
# broker + processor + API + agent, default settings otherwise) for --minutes. Every minute it
# records the processor's health to OUT/soak.csv (heap after a full GC, RSS, CPU, profiles processed,
# dead letters, open suspects, query latency) and keeps its /metrics (stores.sh turns them into RocksDB
# bytes per store); at the end it snapshots the API (suspects, their events and series) and runs
# check.sh OUT, whose exit code it returns. Manual and real time: not part of .ci/run.
# docs/RELIABILITY.md "Soak run" says what it asserts and what a run gave.
#
# Usage: reliability/soak/soak.sh [--minutes N] [--out DIR] [--base-port P]
#   --minutes N    sampling minutes (default 45); the run takes about N + 2 minutes
#   --out DIR      run output: CSVs, logs, metrics, API snapshots (default reliability/target/soak)
#   --base-port P  first loopback port of the fleet (default 28710; one port per fleet.tsv line)
# Needs: go (1.19+), curl, jq, jcmd (the JDK's), a built or buildable Leakwatch.
set -uo pipefail

here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
minutes=45 out=$repo/reliability/target/soak base_port=28710
while (($#)); do
  case $1 in
    --minutes) minutes=$2; shift 2 ;;
    --out) out=$2; shift 2 ;;
    --base-port) base_port=$2; shift 2 ;;
    *) echo "usage: $0 [--minutes N] [--out DIR] [--base-port P]" >&2; exit 2 ;;
  esac
done
[[ $minutes =~ ^[0-9]+$ ]] && ((minutes >= 3)) || { echo "soak: --minutes must be 3 or more" >&2; exit 2; }
for tool in go curl jq jcmd; do
  command -v "$tool" >/dev/null || { echo "soak: '$tool' is required" >&2; exit 2; }
done
mkdir -p "$out" && out=$(cd "$out" && pwd)
rm -rf "$out/fleet" "$out/metrics" "$out/api"
mkdir -p "$out/bin" "$out/fleet" "$out/metrics" "$out/api"

# Every process this script starts is recorded here and stopped on exit, whatever happens.
fleet_pids=() lw_pid='' follower_pid='' broker_pid=''
cleanup() {
  trap - EXIT INT TERM
  [[ -n $follower_pid ]] && kill -TERM "$follower_pid" 2>/dev/null
  if [[ -n $lw_pid ]] && kill -0 "$lw_pid" 2>/dev/null; then
    kill -TERM "$lw_pid" # local stops the agent, the processor and its broker, then prints its summary
    for _ in $(seq 120); do kill -0 "$lw_pid" 2>/dev/null || break; sleep 1; done
    kill -0 "$lw_pid" 2>/dev/null && { echo "soak: local did not stop in 120 s; killing it" >&2; kill -KILL "$lw_pid"; }
  fi
  local p
  for p in "${fleet_pids[@]}"; do kill -TERM "$p" 2>/dev/null; done
  for p in "${fleet_pids[@]}" $follower_pid $broker_pid; do
    for _ in $(seq 20); do kill -0 "$p" 2>/dev/null || break; sleep 0.5; done
  done
  local left
  left=$(for p in "${fleet_pids[@]}" $lw_pid $follower_pid $broker_pid; do ps -o pid=,args= -p "$p"; done)
  if [[ -n $left ]]; then echo "soak: processes left behind:"$'\n'"$left" >&2; else echo "soak: every process it started has ended"; fi
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# --- the fleet ---------------------------------------------------------------------------------
echo "soak: building goleaker into $out/bin"
(cd "$repo/testdata/goleaker" && go build -o "$out/bin/goleaker" ./cmd/goleaker) || exit 1
targets=$out/targets.yaml
: >"$targets"
port=$base_port seed=9001
while IFS=$'\t' read -r service instance label kind what args; do
  [[ -z $service || $service == \#* ]] && continue
  if curl -s -o /dev/null --max-time 1 "http://127.0.0.1:$port/"; then
    echo "soak: port $port is in use (try --base-port)" >&2; exit 2
  fi
  churn=(-churn-mbps 3)
  [[ " $args " == *" -churn-mbps "* ]] && churn=()
  # shellcheck disable=SC2086 # args is a flag list
  "$out/bin/goleaker" $args "${churn[@]}" -addr "127.0.0.1:$port" -seed "$seed" -max-run "$((minutes + 20))m" \
    >"$out/fleet/$service-$instance.jsonl" 2>"$out/fleet/$service-$instance.err" &
  fleet_pids+=($!)
  printf -- '- service: %s\n  instance: %s\n  url: http://127.0.0.1:%d\n  interval: 10s\n  memoryLimit: 512MiB\n' \
    "$service" "$instance" "$port" >>"$targets"
  printf '%s\t%s\t%s\t%s\t%d\t%d\n' "$service" "$instance" "$label" "$kind" "$port" "$!" >>"$out/fleet/fleet.tsv"
  port=$((port + 1)) seed=$((seed + 1))
done <"$here/fleet.tsv"
for ((p = base_port; p < port; p++)); do
  for _ in $(seq 50); do curl -sf -o /dev/null --max-time 1 "http://127.0.0.1:$p/debug/pprof/" && break; sleep 0.2; done
  curl -sf -o /dev/null --max-time 1 "http://127.0.0.1:$p/debug/pprof/" || { echo "soak: goleaker on :$p did not come up" >&2; exit 1; }
done
echo "soak: ${#fleet_pids[@]} goleaker instances up on 127.0.0.1:$base_port-$((port - 1)) ($out/fleet/fleet.tsv)"

# --- leakwatch local and the suspect follower ------------------------------------------------------
# --duration is a backstop only: the script stops local itself once it has read the final state.
(cd "$repo" && exec ./leakwatch local --targets "$targets" --api-port 0 --duration "$((minutes + 10))m") \
  >"$out/local.log" 2>&1 &
lw_pid=$!
api='' bootstrap='' agent=''
for _ in $(seq 300); do
  kill -0 "$lw_pid" 2>/dev/null || { echo "soak: local ended at start:" >&2; tail -20 "$out/local.log" >&2; exit 1; }
  api=$(sed -n 's|^Web UI: \(http://[^/]*\)/.*|\1|p' "$out/local.log" | head -1)
  bootstrap=$(sed -n "s|^Kafka at \([^,]*\), processor .*|\1|p" "$out/local.log" | head -1)
  agent=$(sed -n 's|.*targets at \(http://[^/]*\)/targets.*|\1|p' "$out/local.log" | head -1)
  [[ -n $api && -n $bootstrap && -n $agent ]] && break
  sleep 1
done
[[ -n $agent ]] || { echo "soak: local did not start in 300 s (see $out/local.log)" >&2; exit 1; }
state_dir=$(find "$repo/.leakwatch" -maxdepth 3 -type d -path "*/$lw_pid/state" 2>/dev/null | head -1)
broker_pid=$(ps -o pid=,comm= --ppid "$lw_pid" | awk '$2 == "java" {print $1; exit}')
echo "soak: local pid $lw_pid (broker pid ${broker_pid:-?}), API $api, Kafka $bootstrap, agent $agent, state $state_dir"
(cd "$repo" && exec ./leakwatch suspects --bootstrap-servers "$bootstrap" --from-beginning) \
  >"$out/suspects.log" 2>"$out/suspects.err" &
follower_pid=$!

# --- sampling ----------------------------------------------------------------------------------
# median_ms URL: the median of 5 sequential requests in ms, or "HTTP <code>" when one fails.
median_ms() {
  local i r times=()
  for i in 1 2 3 4 5; do
    r=$(curl -s -o /dev/null --max-time 30 -w '%{http_code} %{time_total}' "$1")
    [[ ${r%% *} == 200 ]] || { echo "HTTP_${r%% *}"; return; }
    times+=("${r#* }")
  done
  printf '%s\n' "${times[@]}" | sort -n | sed -n 3p | awk '{printf "%.0f", $1 * 1000}'
}
# cpu_s PID...: the CPU seconds (user + system) the processes have used so far.
cpu_s() {
  local p
  for p in "$@"; do awk '{print $14 + $15}' "/proc/$p/stat" 2>/dev/null; done | awk -v hz="$(getconf CLK_TCK)" '{s += $1} END {printf "%.0f", s / hz}'
}
# metric FILE REGEX: the sum of the values of the series whose line matches REGEX.
metric() { grep -E "$2" "$1" | awk '$NF != "NaN" {s += $NF} END {printf "%.0f", s}'; }

csv=$out/soak.csv
echo "minute,utc,load1,heap_after_gc_mib,processor_rss_mib,broker_rss_mib,fleet_rss_mib,state_sst_bytes,state_dir_bytes,processed,dead_letters,processing_failures,open_suspects,open_list,agent_published,agent_scrape_failures,agent_dropped,lag_max,q_services_ms,q_suspects_ms,q_top_ms,queries_refused,processor_cpu_s,broker_cpu_s,fleet_cpu_s" >"$csv"
sample() {
  local m=$1 prom=$out/metrics/processor-$1.prom aprom=$out/metrics/agent-$1.prom
  jcmd "$lw_pid" GC.run >/dev/null 2>&1 # heap after a full GC: what the processor really holds
  local heap_kb rss_kb broker_kb fleet_kb p
  heap_kb=$(jcmd "$lw_pid" GC.heap_info 2>/dev/null | sed -n 's/.* used \([0-9]*\)K.*/\1/p' | head -1)
  rss_kb=$(awk '/^VmRSS/ {print $2}' "/proc/$lw_pid/status" 2>/dev/null)
  broker_kb=$(awk '/^VmRSS/ {print $2}' "/proc/$broker_pid/status" 2>/dev/null)
  fleet_kb=$(for p in "${fleet_pids[@]}"; do awk '/^VmRSS/ {print $2}' "/proc/$p/status" 2>/dev/null; done | awk '{s += $1} END {print s}')
  curl -s --max-time 30 "$api/metrics" >"$prom"
  curl -s --max-time 30 "$agent/metrics" >"$aprom"
  local open_list
  open_list=$(curl -s --max-time 30 "$api/api/v1/suspects?limit=1000" | jq -r '[.suspects[]? | "\(.service):\(.kind | ascii_downcase)"] | sort | join(" ")')
  printf '%d,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s\n' "$m" "$(date -u +%FT%TZ)" \
    "$(cut -d' ' -f1 /proc/loadavg)" "$((${heap_kb:-0} / 1024))" "$((${rss_kb:-0} / 1024))" "$((${broker_kb:-0} / 1024))" \
    "$((${fleet_kb:-0} / 1024))" "$(metric "$prom" '^leakwatch_store_sst_size_bytes')" \
    "$(du -sb "$state_dir" 2>/dev/null | cut -f1)" "$(metric "$prom" '^leakwatch_profiles_processed_total')" \
    "$(metric "$prom" '^leakwatch_profiles_dead_lettered_total')" "$(metric "$prom" '^leakwatch_processing_failures_total')" \
    "$(metric "$prom" '^leakwatch_suspects_open ')" "$open_list" \
    "$(metric "$aprom" '^leakwatch_agent_published_total')" "$(metric "$aprom" '^leakwatch_agent_scrape_failures_total')" \
    "$(metric "$aprom" '^leakwatch_agent_buffer_dropped_total')" \
    "$(grep -E '^kafka_consumer_fetch_manager_records_lag_max\{' "$prom" | awk '$NF != "NaN" && $NF > m {m = $NF} END {printf "%.0f", m}')" \
    "$(median_ms "$api/api/v1/services")" "$(median_ms "$api/api/v1/suspects")" \
    "$(median_ms "$api/api/v1/services/session-store/top?limit=10")" \
    "$(metric "$prom" '^leakwatch_queries_refused_total')" \
    "$(cpu_s "$lw_pid")" "$(cpu_s "$broker_pid")" "$(cpu_s "${fleet_pids[@]}")" >>"$csv"
  tail -1 "$csv"
}

start=$(date +%s)
echo "soak: sampling every minute for $minutes minutes into $csv"
for ((m = 1; m <= minutes; m++)); do
  sleep $((start + m * 60 - $(date +%s) > 0 ? start + m * 60 - $(date +%s) : 0))
  kill -0 "$lw_pid" 2>/dev/null || { echo "soak: local ended during the run (minute $m)" >&2; echo "local_died=$m" >"$out/api/local-died"; break; }
  sample "$m"
done

# --- the final state, then the checks ---------------------------------------------------------
if kill -0 "$lw_pid" 2>/dev/null; then
  curl -s "$api/api/v1/suspects?status=all&limit=1000" >"$out/api/suspects-all.json"
  curl -s "$api/api/v1/services" >"$out/api/services.json"
  # each suspect with its events, and its site's series per instance (the evidence behind it)
  jq -r '.suspects[]? | "\(.service) \(.suspectId)"' "$out/api/suspects-all.json" | while read -r service id; do
    curl -s "$api/api/v1/suspects/$id" >"$out/api/suspect-$id.json"
    curl -s "$api/api/v1/services/$service/suspects/$id/series" >"$out/api/series-$id.json"
  done
  sleep 15 # let the follower read the last committed events
fi
follower_alive=yes
kill -0 "$follower_pid" 2>/dev/null || follower_alive=no
echo "follower_alive=$follower_alive" >"$out/api/follower"
cleanup
"$here/check.sh" "$out"
