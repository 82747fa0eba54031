package dev.leakwatch.bench;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.zip.GZIPInputStream;

/**
 * The recorded Go profiles the benchmarks decode, by kind. The {@code testdata} directory comes from
 * the system property {@code leakwatch.testdata}, else {@code ./testdata}.
 */
final class BenchFixtures {
  /**
   * Fixture → file under testdata: the corpus files the golden outputs were recorded from, and the
   * larger profiles of goleaker's wide-sites scenario at 300, 1200 and 4800 allocation sites (one
   * parked goroutine per site), recorded by {@code testdata/bench/record.sh}.
   */
  static final Map<String, String> FILES = Map.ofEntries(
      Map.entry("heap", "corpus/G_session-store/replica-0/0034-heap.pb.gz"),
      Map.entry("goroutine", "corpus/L_ws-gateway/replica-1/0034-goroutine.pb.gz"),
      Map.entry("allocs", "corpus/G_session-store/replica-1/0030-allocs.pb.gz"),
      Map.entry("many-sites", "corpus/N_profile-heavy/replica-0/0034-heap.pb.gz"),
      Map.entry("heap-300", "bench/sites-300/0040-heap.pb.gz"),
      Map.entry("goroutine-300", "bench/sites-300/0040-goroutine.pb.gz"),
      Map.entry("allocs-300", "bench/sites-300/0040-allocs.pb.gz"),
      Map.entry("heap-1200", "bench/sites-1200/0040-heap.pb.gz"),
      Map.entry("goroutine-1200", "bench/sites-1200/0040-goroutine.pb.gz"),
      Map.entry("allocs-1200", "bench/sites-1200/0040-allocs.pb.gz"),
      Map.entry("heap-4800", "bench/sites-4800/0040-heap.pb.gz"),
      Map.entry("goroutine-4800", "bench/sites-4800/0040-goroutine.pb.gz"),
      Map.entry("allocs-4800", "bench/sites-4800/0040-allocs.pb.gz"));

  private BenchFixtures() {}

  static Path testdata() {
    Path p = configuredTestdata();
    if (!Files.isDirectory(p.resolve("corpus"))) {
      throw new IllegalStateException("no recorded corpus under " + p
          + "; run from the repository root or pass -Dleakwatch.testdata=DIR");
    }
    return p;
  }

  /**
   * The baseline operation: inflates {@code gz} into {@code out} (large enough) with plain {@link
   * GZIPInputStream}; returns the inflated length.
   */
  static int gunzipInto(byte[] gz, byte[] out) throws IOException {
    int n = 0;
    try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(gz), 64 * 1024)) {
      for (int r; (r = in.read(out, n, out.length - n)) > 0; ) {
        n += r;
      }
    }
    return n;
  }

  /** The testdata directory as configured, whether or not it exists. */
  static Path configuredTestdata() {
    return Path.of(System.getProperty("leakwatch.testdata", "testdata")).toAbsolutePath();
  }

  static Path file(String kind) {
    String f = FILES.get(kind);
    if (f == null) {
      throw new IllegalArgumentException("unknown fixture " + kind + ", one of " + FILES.keySet());
    }
    return testdata().resolve(f);
  }
}
