package dev.leakwatch.pprof;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.List;
import java.util.Objects;

/**
 * An entry of a profile's location table: one program counter and the source positions it maps to.
 *
 * <p>Immutable and thread-safe. Its {@link #frames()} are built once, on first use, so every sample
 * passing through this location shares the same {@link Frame} objects instead of allocating its
 * own.
 */
public final class Location {
  private static final VarHandle FRAMES;
  private static final VarHandle LINES;

  static {
    try {
      FRAMES = MethodHandles.lookup().findVarHandle(Location.class, "frames", List.class);
      LINES = MethodHandles.lookup().findVarHandle(Location.class, "lines", List.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  private final long id;
  private final Mapping mapping;
  private final long address;
  // Decoded locations build their lines on first use from the profile's table (null until then) and
  // publish them once like the frames. Not volatile: the immutable list is safe to read through a
  // race (final fields), and a thread that sees null builds an equal one and takes the published.
  private final LineTable lineTable;
  private final int lineStart;
  private final int lineCount;
  private List<Line> lines;
  private final boolean folded;
  private final int frameCount;
  // Built on first use and published once (compare-and-set), so every caller sees the same Frames.
  private volatile List<Frame> frames;

  /**
   * @param id non-zero id, unique within its profile
   * @param mapping the mapping holding {@code address}, or null when the profile names none
   * @param address program counter (unsigned), 0 when unknown
   * @param lines source positions, innermost inlined callee first; may be empty
   * @param folded the location was merged from several ({@code is_folded})
   */
  public Location(long id, Mapping mapping, long address, List<Line> lines, boolean folded) {
    this.id = id;
    this.mapping = mapping;
    this.address = address;
    this.lines = List.copyOf(Objects.requireNonNull(lines, "lines"));
    this.lineTable = null;
    this.lineStart = 0;
    this.lineCount = this.lines.size();
    this.folded = folded;
    this.frameCount = Math.max(1, this.lines.size());
  }

  /**
   * A decoded location whose lines are entries {@code [lineStart, lineStart + lineCount)} of {@code
   * table}, made into {@link Line}s on first use.
   */
  Location(long id, Mapping mapping, long address, boolean folded, LineTable table, int lineStart,
      int lineCount) {
    this.id = id;
    this.mapping = mapping;
    this.address = address;
    this.lineTable = table;
    this.lineStart = lineStart;
    this.folded = folded;
    this.lineCount = lineCount;
    this.frameCount = Math.max(1, lineCount);
  }

  private static List<Frame> framesOf(long address, List<Line> lines) {
    if (lines.isEmpty()) {
      // No symbol information: name the frame by its address, as pprof does.
      return List.of(new Frame("0x" + Long.toHexString(address), "", "", 0, 0, 0));
    }
    Frame[] out = new Frame[lines.size()];
    for (int i = 0; i < out.length; i++) {
      Line l = lines.get(i);
      Function f = l.function();
      out[i] = new Frame(f.name(), f.systemName(), f.file(), l.line(), l.column(), f.startLine());
    }
    return List.of(out);
  }

  public long id() {
    return id;
  }

  /** The mapping holding this location's address; null when the profile names none. */
  public Mapping mapping() {
    return mapping;
  }

  /** Program counter as an unsigned 64-bit value; 0 when unknown. */
  public long address() {
    return address;
  }

  /** Source positions, innermost inlined callee first (the last one is the real caller). */
  public List<Line> lines() {
    List<Line> l = lines;
    if (l == null) {
      List<Line> built = lineTable.lines(lineStart, lineCount);
      @SuppressWarnings("unchecked")
      List<Line> earlier = (List<Line>) LINES.compareAndExchange(this, null, built);
      l = earlier == null ? built : earlier;
    }
    return l;
  }

  public boolean isFolded() {
    return folded;
  }

  /**
   * The frames of this location, callee first; one per line, or a single address-named frame when
   * the location has no line information. Never empty.
   */
  public List<Frame> frames() {
    List<Frame> f = frames;
    if (f == null) {
      List<Frame> built = framesOf(address, lines());
      @SuppressWarnings("unchecked")
      List<Frame> earlier = (List<Frame>) FRAMES.compareAndExchange(this, null, built);
      f = earlier == null ? built : earlier;
    }
    return f;
  }

  /** {@code frames().size()} without building them (for the decoder's hot loop). */
  int frameCount() {
    return frameCount;
  }

  /** Value equality over id, mapping, address, lines and the folded flag. */
  @Override
  public boolean equals(Object o) {
    return o instanceof Location other
        && id == other.id
        && address == other.address
        && folded == other.folded
        && Objects.equals(mapping, other.mapping)
        && lines().equals(other.lines());
  }

  @Override
  public int hashCode() {
    return Objects.hash(id, address, folded, mapping, lines());
  }

  @Override
  public String toString() {
    return "Location{id=" + id + ", frames=" + frames() + "}";
  }
}
