package dev.leakwatch.detect;

/**
 * Dense indexes for 64-bit ids (stack ids, site ids): the first id added gets 0, the next new one 1,
 * and so on. An open-addressing table over primitives, because every capture of a busy profile
 * looks up hundreds of ids and boxed maps spent more time allocating than looking up. Not
 * thread-safe.
 */
public final class LongIndex {
  private long[] keys;
  private int[] slots; // index + 1; 0 = empty
  private int size;

  /** An index that holds {@code expected} ids without growing. */
  public LongIndex(int expected) {
    int capacity = Integer.highestOneBit(Math.max(4, expected * 2) - 1) << 1;
    keys = new long[capacity];
    slots = new int[capacity];
  }

  /** Number of distinct ids added. */
  public int size() {
    return size;
  }

  /** The index of {@code id}, or -1 when it was never added. */
  public int indexOf(long id) {
    int mask = keys.length - 1;
    for (int i = spread(id) & mask; slots[i] != 0; i = (i + 1) & mask) {
      if (keys[i] == id) {
        return slots[i] - 1;
      }
    }
    return -1;
  }

  /** The index of {@code id}, adding it (as the next index) when new. */
  public int add(long id) {
    int mask = keys.length - 1;
    int i = spread(id) & mask;
    for (; slots[i] != 0; i = (i + 1) & mask) {
      if (keys[i] == id) {
        return slots[i] - 1;
      }
    }
    keys[i] = id;
    slots[i] = ++size;
    if (size * 2 > keys.length) {
      rehash();
    }
    return size - 1;
  }

  private void rehash() {
    long[] oldKeys = keys;
    int[] oldSlots = slots;
    keys = new long[oldKeys.length * 2];
    slots = new int[oldKeys.length * 2];
    int mask = keys.length - 1;
    for (int j = 0; j < oldKeys.length; j++) {
      if (oldSlots[j] != 0) {
        int i = spread(oldKeys[j]) & mask;
        while (slots[i] != 0) {
          i = (i + 1) & mask;
        }
        keys[i] = oldKeys[j];
        slots[i] = oldSlots[j];
      }
    }
  }

  private static int spread(long id) {
    long h = id * 0x9E3779B97F4A7C15L;
    return (int) (h >>> 32);
  }
}
