#!/usr/bin/env bash
# Judges a soak run's output directory (written by soak.sh; runs on its files only, so it can be
# re-run on an old run): prints what it checks and exits 1 when a check fails.
#
#  - every leak service of the fleet has an open suspect of its kind at the end, never resolved during
#    the run (instances of the service its open suspects do not name are listed as warnings);
#  - no suspect ever opened on a healthy service (the followed suspect topic and the API agree); for the
#    healthy services whose false positive DETECTION.md documents (kind known-fp in fleet.tsv): at most
#    one OPEN (reported, and failed when it re-opens: flapping);
#  - no suspect event twice on the topic; the follower and local's own printout saw the same events;
#  - no dead letter, no processing failure, no profile dropped by the agent, local never died;
#  - heap after GC at the end at most 1.5 x what it was at the end of the first third;
#  - the stores bounded by design (series, snapshots, dictionary, lifecycle) at most 2 x + 8 MiB over
#    the same span, in SST + memtable bytes (stores.sh; overwritten values count until RocksDB compacts
#    them, hence the slack); service-windows and suspect-history grow with time (7 d retention): reported;
#  - every query answered 200 after minute 2, and the last third's median latency per query at most
#    max(3 x the first third's, 200 ms).
#
# Usage: reliability/soak/check.sh OUT
set -uo pipefail
out=${1:?usage: check.sh OUT}
csv=$out/soak.csv fleet=$out/fleet/fleet.tsv events=$out/events.txt
failures=0
fail() { echo "FAIL  $*"; failures=$((failures + 1)); }
warn() { echo "WARN  $*"; }
ok() { echo "ok    $*"; }

# col NAME: the column number of NAME in soak.csv.
col() { head -1 "$csv" | tr ',' '\n' | grep -nx "$1" | cut -d: -f1; }
# median_of NAME FROM TO: the median of column NAME over minutes FROM..TO (numeric rows only).
median_of() {
  awk -F, -v c="$(col "$1")" -v a="$2" -v b="$3" 'NR > 1 && $1 >= a && $1 <= b && $c ~ /^[0-9.]+$/ {print $c}' "$csv" \
    | sort -n | awk '{v[NR] = $1} END {if (NR) print v[int((NR + 1) / 2)]; else print 0}'
}

[[ -s $csv && -s $fleet ]] || { echo "check: $out holds no soak run"; exit 2; }
last=$(tail -1 "$csv" | cut -d, -f1)
third=$(((last + 2) / 3))
echo "soak run in $out: $last minutes sampled; first third ends at minute $third"
[[ -e $out/api/local-died ]] && fail "local ended during the run ($(cat "$out/api/local-died"))" || ok "local ran to the end"
grep -q 'follower_alive=yes' "$out/api/follower" 2>/dev/null && ok "suspect follower ran to the end" || fail "suspect follower ended early (see suspects.err)"

# --- suspects ---
grep -E '^[0-9-]+T[0-9:]+Z (OPEN|UPDATED|RESOLVED) ' "$out/suspects.log" >"$events"
dups=$(sort "$events" | uniq -d)
[[ -z $dups ]] && ok "$(wc -l <"$events") suspect events on the topic, none twice" || fail "events twice on the topic:"$'\n'"$dups"
if diff <(sort "$events") <(grep -E '^[0-9-]+T[0-9:]+Z (OPEN|UPDATED|RESOLVED) ' "$out/local.log" | sort) >/dev/null; then
  ok "the follower and local's printout saw the same events"
else
  warn "the follower and local's printout differ: $(diff <(sort "$events") <(grep -E '^[0-9-]+T[0-9:]+Z (OPEN|UPDATED|RESOLVED) ' "$out/local.log" | sort) | grep -c '^[<>]') lines"
