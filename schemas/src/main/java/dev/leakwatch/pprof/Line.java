package dev.leakwatch.pprof;

import java.util.Objects;

/**
 * One source position of a {@link Location}: a location holds several when calls were inlined.
 *
 * @param function the function executing at this position; never null
 * @param line source line, 0 when unknown
 * @param column source column, 0 when unknown
 */
public record Line(Function function, long line, long column) {
  public Line {
    Objects.requireNonNull(function, "function");
  }
}
