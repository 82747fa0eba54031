package dev.leakwatch.query;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsMetadata;
import org.apache.kafka.streams.state.HostInfo;

/**
 * Answers a question about every key of a store by asking every instance for the partitions its
 * active tasks hold ({@code streamsMetadataForStore}), in parallel, and returning all the parts.
 * Complete or nothing: if the partitions have a gap, or any instance fails or cannot answer for all
 * of its partitions, the whole answer fails with an {@link UnavailableException} naming the hosts and
 * partitions (after a bounded {@link Retry}). Each part covers exactly the partitions it was asked
 * for, so parts never overlap.
 */
public final class FanOut {

  private final StreamsDirectory streams;
  private final HostInfo self;
  private final PeerClient peers;
  private final StoreLayout layout;
  private final Retry retry;
  // source topic -> its partition count, as last seen complete while RUNNING: a topic's partitions
  // never go away, and Kafka Streams cannot follow added ones without a reset, so it stays true
  private final Map<String, Integer> partitionCounts = new ConcurrentHashMap<>();

  public FanOut(StreamsDirectory streams, HostInfo self, PeerClient peers, StoreLayout layout, Retry retry) {
    this.streams = streams;
    this.self = self;
    this.peers = peers;
    this.layout = layout;
    this.retry = retry;
  }

  /**
   * @param store the store every partition of which must answer
   * @param local this instance's part for the given partitions
   * @param partialPath path and query of the partial resource other instances serve; {@code
   *     partitions=<csv>} is appended
   * @param type the part's type, read from the other instances' JSON
   * @return one part per instance that holds partitions of the store
   */
  public <P> List<P> collect(String store, Function<Set<Integer>, P> local, String partialPath, Class<P> type) {
    return retry.run(() -> once(store, local, partialPath, type));
  }

  private <P> List<P> once(String store, Function<Set<Integer>, P> local, String partialPath, Class<P> type) {
    Map<HostInfo, Set<Integer>> plan = plan(store);
    Map<HostInfo, CompletableFuture<PeerResponse>> asked = new LinkedHashMap<>();
    plan.forEach((host, partitions) -> {
      if (!host.equals(self)) {
        asked.put(host, peers.get(host, partialPath + (partialPath.contains("?") ? "&" : "?")
            + "partitions=" + partitions.stream().map(String::valueOf).collect(Collectors.joining(","))));
      }
    });
    List<P> parts = new ArrayList<>();
    List<String> failures = new ArrayList<>();
    int failed = 0;
    boolean retryable = true;
    if (plan.containsKey(self)) {
      try {
        parts.add(local.apply(plan.get(self)));
      } catch (UnavailableException e) {
        failed++;
        retryable &= e.retryable();
        String prefix = "this instance " + KeyRouter.name(self) + " partitions " + plan.get(self) + ": ";
        failures.add(prefix + e.getMessage());
        e.details().forEach(d -> failures.add(prefix + d));
      }
    }
    for (Map.Entry<HostInfo, CompletableFuture<PeerResponse>> e : asked.entrySet()) {
      String host = KeyRouter.name(e.getKey());
      String prefix = "host " + host + " partitions " + plan.get(e.getKey()) + ": ";
      try {
        PeerResponse r = e.getValue().join();
        if (r.ok()) {
          parts.add(JsonCodec.read(r.body(), type, host));
        } else {
          failed++;
          QueryException q = ErrorBody.toException(r, host);
          retryable &= q instanceof UnavailableException u && u.retryable();
          failures.add(prefix + q.getMessage());
          if (q instanceof UnavailableException u) {
            u.details().forEach(d -> failures.add(prefix + d));
          }
        }
      } catch (CompletionException ce) {
        failed++;
        if (ce.getCause() instanceof UnavailableException u) {
          retryable &= u.retryable(); // e.g. an answer over the size limit: asking again cannot help
        }
        failures.add(prefix + (ce.getCause() == null ? ce.getMessage() : ce.getCause().getMessage()));
      }
    }
    if (!failures.isEmpty()) {
      throw new UnavailableException(failed + " of " + plan.size() + " instances could not answer for store "
          + store + "; no partial answer is given", retryable, failures);
    }
    return parts;
  }

