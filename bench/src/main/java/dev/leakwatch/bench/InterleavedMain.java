package dev.leakwatch.bench;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.zip.GZIPInputStream;

/**
 * The decode ÷ gunzip ratio on a machine shared with other jobs, where JMH's benchmarks, run one
 * after the other, each see a different load. Here every fixture's operations run interleaved in
 * short rounds (default 25 rounds of 150 ms after a 1 s warm-up each), timed by the thread's own
 * CPU time, and the table shows per-operation medians: load changes hit all operations of a round
 * alike.
 *
 * <p>Usage: {@code java -cp bench/target/benchmarks.jar dev.leakwatch.bench.InterleavedMain
 * [--rounds N] [--fixtures a,b,...] [--baseline CLASSPATH]}. Fixtures are {@link BenchFixtures}
 * names, by default heap, goroutine, allocs and many-sites. With {@code --baseline}, the decoder
 * found on that class path (e.g. an older build's schemas jar plus protobuf-java) runs in the same
 * rounds in its own class loader, for before/after comparisons.
 */
public final class InterleavedMain {
  private static final long WARMUP_MS = 1000;
  private static final long ROUND_MS = 150;

  private InterleavedMain() {}

  private interface Op {
    Object run() throws Exception;
  }

  public static void main(String[] args) throws Exception {
    int rounds = 25;
    String baseline = null;
    List<String> fixtures = List.of("heap", "goroutine", "allocs", "many-sites");
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--rounds" -> rounds = Integer.parseInt(args[++i]);
        case "--fixtures" -> fixtures = List.of(args[++i].split(","));
        case "--baseline" -> baseline = args[++i];
        default -> throw new IllegalArgumentException("unknown argument " + args[i]
            + "; usage: [--rounds N] [--fixtures a,b,...] [--baseline CLASSPATH]");
      }
    }
    Method current = decoder(InterleavedMain.class.getClassLoader());
    Method old = baseline == null ? null : decoder(new URLClassLoader(urls(baseline),
        ClassLoader.getPlatformClassLoader()));
    System.out.println("| fixture | gunzip µs | decode µs | parse-only µs | decode ÷ gunzip"
        + (old == null ? "" : " | baseline decode µs | baseline parse-only µs | baseline ÷ gunzip")
        + " |");
    System.out.println("|---|---:|---:|---:|---:" + (old == null ? "" : "|---:|---:|---:") + "|");
    for (String fixture : fixtures) {
      System.out.println(row(fixture, current, old, rounds));
    }
  }

  private static String row(String fixture, Method current, Method old, int rounds)
      throws Exception {
    byte[] gz = Files.readAllBytes(BenchFixtures.file(fixture));
    byte[] plain;
    try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(gz))) {
      plain = in.readAllBytes();
    }
    byte[] out = new byte[plain.length + 1];
    List<Op> ops = new ArrayList<>(List.of(() -> BenchFixtures.gunzipInto(gz, out),
        () -> current.invoke(null, (Object) gz), () -> current.invoke(null, (Object) plain)));
    if (old != null) {
      ops.add(() -> old.invoke(null, (Object) gz));
      ops.add(() -> old.invoke(null, (Object) plain));
    }
    for (Op op : ops) {
      micros(op, WARMUP_MS);
    }
    double[][] t = new double[ops.size()][rounds];
    for (int r = 0; r < rounds; r++) {
      for (int i = 0; i < ops.size(); i++) {
        t[i][r] = micros(ops.get(i), ROUND_MS);
      }
    }
    double[] med = new double[ops.size()];
    for (int i = 0; i < med.length; i++) {
      Arrays.sort(t[i]);
      med[i] = t[i][rounds / 2];
    }
    String s = String.format("| %s | %.1f | %.1f | %.1f | %.2f", fixture, med[0], med[1], med[2],
        med[1] / med[0]);
    if (old != null) {
      s += String.format(" | %.1f | %.1f | %.2f", med[3], med[4], med[3] / med[0]);
    }
    return s + " |";
  }

  /** CPU time of this thread per call of {@code op}, in µs, over about {@code millis}. */
  private static double micros(Op op, long millis) throws Exception {
    var mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    long end = System.nanoTime() + millis * 1_000_000L;
    long start = mx.getCurrentThreadCpuTime();
    long n = 0;
    Object sink = null;
    while (System.nanoTime() < end) {
      try {
        sink = op.run();
      } catch (InvocationTargetException e) {
        throw new IllegalStateException("decode failed", e.getCause());
      }
      n++;
    }
    if (sink == null) {
      throw new IllegalStateException("no result");
    }
    return (mx.getCurrentThreadCpuTime() - start) / 1e3 / n;
  }

  private static Method decoder(ClassLoader loader) throws ReflectiveOperationException {
    return loader.loadClass("dev.leakwatch.pprof.ProfileDecoder").getMethod("decode", byte[].class);
  }

  private static URL[] urls(String classPath) throws IOException {
    String[] parts = classPath.split(java.io.File.pathSeparator);
    URL[] urls = new URL[parts.length];
    for (int i = 0; i < parts.length; i++) {
      urls[i] = Path.of(parts[i]).toUri().toURL();
    }
    return urls;
  }
}
