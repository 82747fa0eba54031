package dev.leakwatch.cli;

import dev.leakwatch.bench.BenchProfiles;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** Options every {@code bench} subcommand shares: where the recorded profiles and scratch state live. */
public final class BenchOptions {

  @Option(names = "--testdata", paramLabel = "DIR",
      description = "the repository's testdata directory (default: $LEAKWATCH_HOME/testdata, else ./testdata)")
  Path testdata;

  @Option(names = "--work-dir", paramLabel = "DIR",
      description = "scratch directory for RocksDB state and the broker (default: .leakwatch/bench; not under /tmp,"
          + " where Streams warns and RocksDB may share a small tmpfs)")
  Path workDir;

  Path testdata() {
    return testdata != null ? testdata : BenchProfiles.defaultTestdata();
  }

  Path workDir() {
    if (workDir != null) {
      return workDir.toAbsolutePath();
    }
    String home = System.getenv("LEAKWATCH_HOME");
    return Path.of(home != null ? home : ".", ".leakwatch", "bench").toAbsolutePath().normalize();
  }
}
