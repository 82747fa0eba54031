package dev.leakwatch.query;

import dev.leakwatch.topology.TopologyNames;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.apache.kafka.streams.KafkaStreams;

/**
 * Whether this instance can answer queries: Kafka Streams is RUNNING and every queried store
 * answers on every partition this instance's active tasks hold (no task still restoring or
 * migrating). An instance without tasks (more instances than partitions) is ready: it answers by
 * routing. What Kubernetes' readiness probe should ask.
 */
final class Readiness {

  /** A key no store holds: reading it touches the store without returning data. */
  private static final String PROBE_KEY = "\u0000leakwatch-readyz";

  private final KafkaStreams streams;
  private final LocalStores stores;
  private final StoreLayout layout;

  Readiness(KafkaStreams streams, LocalStores stores, StoreLayout layout) {
    this.streams = streams;
    this.stores = stores;
    this.layout = layout;
  }

  /** Why this instance is not ready; empty when ready. */
  List<String> problems() {
    KafkaStreams.State state = streams.state();
    if (state != KafkaStreams.State.RUNNING) {
      return List.of("Kafka Streams is " + state + ", not RUNNING");
    }
    List<String> out = new ArrayList<>();
    for (String store : StoreLayout.QUERIED_STORES) {
      for (int p : stores.activePartitions(layout.sourceTopic(store))) {
        try {
          probe(store, p);
        } catch (UnavailableException e) {
          out.addAll(e.details().isEmpty() ? List.of(e.getMessage()) : e.details());
        }
      }
    }
    return out;
  }

  private void probe(String store, int partition) {
    if (store.equals(TopologyNames.SERVICE_WINDOWS_STORE) || store.equals(TopologyNames.SUSPECT_HISTORY_STORE)) {
      stores.windows(store, partition, PROBE_KEY, 0, 0, (t, v) -> { });
    } else {
      stores.range(store, Set.of(partition), PROBE_KEY, PROBE_KEY, (k, v) -> { });
    }
  }
}
