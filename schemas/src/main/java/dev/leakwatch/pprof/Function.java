package dev.leakwatch.pprof;

import java.util.Objects;

/**
 * An entry of a profile's function table.
 *
 * <p>Immutable and thread-safe, with value equality over its five components. A decoded function
 * keeps string indexes into its profile's table (checked by the decoder) and its strings are
 * decoded on first use.
 */
public final class Function {
  private final long id;
  private final long startLine;
  // either the strings themselves (table null) or their indexes in the profile's string table
  private final StringTable table;
  private final String name;
  private final String systemName;
  private final String file;
  private final int nameIndex;
  private final int systemNameIndex;
  private final int fileIndex;

  /**
   * @param id the non-zero id the profile gave it (unique within one profile only)
   * @param name human-readable name; never null
   * @param systemName linker symbol; never null, empty when unknown
   * @param file source file; never null, empty when unknown
   * @param startLine first line of the declaration, 0 when unknown
   */
  public Function(long id, String name, String systemName, String file, long startLine) {
    this.id = id;
    this.name = Objects.requireNonNull(name, "name");
    this.systemName = Objects.requireNonNull(systemName, "systemName");
    this.file = Objects.requireNonNull(file, "file");
    this.startLine = startLine;
    this.table = null;
    this.nameIndex = 0;
    this.systemNameIndex = 0;
    this.fileIndex = 0;
  }

  /** A decoded function whose strings are entries of {@code table} (indexes already checked). */
  Function(long id, StringTable table, int nameIndex, int systemNameIndex, int fileIndex,
      long startLine) {
    this.id = id;
    this.startLine = startLine;
    this.table = table;
    this.name = null;
    this.systemName = null;
    this.file = null;
    this.nameIndex = nameIndex;
    this.systemNameIndex = systemNameIndex;
    this.fileIndex = fileIndex;
  }

  /** The non-zero id the profile gave it (unique within one profile only). */
  public long id() {
    return id;
  }

  /** Human-readable name; never null. */
  public String name() {
    return table == null ? name : table.get(nameIndex);
  }

  /** Linker symbol; never null, empty when unknown. */
  public String systemName() {
    return table == null ? systemName : table.get(systemNameIndex);
  }

  /** Source file; never null, empty when unknown. */
  public String file() {
    return table == null ? file : table.get(fileIndex);
  }

  /** First line of the declaration, 0 when unknown. */
  public long startLine() {
    return startLine;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Function f
        && id == f.id
        && startLine == f.startLine
        && name().equals(f.name())
        && systemName().equals(f.systemName())
        && file().equals(f.file());
  }

  @Override
  public int hashCode() {
    return Objects.hash(id, name(), systemName(), file(), startLine);
  }

  @Override
  public String toString() {
    return "Function[id=" + id + ", name=" + name() + ", systemName=" + systemName() + ", file="
        + file() + ", startLine=" + startLine + "]";
  }
}
