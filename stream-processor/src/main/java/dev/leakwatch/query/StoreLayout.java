package dev.leakwatch.query;

import static dev.leakwatch.topology.TopologyNames.*;

import java.util.List;
import java.util.Objects;

/**
 * Where the topology's stores live: each store belongs to the tasks of one source topic, and its
 * partitions are that topic's partitions. Per-instance stores ({@code instance-series},
 * {@code instance-snapshot}) follow the input topic (key {@code service/instance}); per-service
 * stores follow the {@code instance-reports-by-service} repartition topic (key service) and share
 * their tasks, so one owner answers every per-service question.
 *
 * @param applicationId the Kafka Streams {@code application.id} (prefix of internal topics)
 * @param profilesTopic the input topic
 */
public record StoreLayout(String applicationId, String profilesTopic) {

  /** The per-service stores, all co-partitioned by service. */
  public static final List<String> SERVICE_STORES = List.of(SERVICE_WINDOWS_STORE, STACK_DICTIONARY_STORE,
      SUSPECT_LIFECYCLE_STORE, SUSPECT_HISTORY_STORE);
  /** Every store the API reads. */
  public static final List<String> QUERIED_STORES = List.of(INSTANCE_SERIES_STORE, SERVICE_WINDOWS_STORE,
      STACK_DICTIONARY_STORE, SUSPECT_LIFECYCLE_STORE, SUSPECT_HISTORY_STORE);

  public StoreLayout {
    Objects.requireNonNull(applicationId, "applicationId");
    Objects.requireNonNull(profilesTopic, "profilesTopic");
  }

  /** The topic whose partitions are {@code store}'s partitions. */
  public String sourceTopic(String store) {
    if (store.equals(INSTANCE_SERIES_STORE) || store.equals(INSTANCE_SNAPSHOT_STORE)) {
      return profilesTopic;
    }
    if (SERVICE_STORES.contains(store)) {
      return applicationId + "-" + REPORTS_BY_SERVICE + "-repartition";
    }
    throw new IllegalArgumentException("unknown store " + store);
  }

  /**
   * The key that places a per-instance entry on its partition: the input record key
   * {@code service/instance} (the store key adds {@code /KIND}, which must not be hashed).
   */
  public static String instancePartitionKey(String service, String instance) {
    return service + "/" + instance;
  }
}
