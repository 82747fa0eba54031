package dev.leakwatch.query;

import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.KeyQueryMetadata;
import org.apache.kafka.streams.StreamsMetadata;
import org.apache.kafka.streams.state.HostInfo;

/**
 * Test doubles for routing and fan-out: a {@link StreamsDirectory} whose answers the test sets
 * (and can change from one call to the next, like metadata during a rebalance), and a {@link
 * PeerClient} whose instances answer with functions of the request.
 */
final class FakeCluster implements StreamsDirectory, PeerClient {

  static final HostInfo SELF = new HostInfo("a", 1);
  static final HostInfo OTHER = new HostInfo("b", 2);
  static final String TOPIC = "app-instance-reports-by-service-repartition";
  static final StoreLayout LAYOUT = new StoreLayout("app", "profiles");

  /** Metadata answers, one per call; the last one repeats. */
  private final Deque<Collection<StreamsMetadata>> metadata = new ArrayDeque<>();
  private final Deque<KeyQueryMetadata> keys = new ArrayDeque<>();
  private final Map<HostInfo, Function<String, PeerResponse>> peers = new HashMap<>();
  private final Map<HostInfo, UnavailableException> failures = new HashMap<>();
  final List<String> asked = new ArrayList<>();
  private KafkaStreams.State state = KafkaStreams.State.REBALANCING;

  /** The next metadata answer: {@code hosts[i]} holds {@code partitions[i]} of the service stores. */
  FakeCluster assign(Map<HostInfo, Set<Integer>> assignment) {
    List<StreamsMetadata> out = new ArrayList<>();
    assignment.forEach((h, ps) -> out.add(new Meta(h,
        ps.stream().map(p -> new TopicPartition(TOPIC, p)).collect(Collectors.toSet()))));
    metadata.add(out);
    return this;
  }

  /** The next key-metadata answer. */
  FakeCluster owner(HostInfo host, int partition) {
    keys.add(new KeyQueryMetadata(host, Set.of(), partition));
    return this;
  }

  FakeCluster peer(HostInfo host, Function<String, PeerResponse> answer) {
    peers.put(host, answer);
    return this;
  }

  /** {@code host}'s requests fail with {@code failure}, as the peer client reports a failed exchange. */
  FakeCluster failing(HostInfo host, UnavailableException failure) {
    failures.put(host, failure);
    return this;
  }

  static PeerResponse json(int status, Object body) {
    return new PeerResponse(status, "application/json", JsonCodec.write(body));
  }

  static PeerResponse text(int status, String body) {
    return new PeerResponse(status, "text/plain", body.getBytes(StandardCharsets.UTF_8));
  }

  @Override
  public Collection<StreamsMetadata> streamsMetadataForStore(String store) {
    return metadata.size() > 1 ? metadata.poll() : metadata.peek();
  }

  @Override
  public KeyQueryMetadata queryMetadataForKey(String store, String key) {
    return keys.size() > 1 ? keys.poll() : keys.peek();
  }

  @Override
  public KafkaStreams.State state() {
    return state;
  }

  /** The state the local instance reports from now on (REBALANCING until told). */
  FakeCluster state(KafkaStreams.State s) {
    state = s;
    return this;
  }

  @Override
  public CompletableFuture<PeerResponse> get(HostInfo host, String pathAndQuery) {
    asked.add(KeyRouter.name(host) + pathAndQuery);
    if (failures.containsKey(host)) {
      return CompletableFuture.failedFuture(failures.get(host));
    }
    Function<String, PeerResponse> answer = peers.get(host);
    if (answer == null) {
      return CompletableFuture.failedFuture(new UnavailableException("instance " + KeyRouter.name(host)
          + " did not answer: connection refused", true, List.of("host " + KeyRouter.name(host) + ": refused")));
    }
    return CompletableFuture.completedFuture(answer.apply(pathAndQuery));
  }

  private record Meta(HostInfo hostInfo, Set<TopicPartition> topicPartitions) implements StreamsMetadata {
    @Override
    public Set<String> stateStoreNames() {
      return Set.copyOf(StoreLayout.SERVICE_STORES);
    }

    @Override
    public Set<TopicPartition> standbyTopicPartitions() {
      return Set.of();
    }

    @Override
    public Set<String> standbyStateStoreNames() {
      return Set.of();
    }

    @Override
    public String host() {
      return hostInfo.host();
    }

    @Override
    public int port() {
      return hostInfo.port();
    }
  }
}
