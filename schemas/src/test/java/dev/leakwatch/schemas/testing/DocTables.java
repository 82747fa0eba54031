package dev.leakwatch.schemas.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The reference tables of this checkout's Markdown (README.md, docs/*.md), for tests that hold the
 * code to what users read: a table is the pipe-delimited lines after a given heading; a cell's names
 * are its {@code `code`} spans. Kept deliberately small: no Markdown library, no nested tables.
 */
public final class DocTables {
  private static final Pattern CODE = Pattern.compile("`([^`]+)`");
  private static final Pattern CELL_SEPARATOR = Pattern.compile("(?<!\\\\)\\|");

  private DocTables() {}

  /** The checkout's root: the parent of {@code leakwatch.testdata} (set by the build), else found upwards. */
  public static Path root() {
    String testdata = System.getProperty("leakwatch.testdata");
    if (testdata != null && Files.isDirectory(Path.of(testdata).resolveSibling("docs"))) {
      return Path.of(testdata).toAbsolutePath().getParent();
    }
    for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
      if (Files.isDirectory(p.resolve("docs")) && Files.isRegularFile(p.resolve("README.md"))) {
        return p;
      }
    }
    throw new IllegalStateException("no checkout with docs/ above " + Path.of("").toAbsolutePath());
  }

  /** The text of {@code file}, relative to the checkout's root (e.g. {@code docs/INGEST.md}). */
  public static String read(String file) {
    try {
      return Files.readString(root().resolve(file));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * The body rows (cells trimmed, {@code \|} read as {@code |}) of the first table after the line
   * {@code heading} of {@code file}; fails when there is no such heading or table.
   */
  public static List<List<String>> table(String file, String heading) {
    List<String> lines = read(file).lines().toList();
    int at = lines.indexOf(heading);
    if (at < 0) {
      throw new AssertionError(file + " has no line '" + heading + "'");
    }
    List<List<String>> rows = new ArrayList<>();
    int i = at + 1;
    while (i < lines.size() && !lines.get(i).startsWith("|")) {
      i++;
    }
    for (i += 2; i < lines.size() && lines.get(i).startsWith("|"); i++) { // past the header and |---|
      String line = lines.get(i).strip();
      String[] cells = CELL_SEPARATOR.split(line.substring(1, line.endsWith("|") ? line.length() - 1 : line.length()), -1);
      List<String> row = new ArrayList<>();
      for (String c : cells) {
        row.add(c.strip().replace("\\|", "|"));
      }
      rows.add(row);
    }
    if (rows.isEmpty()) {
      throw new AssertionError(file + " has no table after '" + heading + "'");
    }
    return rows;
  }

  /** The {@code `code`} spans of {@code text}, in order. */
  public static List<String> code(String text) {
    List<String> out = new ArrayList<>();
    Matcher m = CODE.matcher(text);
    while (m.find()) {
      out.add(m.group(1));
    }
    return out;
  }
}
