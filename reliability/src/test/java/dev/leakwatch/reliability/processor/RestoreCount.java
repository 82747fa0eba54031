package dev.leakwatch.reliability.processor;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.streams.processor.StateRestoreListener;

/** Counts the changelog records restored per store (a store restored from nothing counts 0). */
final class RestoreCount implements StateRestoreListener {
  final Map<String, Long> restored = new ConcurrentHashMap<>();

  @Override
  public void onRestoreStart(TopicPartition partition, String store, long start, long end) {
    restored.putIfAbsent(store, 0L);
  }

  @Override
  public void onBatchRestored(TopicPartition partition, String store, long batchEnd, long count) {
    restored.merge(store, count, Long::sum);
  }

  @Override
  public void onRestoreEnd(TopicPartition partition, String store, long total) {
    // counted batch by batch
  }
}
