package dev.leakwatch.cli;

import java.nio.file.Path;

/**
 * The directory {@code ./leakwatch} runs from: {@code $LEAKWATCH_HOME} (the launcher sets it to the
 * repository), else the current directory. Local data ({@code .leakwatch/}) and the demo's
 * recorded profiles ({@code testdata/corpus}) are found relative to it, whatever the caller's
 * working directory.
 */
final class LeakwatchHome {

  private LeakwatchHome() {}

  static Path dir() {
    String home = System.getenv("LEAKWATCH_HOME");
    return Path.of(home != null ? home : ".").toAbsolutePath().normalize();
  }

  /** {@code <home>/.leakwatch/<name>}: git-ignored local data. */
  static Path localData(String name) {
    return dir().resolve(".leakwatch").resolve(name);
  }
}