fi
all=$out/api/suspects-all.json
[[ -s $all ]] || fail "no final snapshot of the suspects (api/suspects-all.json)"
printf '%-14s %-9s %-9s %5s %7s %8s  %s\n' service label kind opens updates resolves "first OPEN (capture time) / open at the end"
for service in $(cut -f1 "$fleet" | uniq); do
  label=$(awk -F'\t' -v s="$service" '$1 == s {print $3; exit}' "$fleet")
  kind=$(awk -F'\t' -v s="$service" '$1 == s {print $4; exit}' "$fleet")
  opens=$(awk -v s="$service" '$2 == "OPEN" && $3 == s' "$events" | wc -l)
  updates=$(awk -v s="$service" '$2 == "UPDATED" && $3 == s' "$events" | wc -l)
  resolves=$(awk -v s="$service" '$2 == "RESOLVED" && $3 == s' "$events" | wc -l)
  first=$(awk -v s="$service" '$2 == "OPEN" && $3 == s {print $1; exit}' "$events")
  open_now=$(jq -r --arg s "$service" '[.suspects[]? | select(.service == $s and .state == "open")
      | "\(.kind | ascii_downcase) \(.site.function | sub(".*/"; "")) [\(.instances | join(","))] opened \(.openedAt)"] | join("; ")' "$all" 2>/dev/null)
  printf '%-14s %-9s %-9s %5d %7d %8d  %s / %s\n' "$service" "$label" "$kind" "$opens" "$updates" "$resolves" "${first:--}" "${open_now:-none}"
  if [[ $label == leak ]]; then
    has=$(jq --arg s "$service" --arg k "$kind" '[.suspects[]? | select(.service == $s and .state == "open" and (.kind | ascii_downcase) == $k)] | length' "$all" 2>/dev/null)
    ((${has:-0} > 0)) && ok "$service: an open $kind suspect at the end" || fail "$service (leak, $kind): no open $kind suspect at the end"
    ((resolves == 0)) || fail "$service (leak): $resolves RESOLVED event(s) while it leaked: $(awk -v s="$service" '$2 == "RESOLVED" && $3 == s' "$events")"
    for instance in $(awk -F'\t' -v s="$service" '$1 == s {print $2}' "$fleet"); do
      named=$(jq --arg s "$service" --arg k "$kind" --arg i "$instance" '[.suspects[]? | select(.service == $s and .state == "open"
          and (.kind | ascii_downcase) == $k and (.instances | index($i)))] | length' "$all" 2>/dev/null)
      ((${named:-0} > 0)) || warn "$service/$instance (leaks): not among the instances of an open $kind suspect"
    done
  elif [[ $kind == known-fp ]]; then
    echo "KNOWN $service (not a leak; a documented false positive, DETECTION.md section 7): $opens OPEN, $resolves RESOLVED"
    ((opens <= 1)) || fail "$service (known false positive) opened $opens times: it flaps"
  else
    api_open=$(jq --arg s "$service" '[.suspects[]? | select(.service == $s and .state != "candidate")] | length' "$all" 2>/dev/null)
    ((opens == 0 && ${api_open:-0} == 0)) && ok "$service: no suspect" \
      || fail "$service (not a leak): $opens OPEN event(s), $api_open suspect(s) in the API: $(awk -v s="$service" '$2 == "OPEN" && $3 == s' "$events")"
  fi
done

# --- pipeline health ---
row=$(tail -1 "$csv")
get() { echo "$row" | cut -d, -f"$(col "$1")"; }
(($(get dead_letters) == 0)) && ok "dead letters: 0" || fail "dead letters: $(get dead_letters) (./leakwatch dead-letters says which)"
(($(get processing_failures) == 0)) && ok "processing failures: 0" || fail "processing failures: $(get processing_failures)"
(($(get agent_dropped) == 0)) && ok "agent dropped no profile" || fail "agent dropped $(get agent_dropped) profiles"
echo "      profiles processed $(get processed), agent published $(get agent_published), scrape failures $(get agent_scrape_failures), queries refused $(get queries_refused)"

# --- growth: end of the first third -> end ---
from=$((third > 2 ? third - 2 : 1))
h0=$(median_of heap_after_gc_mib "$from" "$third") h1=$(median_of heap_after_gc_mib $((last - 2)) "$last")
r0=$(median_of processor_rss_mib "$from" "$third") r1=$(median_of processor_rss_mib $((last - 2)) "$last")
awk -v a="$h0" -v b="$h1" 'BEGIN {exit !(b <= 1.5 * a)}' && ok "heap after GC: $h0 MiB (minutes $from-$third) -> $h1 MiB (last 3)" \
  || fail "heap after GC grew: $h0 MiB (minutes $from-$third) -> $h1 MiB (last 3)"
echo "      processor RSS: $r0 MiB -> $r1 MiB (the JVM's RSS follows its heap sizing, not only live data: reported, not judged)"
"$(dirname "$0")/stores.sh" "$out" # per store and minute, from the saved metrics
# store_median STORE FROM TO: the median over minutes FROM..TO of the store's SST + memtable bytes.
store_median() {
  awk -F, -v s="$1" -v a="$2" -v b="$3" '$2 == s && $1 >= a && $1 <= b {print $3 + $4}' "$out/stores.csv" | sort -n \
    | awk '{v[NR] = $1} END {if (NR) print v[int((NR + 1) / 2)]; else print 0}'
}
for store in $(awk -F, 'NR > 1 {print $2}' "$out/stores.csv" | sort -u); do
  s0=$(store_median "$store" "$from" "$third") s1=$(store_median "$store" $((last - 2)) "$last")
  line="$store (SST + memtables): $((s0 / 1024)) KiB -> $((s1 / 1024)) KiB"
  case $store in
    service-windows | suspect-history) echo "      $line (grows with time by design: windows.retention 7d)" ;;
    *) ((s1 <= 2 * s0 + 8 * 1024 * 1024)) && ok "$line (bounded)" || fail "$line (bounded by design, grew)" ;;
  esac
done

# --- queries ---
for q in q_services_ms q_suspects_ms q_top_ms; do
  errors=$(awk -F, -v c="$(col "$q")" 'NR > 1 && $1 > 2 && $c !~ /^[0-9]+$/ {print "minute " $1 ": " $c}' "$csv")
  [[ -z $errors ]] || fail "$q: not answered 200: $errors"
  a=$(median_of "$q" 1 "$third") b=$(median_of "$q" $((last - third + 1)) "$last")
  max=$(awk -F, -v c="$(col "$q")" 'NR > 1 && $c ~ /^[0-9]+$/ && $c > m {m = $c} END {print m + 0}' "$csv")
  limit=$((3 * a > 200 ? 3 * a : 200))
  ((b <= limit)) && ok "$q: median $a ms (first third) -> $b ms (last third), max $max" \
    || fail "$q: median $a ms (first third) -> $b ms (last third) > $limit ms"
done

if ((failures == 0)); then echo "soak: PASS"; else echo "soak: FAIL ($failures checks)"; exit 1; fi
