package dev.leakwatch.topology.window;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The last window each service wrote, kept decoded, so that folding a capture into the window it
 * just wrote does not decode it again: every capture of every instance of a service lands in the
 * same window, and decoding it was a tenth of the topology's time.
 *
 * <p>An entry is used only when the store hands back the bytes this cache saw written, compared by
 * content (a vectorised compare of the window is some twenty times cheaper than decoding it): Kafka
 * Streams' stores hand back a copy of the value, not the array they were given. Since the entry is
 * the decoded form of exactly those bytes, any other value (written by another processor instance,
 * restored from an older changelog record) is decoded as before. Holds at most {@code maxServices}
 * windows, least recently used first out. Not thread-safe: one per processor instance (stream task).
 */
public final class DecodedWindows {
  private record Entry(long start, byte[] bytes, ServiceWindow window) {}

  private final Map<String, Entry> entries;

  /** @param maxServices most services whose latest window is kept */
  public DecodedWindows(int maxServices) {
    this.entries = new LinkedHashMap<>(16, 0.75f, true) {
      @Override
      protected boolean removeEldestEntry(Map.Entry<String, Entry> eldest) {
        return size() > maxServices;
      }
    };
  }

  /**
   * The window stored as {@code stored} for {@code service} and {@code start}: the cached object
   * when {@code stored} holds the bytes it was last written as, otherwise decoded (or new when {@code stored} is null). The
   * caller may change it and must then {@link #written} it.
   *
   * @throws dev.leakwatch.detect.StateFormatException when {@code stored} is not a window
   */
  public ServiceWindow open(String service, long start, byte[] stored) {
    Entry e = entries.remove(service); // removed while the caller changes it: re-added by written()
    if (stored == null) {
      return new ServiceWindow();
    }
    if (e != null && e.start() == start && (e.bytes() == stored || Arrays.equals(e.bytes(), stored))) {
      return e.window();
    }
    return ServiceWindow.fromBytes(stored);
  }

  /** Records that {@code window}, serialized as {@code bytes}, is now stored for the service and start. */
  public void written(String service, long start, ServiceWindow window, byte[] bytes) {
    entries.put(service, new Entry(start, bytes, window));
  }
}
