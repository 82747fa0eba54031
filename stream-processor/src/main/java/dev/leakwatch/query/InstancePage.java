package dev.leakwatch.query;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;

/**
 * Which of a service's instances to answer: those whose names come after {@code after} (by Java
 * string order; null = from the first), at most {@code limit} of them. Bounds every answer that
 * lists a service's instances, and every fan-out part behind one, whatever the size of the service.
 *
 * @param after the last instance of the previous page ({@code next} of its answer), or null
 * @param limit most instances listed, 0 (counts only) to {@link #MAX_LIMIT}; {@link Integer#MAX_VALUE}
 *     only for {@link #ALL}
 */
public record InstancePage(String after, int limit) {

  /** Instances listed per service when none is asked for (about 12 KB of JSON). */
  public static final int DEFAULT_LIMIT = 100;
  /** The most that may be asked for. */
  public static final int MAX_LIMIT = 1000;

  /**
   * Every instance: what a fan-out part answers when the asking instance did not say how many
   * (an instance of the previous release, which lists them all).
   */
  private static final InstancePage ALL = new InstancePage(null, Integer.MAX_VALUE);

  public InstancePage {
    if (limit < 0) {
      throw new IllegalArgumentException("limit " + limit + " < 0");
    }
  }

  /** {@link #ALL}. */
  public static InstancePage all() {
    return ALL;
  }

  /** The first {@code limit} instances. */
  public static InstancePage first(int limit) {
    return new InstancePage(null, limit);
  }

  /** Whether {@code instance} lies after this page's start. */
  boolean admits(String instance) {
    return after == null || instance.compareTo(after) > 0;
  }

  /**
   * This page of {@code byName} (every instance, iterated in name order), each mapped by {@code view}.
   *
   * @return the page, and whether instances follow it
   */
  <V, T> Cut<T> cut(Map<String, V> byName, BiFunction<String, V, T> view) {
    List<T> out = new ArrayList<>();
    for (Map.Entry<String, V> e : byName.entrySet()) {
      if (!admits(e.getKey())) {
        continue;
      }
      if (out.size() == limit) {
        return new Cut<>(out, true);
      }
      out.add(view.apply(e.getKey(), e.getValue()));
    }
    return new Cut<>(out, false);
  }

  /** A page of instances and whether more follow it. */
  record Cut<T>(List<T> items, boolean truncated) {}
}
