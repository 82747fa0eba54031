package dev.leakwatch.pprof;

import java.util.Arrays;

/**
 * The stacks of all samples of a profile in one location array, filled sample by sample: the
 * current sample's entries are {@code [size(), size() + count())}; {@link #finish} keeps them.
 * Ids that do not resolve are stored as null and the first one is remembered, so the caller can
 * report it after the checks that come first.
 */
final class StackBuilder {
  private Location[] items;
  private int size;
  private int count;
  // a long: a hostile stack is only rejected once it is complete
  private long frames;
  private int missAt;
  private long missId;

  StackBuilder(int initialCapacity) {
    items = new Location[Math.max(16, initialCapacity)];
  }

  /** Starts the next sample's stack. */
  void begin() {
    count = 0;
    frames = 0;
    missAt = -1;
  }

  private void ensureRoom(int n) {
    if (items.length - size - count < n) {
      items = Arrays.copyOf(items, Math.max(items.length * 2, size + count + n));
    }
  }

  /** Appends a resolved location, or null for an id that did not resolve. */
  void add(Location loc, long id) {
    ensureRoom(1);
    if (loc != null) {
      frames += loc.frameCount();
    } else if (missAt < 0) {
      missAt = count;
      missId = id;
    }
    items[size + count++] = loc;
  }

  /** Entries in the current stack. */
  int count() {
    return count;
  }

  /** Stack position of the first id that did not resolve, or -1. */
  int missAt() {
    return missAt;
  }

  /** The first id that did not resolve (when {@link #missAt()} is not -1). */
  long missId() {
    return missId;
  }

  /** Frames of the current stack's resolved entries (all of them when {@code missAt() < 0}). */
  long frames() {
    return frames;
  }

  /** Keeps the current stack; returns where it ends. */
  int finish() {
    size += count;
    count = 0;
    frames = 0;
    return size;
  }

  /** All finished stacks, trimmed when much of the array went unused. */
  Location[] build() {
    return size < items.length / 2 ? Arrays.copyOf(items, size) : items;
  }
}
