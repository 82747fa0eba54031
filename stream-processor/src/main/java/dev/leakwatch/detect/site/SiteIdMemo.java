package dev.leakwatch.detect.site;

import java.util.function.LongSupplier;

/**
 * The {@link dev.leakwatch.detect.Site#id()} of site identities already met, keyed by their two
 * identity hashes ({@link ProfileStacks#identityHash}, {@link ProfileStacks#identityHash2}) and a tag
 * (kind and wait reason), in one flat array: a lookup reads one entry of four longs, where a map of
 * boxed keys and record values cost three dependent cache misses per site and was a tenth of site
 * extraction once a fleet's state crowds the caches.
 *
 * <p>Open addressing over {@value #PROBES} neighbouring entries; when all are taken the first is
 * overwritten, so the memo never grows past {@value #ENTRIES} entries and a process that meets
 * unbounded distinct sites only loses speed. A hit needs both hashes and the tag to match: a wrong
 * id would need two independent 64-bit hashes of different names to coincide.
 *
 * <p>Not thread-safe: one per thread ({@link #forThisThread}); an entry is written as four plain
 * stores, which another thread could see torn. Each memo is 512 KiB; the threads that extract sites
 * are the stream threads (one per core by default), plus the caller's in {@code eval} and the
 * benchmarks.
 */
final class SiteIdMemo {
  /** Entries held; a power of two. */
  static final int ENTRIES = 1 << 14;
  /** Neighbouring entries probed for a key. */
  static final int PROBES = 4;

  private static final ThreadLocal<SiteIdMemo> PER_THREAD = ThreadLocal.withInitial(SiteIdMemo::new);

  // per entry: hash, hash2, tag + 1 (0: empty), id
  private final long[] table = new long[ENTRIES * 4];

  /** The calling thread's memo. */
  static SiteIdMemo forThisThread() {
    return PER_THREAD.get();
  }

  /**
   * The id memoized for ({@code hash}, {@code hash2}, {@code tag}), else {@code compute}'s, which is
   * then kept.
   *
   * @param tag any value below {@link Long#MAX_VALUE} that tells apart identities whose names are
   *     equal but whose ids differ (kind, wait reason)
   */
  long id(long hash, long hash2, long tag, LongSupplier compute) {
    long stored = tag + 1;
    int mask = ENTRIES - 1;
    int home = spread(hash) & mask;
    int free = -1;
    for (int p = 0; p < PROBES; p++) {
      int at = ((home + p) & mask) * 4;
      long t = table[at + 2];
      if (t == 0) {
        free = at;
        break; // entries are never removed, only overwritten: nothing past an empty one
      }
      if (table[at] == hash && table[at + 1] == hash2 && t == stored) {
        return table[at + 3];
      }
    }
    long id = compute.getAsLong();
    int at = free >= 0 ? free : home * 4;
    table[at] = hash;
    table[at + 1] = hash2;
    table[at + 2] = stored;
    table[at + 3] = id;
    return id;
  }

  /**
   * Reads the entry a lookup of {@code hash} probes first and returns part of it, so that a later
   * {@link #id} finds it in cache: a profile's lookups miss the caches (the memo is read once per site
   * and capture), and reads that do not wait for each other overlap, where lookups one after another
   * mostly do not. The caller must keep the result (e.g. in a field), or the read may be dropped.
   */
  long touch(long hash) {
    return table[(spread(hash) & (ENTRIES - 1)) * 4 + 2];
  }

  private static int spread(long h) {
    long x = h * 0x9E3779B97F4A7C15L;
    return (int) (x >>> 40);
  }
}
