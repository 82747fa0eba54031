#!/usr/bin/env bash
# Writes OUT/stores.csv from the processor metrics a soak run saved every minute
# (OUT/metrics/processor-<minute>.prom): per minute and store, summed over the store's tasks,
#   sst_bytes       leakwatch_store_sst_size_bytes (live SST files)
#   memtable_bytes  kafka_stream_state_cur_size_all_mem_tables (RocksDB's memtables, not yet flushed)
#   estimated_keys  leakwatch_store_estimated_keys (RocksDB's estimate: overwrites count until compaction)
# A store's bytes are sst + memtable: with the processor's 2 MiB memtables per store and task and a
# 16 MiB write-buffer budget (docs/PROCESSOR.md), a small fleet's state stays in memtables for minutes,
# so SST files alone read 0 at first. Neither number is the live data size while overwritten values
# wait for a flush and a compaction: both follow what was written until then.
#
# Usage: reliability/soak/stores.sh OUT
set -uo pipefail
out=${1:?usage: stores.sh OUT}
echo "minute,store,sst_bytes,memtable_bytes,estimated_keys" >"$out/stores.csv"
for prom in "$out"/metrics/processor-*.prom; do
  minute=${prom##*/processor-}
  awk -v m="${minute%.prom}" '
    function store(line) { return match(line, /(rocksdb_state_id|rocksdb_window_state_id|store)="[^"]*"/) \
        ? substr(line, RSTART, RLENGTH) : "" }
    function add(kind, line, v,   s) {
      s = store(line); sub(/^[^"]*"/, "", s); sub(/"$/, "", s)
      if (s != "" && v != "NaN") { seen[s] = 1; sum[s, kind] += v }
    }
    /^leakwatch_store_sst_size_bytes\{/ { add("sst", $0, $NF) }
    /^kafka_stream_state_cur_size_all_mem_tables\{/ { add("mem", $0, $NF) }
    /^leakwatch_store_estimated_keys\{/ { add("keys", $0, $NF) }
    END { for (s in seen) printf "%d,%s,%.0f,%.0f,%.0f\n", m, s, sum[s, "sst"], sum[s, "mem"], sum[s, "keys"] }
  ' "$prom"
done | sort -t, -k1,1n -k2,2 >>"$out/stores.csv"
