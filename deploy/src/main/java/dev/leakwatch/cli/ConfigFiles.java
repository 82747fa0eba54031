package dev.leakwatch.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The first check of a configuration file named on the command line: whether it can be read at
 * all, said in one line ({@code cannot read FILE: no such file}) before any loader wraps the
 * reason in its own message.
 */
final class ConfigFiles {

  private ConfigFiles() {}

  /** Empty when {@code file} is a readable regular file, else {@code cannot read FILE: REASON}. */
  static Optional<String> unreadable(Path file) {
    String reason = !Files.exists(file) ? "no such file"
        : Files.isDirectory(file) ? "is a directory"
        : !Files.isReadable(file) ? "permission denied"
        : null;
    return Optional.ofNullable(reason).map(r -> "cannot read " + file + ": " + r);
  }
}
