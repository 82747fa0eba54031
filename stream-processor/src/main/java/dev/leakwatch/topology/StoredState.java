package dev.leakwatch.topology;

import dev.leakwatch.detect.StateFormatException;
import java.util.function.Function;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads a state value from a store and decodes it. An unreadable value (a format this release
 * cannot read) is logged and treated as absent, so one bad entry restarts that entry's state
 * rather than stopping the stream thread on every record that touches it.
 */
final class StoredState {

  private static final Logger LOG = LoggerFactory.getLogger(StoredState.class);

  private StoredState() {}

  /** The decoded value under {@code key}, or null when absent or unreadable. */
  static <T> T read(KeyValueStore<String, byte[]> store, String key, Function<byte[], T> decode, String what) {
    return decode(key, store.get(key), decode, what);
  }

  /** {@code bytes} decoded, or null when null or unreadable. */
  static <T> T decode(String key, byte[] bytes, Function<byte[], T> decode, String what) {
    if (bytes == null) {
      return null;
    }
    try {
      return decode.apply(bytes);
    } catch (StateFormatException e) {
      LOG.error("{}: stored {} unreadable ({}); starting afresh", key, what, e.getMessage());
      return null;
    }
  }
}
