package dev.leakwatch.pprof;

import java.util.Objects;

/**
 * One frame of a call stack after inline expansion: a function at a source position.
 *
 * <p>Frames are shared: every sample whose stack passes through the same location reuses the same
 * {@code Frame} instances, so identity comparisons are cheap but equality is by value.
 *
 * @param function human-readable function name, e.g. {@code example.com/pkg.(*Type).Method}; never
 *     null. For a location without line information it is the location's address as {@code 0x…}
 *     hex, which is also how {@code go tool pprof} names such nodes.
 * @param systemName linker symbol name; never null, empty when unknown
 * @param file source file; never null, empty when unknown
 * @param line source line, 0 when unknown
 * @param column source column, 0 when unknown
 * @param startLine first line of the function's declaration, 0 when unknown
 */
public record Frame(
    String function, String systemName, String file, long line, long column, long startLine) {
  public Frame {
    Objects.requireNonNull(function, "function");
    Objects.requireNonNull(systemName, "systemName");
    Objects.requireNonNull(file, "file");
  }
}
