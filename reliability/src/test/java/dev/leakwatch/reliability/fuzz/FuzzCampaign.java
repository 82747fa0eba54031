package dev.leakwatch.reliability.fuzz;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Feeds a {@link FuzzTarget} a seeded stream of inputs and watches each one.
 *
 * <p>Each input runs on a worker thread while this thread waits at most the per-input bound (a
 * watchdog, not a speed assertion: the bound is orders of magnitude above the normal decode
 * time): an input still running then is a hang. An input that throws anything but the target's
 * typed rejection, breaks the contract, or runs out of memory is a failure. Failing inputs are
 * written to {@code failureDir} so they can be replayed. The outcome classes act as the coverage
 * signal: the first input of every new class joins the pool that later inputs are mutated from.
 * Not thread-safe; one campaign at a time per target.
 */
final class FuzzCampaign {

  /** Where to get the next input: from scratch or by mutating one of the pool. */
  interface InputSource {
    byte[] next(SplittableRandom rnd, List<byte[]> pool);
  }

  /** One failing input. */
  record Failure(long index, String what, Path saved) {}

  /**
   * @param classes inputs per outcome class
   * @param smallestByClass the smallest input that produced each class (what the corpus keeps)
   */
  record Report(String target, long seed, int inputs, Map<String, Integer> classes,
      Map<String, byte[]> smallestByClass, List<Failure> failures) {

    String summary() {
      StringBuilder s = new StringBuilder(target + ": seed " + seed + ", " + inputs + " inputs, "
          + classes.size() + " outcome classes, " + failures.size() + " failures");
      classes.forEach((c, n) -> s.append("\n  ").append(n).append("\t").append(c));
      failures.forEach(f -> s.append("\nFAILURE #").append(f.index()).append(" saved as ")
          .append(f.saved()).append(": ").append(f.what()));
      return s.toString();
    }
  }

  private static final int MAX_FAILURES = 20;

  private FuzzCampaign() {}

  static Report run(FuzzTarget target, long seed, int iterations, Duration perInputBound,
      InputSource source, Path failureDir) {
    SplittableRandom rnd = new SplittableRandom(seed);
    Map<String, Integer> classes = new TreeMap<>();
    Map<String, byte[]> smallest = new LinkedHashMap<>();
    List<byte[]> pool = new ArrayList<>();
    List<Failure> failures = new ArrayList<>();
    ExecutorService worker = newWorker(target);
    int i = 0;
    try {
      for (; i < iterations && failures.size() < MAX_FAILURES; i++) {
        byte[] input = source.next(rnd, pool);
        Future<String> outcome = worker.submit(() -> target.run(input));
        try {
          String c = outcome.get(perInputBound.toMillis(), TimeUnit.MILLISECONDS);
          if (classes.merge(c, 1, Integer::sum) == 1) {
            pool.add(input);
          }
          smallest.merge(c, input, (a, b) -> b.length < a.length ? b : a);
        } catch (TimeoutException e) {
          outcome.cancel(true);
          failures.add(new Failure(i, "still running after " + perInputBound + " (hang)",
              save(failureDir, target, i, input)));
          // the stuck thread is abandoned (daemon); the campaign stops at a hang
          break;
        } catch (ExecutionException e) {
          failures.add(new Failure(i, stackTrace(e.getCause()), save(failureDir, target, i, input)));
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new IllegalStateException("fuzz campaign interrupted", e);
        }
      }
    } finally {
      worker.shutdownNow();
    }
    return new Report(target.name(), seed, i, classes, smallest, failures);
  }

  private static ExecutorService newWorker(FuzzTarget target) {
    return Executors.newSingleThreadExecutor(r -> {
      Thread t = new Thread(r, "fuzz-" + target.name());
      t.setDaemon(true);
      return t;
    });
  }

  private static Path save(Path dir, FuzzTarget target, int index, byte[] input) {
    try {
      Files.createDirectories(dir);
      return Files.write(dir.resolve(target.name() + "-" + index + ".bin"), input);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String stackTrace(Throwable t) {
    StringWriter w = new StringWriter();
    t.printStackTrace(new PrintWriter(w));
    return w.toString();
  }
}
