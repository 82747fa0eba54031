package dev.leakwatch.pprof;

import java.util.HashMap;
import java.util.Map;
import java.util.function.IntFunction;

/**
 * Id to entry lookup for a profile table. Go numbers ids 1..n, so a dense array serves them
 * without boxing; sparse ids from other writers fall back to a hash map.
 */
final class IdTable<T> {
  private final T[] dense;
  private final Map<Long, T> sparse;

  /**
   * @param ids every id that will be put, in any order
   * @param newArray makes the dense table (an array of the entries' own type, so that {@link
   *     #dense} needs no copy to be used as one)
   */
  IdTable(LongList ids, IntFunction<T[]> newArray) {
    this(ids.array(), ids.size(), newArray);
  }

  /** @param ids {@code ids[0, count)} are every id that will be put, in any order */
  IdTable(long[] ids, int count, IntFunction<T[]> newArray) {
    long max = 0;
    boolean negative = false;
    for (int i = 0; i < count; i++) {
      long id = ids[i];
      max = Math.max(max, id);
      // ids >= 2^63 are valid uint64 values that read as negative longs
      negative |= id < 0;
    }
    boolean compact = !negative && max <= 4L * count + 1024;
    dense = compact ? newArray.apply((int) max + 1) : null;
    sparse = compact ? null : new HashMap<>(count * 2);
  }

  /** Adds an entry; false if the id is already taken. */
  boolean put(long id, T entry) {
    if (dense != null) {
      if (dense[(int) id] != null) {
        return false;
      }
      dense[(int) id] = entry;
      return true;
    }
    return sparse.putIfAbsent(id, entry) == null;
  }

  /**
   * The dense table (entry {@code i} has id {@code i}, null where no entry has it) when the ids are
   * dense, else null; for hot loops that look ids up directly. Not to be modified.
   */
  T[] dense() {
    return dense;
  }

  /** True if an entry has {@code id}. */
  boolean contains(long id) {
    if (dense != null) {
      return id > 0 && id < dense.length && dense[(int) id] != null;
    }
    return sparse.containsKey(id);
  }

  /** The entry for {@code id}, or null. */
  T get(long id) {
    if (dense != null) {
      return id > 0 && id < dense.length ? dense[(int) id] : null;
    }
    return sparse.get(id);
  }
}
