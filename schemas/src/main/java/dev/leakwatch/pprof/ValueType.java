package dev.leakwatch.pprof;

import java.util.Objects;

/**
 * A sample or period type of a profile, e.g. {@code inuse_space/bytes} or {@code goroutine/count}.
 *
 * @param type the quantity measured, never null (empty when the profile leaves it unset)
 * @param unit the unit of the values, e.g. {@code bytes}, {@code count}, {@code nanoseconds}; never
 *     null (empty when unset)
 */
public record ValueType(String type, String unit) {
  public ValueType {
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(unit, "unit");
  }

  @Override
  public String toString() {
    return type + "/" + unit;
  }
}
