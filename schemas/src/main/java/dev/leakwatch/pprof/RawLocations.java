package dev.leakwatch.pprof;

import java.util.Arrays;

/**
 * The location records of a profile as read, with their lines, ids still unresolved: parallel
 * arrays with one count per table, so that adding a record checks the capacity once. Location
 * {@code i} (valid in {@code [0, count)}) owns lines {@code [lineStart[i], lineStart[i] +
 * lineCount[i])} (valid in {@code [0, lines)}); {@code offset[i]} is where its record starts, for
 * error messages.
 *
 * <p>Part of the per-thread scratch ({@link RawProfile}): {@link #clear} empties it for the next
 * profile, keeping the capacity.
 */
final class RawLocations {
  long[] id;
  long[] mapping;
  long[] address;
  boolean[] folded;
  int[] lineStart;
  int[] lineCount;
  int[] offset;
  int count;

  long[] function;
  long[] number;
  long[] column;
  int lines;

  /** Empty, with room for {@code capacity} locations and as many lines. */
  RawLocations(int capacity) {
    int n = Math.max(4, capacity);
    id = new long[n];
    mapping = new long[n];
    address = new long[n];
    folded = new boolean[n];
    lineStart = new int[n];
    lineCount = new int[n];
    offset = new int[n];
    function = new long[n];
    number = new long[n];
    column = new long[n];
  }

  /** Empties both tables. */
  void clear() {
    count = 0;
    lines = 0;
  }

  /** Appends the location at {@code off} whose lines are {@code [lineStart, lines)}. */
  void add(int off, long id, long mapping, long address, boolean folded, int lineStart) {
    int i = count;
    if (i == this.id.length) {
      int n = 2 * i;
      this.id = Arrays.copyOf(this.id, n);
      this.mapping = Arrays.copyOf(this.mapping, n);
      this.address = Arrays.copyOf(this.address, n);
      this.folded = Arrays.copyOf(this.folded, n);
      this.lineStart = Arrays.copyOf(this.lineStart, n);
      this.lineCount = Arrays.copyOf(this.lineCount, n);
      this.offset = Arrays.copyOf(this.offset, n);
    }
    this.offset[i] = off;
    this.id[i] = id;
    this.mapping[i] = mapping;
    this.address[i] = address;
    this.folded[i] = folded;
    this.lineStart[i] = lineStart;
    this.lineCount[i] = lines - lineStart;
    count = i + 1;
  }

  /** Appends a line of the location being read. */
  void addLine(long function, long line, long column) {
    int j = lines;
    if (j == this.function.length) {
      int n = 2 * j;
      this.function = Arrays.copyOf(this.function, n);
      this.number = Arrays.copyOf(this.number, n);
      this.column = Arrays.copyOf(this.column, n);
    }
    this.function[j] = function;
    this.number[j] = line;
    this.column[j] = column;
    lines = j + 1;
  }

  /** The most lines the next location may have: the depth limit, or what maxLines leaves. */
  int linesAllowed(DecodeLimits limits) {
    return Math.min(limits.maxStackDepth(), limits.maxLines() - lines);
  }

  /** Drops the lines from the {@code size}-th on, added by a reader that gave up on a location. */
  void truncateLines(int size) {
    lines = size;
  }
}
