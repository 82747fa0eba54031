package dev.leakwatch.topology.window;

import dev.leakwatch.detect.SiteFrame;
import dev.leakwatch.detect.series.Utf8;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The byte budget of the frames one {@link WindowContribution} ships, offered stack by stack in rank
 * order. The decoder's limits alone admit far more than a record can hold: a stack of 1,024 frames
 * whose names are each up to 64 KiB, and 2,000 such stacks per contribution, while the repartition
 * record and each stack's dictionary entry must fit the 16 MiB record the processor writes (a record
 * the producer refuses stops the pipeline at that input). So a stack is shipped only if
 *
 * <ul>
 *   <li>its {@link StackDictionary} entry takes at most {@link #MAX_STACK_BYTES} (each frame's names
 *       written in full), and
 *   <li>the frames shipped so far, as the repartition record writes them (each distinct name once,
 *       a frame at most 20 bytes beside them), stay within {@link #MAX_SHIPPED_BYTES} with it; once a
 *       stack does not fit, neither does any ranked after it;
 *   <li>and the distinct names shipped stay within {@link #MAX_STRINGS}, the most the record's reader
 *       accepts (short distinct names reach it within the byte budget), likewise.
 * </ul>
 *
 * A stack not shipped keeps its values in the window; queries show it as an unknown stack until a
 * capture that fits ships its frames. Recorded Go stacks (at most 128 frames of some hundred bytes) are
 * a few tens of KiB, and 2,000 of them share most names: far within these bounds.
 */
public final class ShippedFrames {

  /** Largest dictionary entry a shipped stack may make, bytes. */
  static final int MAX_STACK_BYTES = 1 << 20;
  /** Most bytes of frames one contribution ships: half the 16 MiB record, the rest is the report's. */
  static final int MAX_SHIPPED_BYTES = 8 << 20;
  /** Most distinct function and file names one contribution ships (and its reader accepts). */
  public static final int MAX_STRINGS = 400_000;
  // varint length prefixes and fields, at their widest
  private static final int LENGTH = 5;
  private static final int LINE = 10;

  private final Map<String, Integer> utf8 = new HashMap<>();
  private final Set<String> shipped = new HashSet<>();
  private long total;
  private boolean full;

  /** True if {@code frames} (leaf first) fit, and then they count against the budget. */
  boolean admit(List<SiteFrame> frames) {
    if (full) {
      return false;
    }
    List<SiteFrame> written = frames.subList(0, Math.min(frames.size(), StackDictionary.MAX_FRAMES));
    long entry = 3 + LENGTH + (long) written.size() * (2 * LENGTH + LINE);
    long cost = 8 + LENGTH + (long) written.size() * (2 * LENGTH + LINE);
    Set<String> added = new HashSet<>();
    for (SiteFrame f : written) {
      int function = utf8.computeIfAbsent(f.function(), Utf8::length);
      int file = utf8.computeIfAbsent(f.file(), Utf8::length);
      entry += function + file;
      cost += newName(f.function(), function, added) + newName(f.file(), file, added);
    }
    if (entry > MAX_STACK_BYTES) {
      return false;
    }
    if (total + cost > MAX_SHIPPED_BYTES || shipped.size() + added.size() > MAX_STRINGS) {
      full = true;
      return false;
    }
    total += cost;
    shipped.addAll(added);
    return true;
  }

  /** What {@code name} adds to the record's string table: nothing when it is there already. */
  private long newName(String name, int utf8Length, Set<String> added) {
    return !shipped.contains(name) && added.add(name) ? LENGTH + utf8Length : 0;
  }
}
