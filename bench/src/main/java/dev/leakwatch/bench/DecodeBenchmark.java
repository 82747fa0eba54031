package dev.leakwatch.bench;

import dev.leakwatch.pprof.Profile;
import dev.leakwatch.pprof.ProfileDecoder;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPInputStream;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Decoding recorded Go profiles (gzip'd, as served) with {@link ProfileDecoder}, against plain
 * gunzip of the same bytes and against decoding the already-inflated protobuf. Scores are
 * profiles per second; {@link BenchMain} adds MB/s of compressed input.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
public class DecodeBenchmark {
  @Param({"heap", "goroutine", "allocs", "many-sites", "heap-300", "goroutine-300", "allocs-300", "heap-1200",
      "goroutine-1200", "allocs-1200", "heap-4800", "goroutine-4800", "allocs-4800"})
  public String fixture;

  private byte[] gz;
  private byte[] plain;
  private byte[] out;

  @Setup
  public void load() throws IOException {
    gz = Files.readAllBytes(BenchFixtures.file(fixture));
    try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(gz))) {
      plain = in.readAllBytes();
    }
    out = new byte[plain.length + 1];
  }

  /** The full job: gunzip (bounded) + parse + resolve into a {@link Profile}. */
  @Benchmark
  public Profile decode() {
    return ProfileDecoder.decode(gz);
  }

  /** Parse + resolve only, from the inflated protobuf. */
  @Benchmark
  public Profile decodeUncompressed() {
    return ProfileDecoder.decode(plain);
  }

  /** Baseline: inflate the same bytes into a reused buffer, nothing else. */
  @Benchmark
  public int gunzip() throws IOException {
    return BenchFixtures.gunzipInto(gz, out);
  }
}
