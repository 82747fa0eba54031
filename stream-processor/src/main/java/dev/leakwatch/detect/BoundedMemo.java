package dev.leakwatch.detect;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * A process-wide memo of a pure function, bounded by emptying it when full: detection meets the same
 * few thousand stacks and function names in every capture of a fleet, and a memo hit is far cheaper
 * than recomputing (hashing, classifying), while a process that meets unbounded distinct keys
 * (generated code, churning stacks) keeps a bounded footprint and only loses speed.
 *
 * <p>The function must be pure: two threads may compute the same value at once, and either result may
 * be kept. Thread-safe.
 *
 * @param <K> key; its {@code equals}/{@code hashCode} must be cheap, it is probed on every call
 * @param <V> value, never null
 */
public final class BoundedMemo<K, V> {
  private final int maxEntries;
  private final Map<K, V> entries = new ConcurrentHashMap<>();

  /** @param maxEntries entries kept before the memo is emptied; positive */
  public BoundedMemo(int maxEntries) {
    if (maxEntries < 1) {
      throw new IllegalArgumentException("maxEntries must be positive, got " + maxEntries);
    }
    this.maxEntries = maxEntries;
  }

  /**
   * {@code compute(key)}, from the memo when present.
   *
   * @param compute the memoized function; must not return null
   */
  public V get(K key, Function<? super K, ? extends V> compute) {
    return get(key, v -> true, compute);
  }

  /**
   * The memo's value for {@code key} when it passes {@code valid}, else {@code compute(key)}, which
   * then replaces it: for memos keyed by a hash of something larger, where {@code valid} compares
   * the value against the real thing.
   */
  public V get(K key, Predicate<? super V> valid, Function<? super K, ? extends V> compute) {
    V v = entries.get(key);
    if (v == null || !valid.test(v)) {
      v = compute.apply(key);
      if (entries.size() >= maxEntries) {
        entries.clear();
      }
      entries.put(key, v);
    }
    return v;
  }
}
