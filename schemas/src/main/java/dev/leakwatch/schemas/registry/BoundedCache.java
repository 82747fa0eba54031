package dev.leakwatch.schemas.registry;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;

/**
 * A least-recently-used map holding at most {@code capacity} entries, safe for concurrent use.
 *
 * <p>Loading happens outside the lock, so a slow registry call never blocks readers of other keys;
 * two threads missing the same key may both load it (the registry answers idempotently).
 *
 * @param <K> key type, with value semantics
 * @param <V> value type; null values are not cached
 */
public final class BoundedCache<K, V> {

  private final Map<K, V> entries;

  /** @param capacity most entries kept, at least 1 */
  public BoundedCache(int capacity) {
    if (capacity < 1) {
      throw new IllegalArgumentException("capacity must be at least 1, got " + capacity);
    }
    this.entries = new LinkedHashMap<>(16, 0.75f, true) {
      private static final long serialVersionUID = 1L;

      @Override
      protected boolean removeEldestEntry(Map.Entry<K, V> eldest) {
        return size() > capacity;
      }
    };
  }

  /** @return the cached value, or the result of {@code loader} (cached when non-null) */
  public V get(K key, Function<? super K, ? extends V> loader) {
    synchronized (entries) {
      V cached = entries.get(key);
      if (cached != null) {
        return cached;
      }
    }
    V loaded = loader.apply(key);
    if (loaded != null) {
      put(key, loaded);
    }
    return loaded;
  }

  /** Caches {@code value} under {@code key}, evicting the least recently used entry if full. */
  public void put(K key, V value) {
    synchronized (entries) {
      entries.put(key, value);
    }
  }

  /** @return the number of entries currently cached */
  public int size() {
    synchronized (entries) {
      return entries.size();
    }
  }
}
