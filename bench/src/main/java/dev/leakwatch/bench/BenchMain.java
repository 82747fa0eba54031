package dev.leakwatch.bench;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.util.Collection;
import java.util.Map;
import java.util.TreeMap;
import java.util.zip.GZIPInputStream;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.CommandLineOptions;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;

/**
 * Entry point of {@code bench/target/benchmarks.jar}: runs {@link DecodeBenchmark} (JMH options on
 * the command line override the defaults, e.g. {@code -f 2 -wi 3 -i 10}) and prints a summary table
 * with profiles/s, MB/s of compressed input, and decode time relative to plain gunzip.
 */
public final class BenchMain {
  private BenchMain() {}

  public static void main(String[] args) throws Exception {
    String testdata = BenchFixtures.testdata().toString();
    CommandLineOptions cli = new CommandLineOptions(args);
    OptionsBuilder builder = new OptionsBuilder();
    builder.parent(cli);
    if (cli.getIncludes().isEmpty()) {
      builder.include(DecodeBenchmark.class.getSimpleName());
    }
    Options options = builder.jvmArgsAppend("-Dleakwatch.testdata=" + testdata).build();
    Collection<RunResult> results = new Runner(options).run();
    printSummary(results);
  }

  private static void printSummary(Collection<RunResult> results) throws IOException {
    Map<String, Map<String, Double>> scores = new TreeMap<>();
    for (RunResult r : results) {
      String fixture = r.getParams().getParam("fixture");
      String bench = r.getParams().getBenchmark();
      bench = bench.substring(bench.lastIndexOf('.') + 1);
      scores.computeIfAbsent(fixture, k -> new TreeMap<>())
          .put(bench, r.getPrimaryResult().getScore());
    }
    System.out.println();
    System.out.println("| fixture | gz bytes | proto bytes | decode profiles/s | decode MB/s (gz) "
        + "| parse-only profiles/s | gunzip profiles/s | gunzip MB/s (gz) | decode ÷ gunzip time |");
    System.out.println("|---|---:|---:|---:|---:|---:|---:|---:|---:|");
    for (var e : scores.entrySet()) {
      byte[] gz = Files.readAllBytes(BenchFixtures.file(e.getKey()));
      int plain;
      try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(gz))) {
        plain = in.readAllBytes().length;
      }
      double decode = e.getValue().getOrDefault("decode", Double.NaN);
      double parse = e.getValue().getOrDefault("decodeUncompressed", Double.NaN);
      double gunzip = e.getValue().getOrDefault("gunzip", Double.NaN);
      System.out.printf("| %s | %d | %d | %.0f | %.1f | %.0f | %.0f | %.1f | %.2f |%n",
          e.getKey(), gz.length, plain, decode, decode * gz.length / 1e6, parse, gunzip,
          gunzip * gz.length / 1e6, gunzip / decode);
    }
  }
}
