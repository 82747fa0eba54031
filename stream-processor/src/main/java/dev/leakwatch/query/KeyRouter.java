package dev.leakwatch.query;

import org.apache.kafka.streams.KeyQueryMetadata;
import org.apache.kafka.streams.state.HostInfo;

/**
 * Finds the instance whose active task holds a key, from Kafka Streams' metadata
 * ({@code queryMetadataForKey}): the partition is the default partitioner's choice for the key's
 * UTF-8 bytes, as the topology's producers and repartition use.
 */
public final class KeyRouter {

  /**
   * Where a key lives.
   *
   * @param host the owner's {@code application.server}
   * @param partition the key's partition of the store's source topic
   * @param local whether this instance is the owner
   */
  public record Owner(HostInfo host, int partition, boolean local) {}

  private final StreamsDirectory streams;
  private final HostInfo self;

  public KeyRouter(StreamsDirectory streams, HostInfo self) {
    this.streams = streams;
    this.self = self;
  }

  /**
   * @param partitionKey the key as the source topic carries it (service for per-service stores,
   *     {@code service/instance} for per-instance stores)
   * @throws UnavailableException (retryable) when no instance owns it right now
   */
  public Owner owner(String store, String partitionKey) {
    KeyQueryMetadata md;
    try {
      md = streams.queryMetadataForKey(store, partitionKey);
    } catch (RuntimeException e) {
      throw new UnavailableException("cannot locate the owner of key '" + partitionKey + "' in store " + store
          + " (" + streams.state() + "): " + e.getMessage());
    }
    if (md == null || md == KeyQueryMetadata.NOT_AVAILABLE || md.activeHost() == null
        || HostInfo.unavailable().equals(md.activeHost())) {
      throw new UnavailableException("no instance owns key '" + partitionKey + "' of store " + store
          + " right now (" + streams.state() + ": starting or rebalancing)");
    }
    return new Owner(md.activeHost(), md.partition(), md.activeHost().equals(self));
  }

  /** This instance's {@code application.server}. */
  public HostInfo self() {
    return self;
  }

  /** {@code host:port}. */
  public static String name(HostInfo h) {
    return h.host() + ":" + h.port();
  }
}
