package dev.leakwatch.topology;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The decoded form of the state values a processor last wrote, kept so that the next record for the
 * same key does not decode them again. A service's window and its lifecycle state are rewritten by
 * every capture of every instance of the service, and decoding them cost time in proportion to the
 * service's size on every record (a service of 2,000 instances spent over a third of the topology's time
 * decoding its lifecycle state).
 *
 * <p>An entry is handed back only for the bytes it was written as, compared by content (a vectorised
 * compare costs some twenty times less than decoding): Kafka Streams' stores hand back a copy of the
 * value, not the array they were given, and any other value (written by another processor instance,
 * restored from an older changelog record) must be decoded as before. {@link #take} removes the entry,
 * because the caller changes the object in place; {@link #written} puts it back with its new bytes.
 *
 * <p>Bounded twice: at most {@code maxKeys} entries and {@code maxBytes} serialized bytes over all of
 * them (the decoded objects are a small multiple of that), least recently used first out; a value
 * larger than {@code maxBytes} is not kept. Not thread-safe: one per processor instance (stream task).
 *
 * @param <V> the decoded type; mutable objects are fine, see {@link #take}
 */
final class DecodedStates<V> {
  private record Entry<V>(long tag, byte[] bytes, V value) {}

  private final Map<String, Entry<V>> entries;
  private final long maxBytes;
  private long bytes;

  /**
   * @param maxKeys most keys kept
   * @param maxBytes most serialized bytes kept over all entries
   */
  DecodedStates(int maxKeys, long maxBytes) {
    this.maxBytes = maxBytes;
    this.entries = new LinkedHashMap<>(16, 0.75f, true) {
      @Override
      protected boolean removeEldestEntry(Map.Entry<String, Entry<V>> eldest) {
        if (size() > maxKeys) {
          DecodedStates.this.bytes -= eldest.getValue().bytes().length;
          return true;
        }
        return false;
      }
    };
  }

  /**
   * The decoded form of {@code stored}, the value now stored under {@code key} with {@code tag} (a
   * window start, or 0), when this cache saw exactly those bytes written for them; else null, and the
   * caller decodes {@code stored} itself. Either way the entry leaves the cache until {@link #written}.
   */
  V take(String key, long tag, byte[] stored) {
    Entry<V> e = entries.remove(key);
    if (e == null) {
      return null;
    }
    bytes -= e.bytes().length;
    if (stored == null || e.tag() != tag || (e.bytes() != stored && !Arrays.equals(e.bytes(), stored))) {
      return null;
    }
    return e.value();
  }

  /** Records that {@code value}, serialized as {@code written}, is now stored under {@code key} and {@code tag}. */
  void written(String key, long tag, V value, byte[] written) {
    Entry<V> old = entries.remove(key);
    if (old != null) {
      bytes -= old.bytes().length;
    }
    if (written.length > maxBytes) {
      return;
    }
    bytes += written.length;
    entries.put(key, new Entry<>(tag, written, value));
    var it = entries.values().iterator();
    while (bytes > maxBytes && it.hasNext()) {
      bytes -= it.next().bytes().length; // least recently used first
      it.remove();
    }
  }

  /** Serialized bytes of the entries kept (for tests). */
  long bytes() {
    return bytes;
  }

  /** Number of entries kept (for tests). */
  int size() {
    return entries.size();
  }
}
