package dev.leakwatch.http;

import dev.leakwatch.topology.TopologyNames;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Map;
import java.util.function.ToLongFunction;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;
import org.apache.kafka.streams.KafkaStreams;

/**
 * The per-store meters of {@link ProcessorMetrics}, one series per store of {@link
 * TopologyNames#STORES}: RocksDB's estimates of this instance's share of each store ({@code
 * leakwatch_store_estimated_keys}, {@code leakwatch_store_sst_size_bytes}) and the changelog
 * restoration ({@code leakwatch_store_restore_remaining_records}, {@code
 * leakwatch_store_restored_records_total}). Kafka Streams reports the RocksDB properties per task
 * (and per segment of a window store); these gauges sum them into one number per store and
 * instance, as docs/OPERATIONS.md reads them. Each meter reads its source
 * when scraped. Stateless.
 */
final class StoreMeters {
  private StoreMeters() {
  }

  /** Registers the RocksDB gauges of every store, read from {@code streams}' metrics. */
  static void bindRocksDb(MeterRegistry registry, KafkaStreams streams) {
    for (String store : TopologyNames.STORES) {
      Gauge.builder("leakwatch.store.estimated.keys", () -> rocksDb(streams, store, "estimate-num-keys"))
          .description("RocksDB's estimate of the keys in this instance's share of the store")
          .tag("store", store).register(registry);
      Gauge.builder("leakwatch.store.sst.size", () -> rocksDb(streams, store, "total-sst-files-size"))
          .description("size of the store's SST files on this instance").baseUnit("bytes")
          .tag("store", store).register(registry);
    }
  }

  /** Registers the restoration meters of every store, as {@link ProcessorMetrics#bindRestores} describes. */
  static void bindRestores(MeterRegistry registry, ToLongFunction<String> remaining,
      ToLongFunction<String> restored) {
    for (String store : TopologyNames.STORES) {
      Gauge.builder("leakwatch.store.restore.remaining.records", () -> remaining.applyAsLong(store))
          .description("changelog records this instance has left to restore into the store")
          .tag("store", store).register(registry);
      FunctionCounter.builder("leakwatch.store.restored.records", store, s -> restored.applyAsLong(s))
          .description("changelog records this instance restored into the store since it started")
          .tag("store", store).register(registry);
    }
  }

  /** Sum of a RocksDB property metric over the store's tasks (and segments) on this instance. */
  private static double rocksDb(KafkaStreams streams, String store, String name) {
    double sum = 0;
    for (Map.Entry<MetricName, ? extends Metric> e : streams.metrics().entrySet()) {
      MetricName m = e.getKey();
      if (m.name().equals(name) && m.group().equals("stream-state-metrics")
          && m.tags().entrySet().stream().anyMatch(t -> t.getKey().endsWith("-state-id") && t.getValue().equals(store))
          && e.getValue().metricValue() instanceof Number n) {
        sum += n.doubleValue();
      }
    }
    return sum;
  }
}
