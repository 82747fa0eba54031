package dev.leakwatch.query;

import dev.leakwatch.topology.window.StackValues;
import java.util.Arrays;
import java.util.Locale;

/**
 * What a top or diff ranks stacks by. Heap metrics read the heap section of the service windows,
 * {@link #GOROUTINES} the goroutine section. Names are those of Go's sample types.
 */
public enum Metric {
  /** In-use bytes at the capture (summed over captures in a range). */
  INUSE_SPACE("inuse_space", Section.HEAP, "bytes"),
  /** In-use objects at the capture. */
  INUSE_OBJECTS("inuse_objects", Section.HEAP, "objects"),
  /** Bytes allocated since the instance's previous capture. */
  ALLOC_SPACE("alloc_space", Section.HEAP, "bytes"),
  /** Objects allocated since the instance's previous capture. */
  ALLOC_OBJECTS("alloc_objects", Section.HEAP, "objects"),
  /** Goroutines with the stack at the capture. */
  GOROUTINES("goroutines", Section.GOROUTINE, "goroutines");

  private final String label;
  private final Section section;
  private final String unit;

  Metric(String label, Section section, String unit) {
    this.label = label;
    this.section = section;
    this.unit = unit;
  }

  /** The API name, e.g. {@code inuse_space}. */
  public String label() {
    return label;
  }

  public Section section() {
    return section;
  }

  /** Unit of a value: bytes, objects or goroutines. */
  public String unit() {
    return unit;
  }

  /** This metric's counter in a window entry. */
  public long of(StackValues v) {
    return switch (this) {
      case INUSE_SPACE -> v.inuseBytes();
      case INUSE_OBJECTS -> v.inuseObjects();
      case ALLOC_SPACE -> v.allocBytes();
      case ALLOC_OBJECTS -> v.allocObjects();
      case GOROUTINES -> v.goroutines();
    };
  }

  static Metric parse(String param, String raw) {
    for (Metric m : values()) {
      if (m.label.equals(raw.toLowerCase(Locale.ROOT))) {
        return m;
      }
    }
    throw new InvalidParameterException(param, raw, "must be one of "
        + String.join(", ", Arrays.stream(values()).map(Metric::label).toList()));
  }
}
