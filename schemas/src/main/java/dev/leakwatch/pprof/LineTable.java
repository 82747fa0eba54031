package dev.leakwatch.pprof;

import java.util.List;

/**
 * The source lines of every location of one decoded profile, flat and already checked (each names a
 * function of the profile): a location owns entries {@code [start, start + count)} and turns them
 * into {@link Line}s only when they are asked for, since most consumers of a profile look at the
 * lines of few locations, or at none; functions are looked up by id only then. Immutable once
 * built.
 */
final class LineTable {
  private final IdTable<Function> functions;
  private final long[] functionIds;
  private final long[] lines;
  private final long[] columns;

  /**
   * Over arrays that nobody writes to any more, entry {@code j} being line {@code lines[j]} of the
   * function with id {@code functionIds[j]}, which {@code functions} holds.
   */
  LineTable(IdTable<Function> functions, long[] functionIds, long[] lines, long[] columns) {
    this.functions = functions;
    this.functionIds = functionIds;
    this.lines = lines;
    this.columns = columns;
  }

  /** Entries {@code [start, start + count)} as an immutable list. */
  List<Line> lines(int start, int count) {
    Line[] out = new Line[count];
    for (int j = 0; j < count; j++) {
      out[j] = new Line(functions.get(functionIds[start + j]), lines[start + j],
          columns[start + j]);
    }
    return List.of(out);
  }
}
