package dev.leakwatch.query;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.BiConsumer;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.TaskMetadata;
import org.apache.kafka.streams.ThreadMetadata;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.kstream.Windowed;
import org.apache.kafka.streams.query.FailureReason;
import org.apache.kafka.streams.query.KeyQuery;
import org.apache.kafka.streams.query.Query;
import org.apache.kafka.streams.query.QueryResult;
import org.apache.kafka.streams.query.RangeQuery;
import org.apache.kafka.streams.query.StateQueryRequest;
import org.apache.kafka.streams.query.StateQueryResult;
import org.apache.kafka.streams.query.WindowKeyQuery;
import org.apache.kafka.streams.query.WindowRangeQuery;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyWindowStore;
import org.apache.kafka.streams.state.WindowStoreIterator;

/**
 * Reads this instance's state stores through Kafka Streams' interactive queries (IQv2; the newest
 * window through IQv1, whose window stores read backwards), from active
 * tasks only and from named partitions only, so that an answer never mixes in a standby's or a
 * migrating task's view. Stores are {@code String} keys and {@code byte[]} values (the topology's
 * codecs decode them). Any partition that cannot answer makes the whole call fail with an
 * {@link UnavailableException} naming the store, partition and reason. Thread-safe.
 */
public final class LocalStores {

  private final KafkaStreams streams;

  public LocalStores(KafkaStreams streams) {
    this.streams = streams;
  }

  /** The value under {@code key} in partition {@code partition} of a key-value store; null if absent. */
  public byte[] get(String store, int partition, String key) {
    return single(store, partition, KeyQuery.<String, byte[]>withKey(key));
  }

  /**
   * Visits the entries with keys in {@code [from, to]} (inclusive; null = unbounded) of a key-value
   * store, in each of {@code partitions}, in key order per partition.
   */
  public void range(String store, Set<Integer> partitions, String from, String to, BiConsumer<String, byte[]> sink) {
    RangeQuery<String, byte[]> q = from == null && to == null ? RangeQuery.withNoBounds()
        : from == null ? RangeQuery.withUpperBound(to)
        : to == null ? RangeQuery.withLowerBound(from) : RangeQuery.withRange(from, to);
    for (KeyValueIterator<String, byte[]> it : all(store, partitions, q)) {
      try (it) {
        it.forEachRemaining(kv -> sink.accept(kv.key, kv.value));
      }
    }
  }

  /** Visits the windows of {@code key} starting in {@code [fromStart, toStart]} (ms), oldest first. */
  public void windows(String store, int partition, String key, long fromStart, long toStart,
      BiConsumer<Long, byte[]> sink) {
    try (WindowStoreIterator<byte[]> it = single(store, partition, WindowKeyQuery.withKeyAndWindowStartRange(
        key, Instant.ofEpochMilli(fromStart), Instant.ofEpochMilli(toStart)))) {
      while (it.hasNext()) {
        KeyValue<Long, byte[]> kv = it.next();
        sink.accept(kv.key, kv.value);
      }
    }
  }

  /**
   * The start (ms) of {@code key}'s newest window in partition {@code partition} of a window store,
   * or null when it has none. Reads one window, newest first (interactive queries of the active
   * task only, like every read here).
   */
  public Long newestWindowStart(String store, int partition, String key) {
    ReadOnlyWindowStore<String, byte[]> windows;
    try {
      windows = streams.store(StoreQueryParameters.fromNameAndType(store,
          QueryableStoreTypes.<String, byte[]>windowStore()).withPartition(partition));
    } catch (RuntimeException e) {
      throw new UnavailableException("partition " + partition + " of store " + store
          + " cannot be queried on this instance (" + streams.state() + "): " + e.getMessage());
    }
    try (WindowStoreIterator<byte[]> it =
        windows.backwardFetch(key, Instant.EPOCH, Instant.ofEpochMilli(Long.MAX_VALUE))) {
      return it.hasNext() ? it.peekNextKey() : null;
    } catch (InvalidStateStoreException e) {
      throw new UnavailableException("partition " + partition + " of store " + store
          + " moved while being read (" + streams.state() + "): " + e.getMessage());
    }
  }

  /** Visits every key's windows starting in {@code [fromStart, toStart]}, in each of {@code partitions}. */
  public void allWindows(String store, Set<Integer> partitions, long fromStart, long toStart,
      BiConsumer<Windowed<String>, byte[]> sink) {
    WindowRangeQuery<String, byte[]> q =
        WindowRangeQuery.withWindowStartRange(Instant.ofEpochMilli(fromStart), Instant.ofEpochMilli(toStart));
    for (KeyValueIterator<Windowed<String>, byte[]> it : all(store, partitions, q)) {
      try (it) {
        it.forEachRemaining(kv -> sink.accept(kv.key, kv.value));
      }
    }
  }

  /** Partitions of {@code topic} whose tasks are active on this instance right now. */
  public Set<Integer> activePartitions(String topic) {
    Set<Integer> out = new TreeSet<>();
    for (ThreadMetadata t : streams.metadataForLocalThreads()) {
      for (TaskMetadata task : t.activeTasks()) {
        task.topicPartitions().stream().filter(tp -> tp.topic().equals(topic)).forEach(tp -> out.add(tp.partition()));
      }
    }
    return out;
  }

  private <R> R single(String store, int partition, Query<R> query) {
    return all(store, Set.of(partition), query).get(0);
  }

  /** Runs one query on several partitions; fails as a whole if any partition fails (iterators closed). */
  private <R> List<R> all(String store, Set<Integer> partitions, Query<R> query) {
    if (partitions.isEmpty()) {
      return List.of();
    }
    StateQueryResult<R> result;
    try {
      result = streams.query(StateQueryRequest.inStore(store).withQuery(query)
          .withPartitions(partitions).requireActive());
    } catch (RuntimeException e) {
      throw new UnavailableException("store " + store + " cannot be queried on this instance ("
          + streams.state() + "): " + e.getMessage());
    }
    Map<Integer, QueryResult<R>> byPartition = result.getPartitionResults();
    List<R> out = new ArrayList<>(partitions.size());
    List<String> failures = new ArrayList<>();
    boolean retryable = true;
    for (int p : new TreeSet<>(partitions)) {
      QueryResult<R> r = byPartition.get(p);
      if (r == null) {
        failures.add("partition " + p + " of " + store + ": not hosted by this instance");
      } else if (r.isFailure()) {
        FailureReason why = r.getFailureReason();
        retryable &= why != FailureReason.STORE_EXCEPTION && why != FailureReason.UNKNOWN_QUERY_TYPE;
        failures.add("partition " + p + " of " + store + ": " + why + " " + r.getFailureMessage());
      } else {
        out.add(r.getResult());
      }
    }
    if (!failures.isEmpty()) {
      out.forEach(LocalStores::closeQuietly);
      throw new UnavailableException(failures.size() + " of " + partitions.size() + " partitions of store " + store
          + " could not answer on this instance" + (retryable ? " (moving or restoring; retry)" : ""),
          retryable, failures);
    }
    return out;
  }

  private static void closeQuietly(Object o) {
    if (o instanceof AutoCloseable c) {
      try {
        c.close();
      } catch (Exception ignored) {
        // the query failed anyway; the iterator only held a RocksDB snapshot
      }
    }
  }
}
