package dev.leakwatch.query;

/**
 * An answer to a query about one key: computed here, or the owner's response passed through
 * unchanged (status, type and body), so that every instance answers the same.
 *
 * @param <T> the type of a locally computed answer
 */
public sealed interface Routed<T> {

  /** {@code host:port} of the instance that computed the answer. */
  String servedBy();

  /** Computed by this instance, which owns the key. */
  record Local<T>(T value, String servedBy) implements Routed<T> {}

  /** Computed by the owner {@code servedBy}; {@code response} is its answer as received. */
  record Forwarded<T>(PeerResponse response, String servedBy) implements Routed<T> {}
}