  /**
   * Refuses partitions that {@code store} does not have, so that a part request for them is a 400
   * rather than a 503 "retry" that no retry can cure. The count is taken from the assignment (every
   * partition has an active or standby owner) while this instance is {@code RUNNING}, and
   * remembered: while the assignment moves, the count last seen is used, and if none was seen yet
   * nothing is refused here and the usual 503 applies.
   *
   * @throws InvalidParameterException ({@code partitions}) naming the first partition that does not
   *     exist and the store's partition count
   */
  public void requireExisting(String store, Set<Integer> partitions) {
    String topic = layout.sourceTopic(store);
    Integer count = learnPartitionCount(store);
    if (count == null) {
      count = partitionCounts.get(topic);
    }
    if (count == null) {
      return;
    }
    for (int p : new TreeSet<>(partitions)) {
      if (p >= count) {
        throw new InvalidParameterException("partitions",
            new TreeSet<>(partitions).stream().map(String::valueOf).collect(Collectors.joining(",")),
            "partition " + p + " does not exist: store " + store + " has " + count + " partitions (0 to "
                + (count - 1) + ")");
      }
    }
  }

  /**
   * Notes the partition counts of every queried store's source topic while this instance is {@code
   * RUNNING} (call it when the instance becomes {@code RUNNING}), so that {@link #requireExisting}
   * can judge while a later rebalance moves the assignment.
   */
  public void learnPartitionCounts() {
    for (String store : StoreLayout.QUERIED_STORES) {
      learnPartitionCount(store);
    }
  }

  /** The partition count of {@code store} from the assignment, noted; null unless RUNNING without gaps. */
  private Integer learnPartitionCount(String store) {
    if (streams.state() != KafkaStreams.State.RUNNING) {
      return null;
    }
    String topic = layout.sourceTopic(store);
    TreeSet<Integer> known = new TreeSet<>();
    for (StreamsMetadata m : streams.streamsMetadataForStore(store)) {
      m.topicPartitions().stream().filter(tp -> tp.topic().equals(topic)).forEach(tp -> known.add(tp.partition()));
      m.standbyTopicPartitions().stream().filter(tp -> tp.topic().equals(topic))
          .forEach(tp -> known.add(tp.partition()));
    }
    if (known.isEmpty() || known.last() + 1 != known.size()) {
      return null;
    }
    partitionCounts.put(topic, known.size());
    return known.size();
  }

  /** Which partitions of the store each instance should answer for, checked for gaps. */
  private Map<HostInfo, Set<Integer>> plan(String store) {
    Collection<StreamsMetadata> all;
    try {
      all = streams.streamsMetadataForStore(store);
    } catch (RuntimeException e) {
      throw new UnavailableException("store " + store + " has no metadata yet (" + streams.state() + "): "
          + e.getMessage());
    }
    String topic = layout.sourceTopic(store);
    Map<HostInfo, Set<Integer>> plan = new LinkedHashMap<>();
    TreeSet<Integer> covered = new TreeSet<>();
    for (StreamsMetadata m : all) {
      Set<Integer> mine = m.topicPartitions().stream().filter(tp -> tp.topic().equals(topic))
          .map(tp -> tp.partition()).collect(Collectors.toCollection(TreeSet::new));
      if (!mine.isEmpty()) {
        plan.put(m.hostInfo(), mine);
        covered.addAll(mine);
      }
    }
    if (plan.isEmpty()) {
      throw new UnavailableException("no instance holds partitions of store " + store + " right now ("
          + streams.state() + ": starting or rebalancing)");
    }
    List<String> gaps = new ArrayList<>();
    // up to the last partition the store is known to have, so that missing trailing ones count too
    Integer count = partitionCounts.get(topic);
    int last = count == null ? covered.last() : Math.max(covered.last(), count - 1);
    for (int p = 0; p <= last; p++) {
      if (!covered.contains(p)) {
        gaps.add("partition " + p + " of " + store + ": no active owner");
      }
    }
    if (!gaps.isEmpty()) {
      throw new UnavailableException(gaps.size() + " partitions of store " + store + " have no active owner "
          + "(rebalancing); no partial answer is given", true, gaps);
    }
    return plan;
  }
}
