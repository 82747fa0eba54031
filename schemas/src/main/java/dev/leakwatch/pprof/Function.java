package dev.leakwatch.pprof;

import java.util.Objects;

/**
 * An entry of a profile's function table.
 *
 * @param id the non-zero id the profile gave it (unique within one profile only)
 * @param name human-readable name; never null
 * @param systemName linker symbol; never null, empty when unknown
 * @param file source file; never null, empty when unknown
 * @param startLine first line of the declaration, 0 when unknown
 */
public record Function(long id, String name, String systemName, String file, long startLine) {
  public Function {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(systemName, "systemName");
    Objects.requireNonNull(file, "file");
  }
}
