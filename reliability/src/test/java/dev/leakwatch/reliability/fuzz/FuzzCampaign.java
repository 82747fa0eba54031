package dev.leakwatch.reliability.fuzz;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.lang.management.ManagementFactory;
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
 * typed rejection, breaks the contract, runs out of memory, or allocates more than the target's
 * {@link FuzzTarget#allocationBudget} (the bytes its worker thread allocated for that input, as
 * the JVM counts them: an upper bound of what the input could hold at once) is a failure. Failing inputs are
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

  /** The input that allocated most: how many bytes, its outcome class, its size. */
  record LargestAllocation(long bytes, String outcomeClass, int inputBytes) {
    static final LargestAllocation NONE = new LargestAllocation(0, "(none)", 0);
  }

  /**
   * @param classes inputs per outcome class
   * @param smallestByClass the smallest input that produced each class (what the corpus keeps)
   * @param largestAllocation the input whose run allocated most on the worker thread
   */
  record Report(String target, long seed, int inputs, Map<String, Integer> classes,
      Map<String, byte[]> smallestByClass, LargestAllocation largestAllocation, List<Failure> failures) {

    String summary() {
      StringBuilder s = new StringBuilder(target + ": seed " + seed + ", " + inputs + " inputs, "
          + classes.size() + " outcome classes, " + failures.size() + " failures; largest allocation "
          + (largestAllocation.bytes() >> 10) + " KiB for one input (" + largestAllocation.inputBytes()
          + " bytes, " + largestAllocation.outcomeClass() + ")");
      classes.forEach((c, n) -> s.append("\n  ").append(n).append("\t").append(c));
      failures.forEach(f -> s.append("\nFAILURE #").append(f.index()).append(" saved as ")
          .append(f.saved()).append(": ").append(f.what()));
      return s.toString();
    }
  }

  private static final int MAX_FAILURES = 20;
  private static final com.sun.management.ThreadMXBean THREADS =
      (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

  /** One input's outcome class and the bytes its run allocated on the worker thread. */
  private record Outcome(String outcomeClass, long allocated) {}

  private FuzzCampaign() {}

  static Report run(FuzzTarget target, long seed, int iterations, Duration perInputBound,
      InputSource source, Path failureDir) {
    SplittableRandom rnd = new SplittableRandom(seed);
    Map<String, Integer> classes = new TreeMap<>();
    Map<String, byte[]> smallest = new LinkedHashMap<>();
    List<byte[]> pool = new ArrayList<>();
    List<Failure> failures = new ArrayList<>();
    LargestAllocation largest = LargestAllocation.NONE;
    ExecutorService worker = newWorker(target);
    int i = 0;
    try {
      for (; i < iterations && failures.size() < MAX_FAILURES; i++) {
        byte[] input = source.next(rnd, pool);
        boolean first = i == 0;
        Future<Outcome> outcome = worker.submit(() -> {
          if (first) {
            warmUp(target, input);
          }
          long before = THREADS.getCurrentThreadAllocatedBytes();
          String c = target.run(input);
          return new Outcome(c, THREADS.getCurrentThreadAllocatedBytes() - before);
        });
        try {
          Outcome o = outcome.get(perInputBound.toMillis(), TimeUnit.MILLISECONDS);
          String c = o.outcomeClass();
          if (classes.merge(c, 1, Integer::sum) == 1) {
            pool.add(input);
          }
          smallest.merge(c, input, (a, b) -> b.length < a.length ? b : a);
          if (o.allocated() > largest.bytes()) {
            largest = new LargestAllocation(o.allocated(), c, input.length);
          }
          long budget = target.allocationBudget(input.length);
          if (o.allocated() > budget) {
            failures.add(new Failure(i, "allocated " + o.allocated() + " bytes for a " + input.length
                + "-byte input (" + c + "), over the budget of " + budget, save(failureDir, target, i, input)));
          }
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
    return new Report(target.name(), seed, i, classes, smallest, largest, failures);
  }

  /**
   * Runs the first input once unmeasured: a target's first run also pays for what is done once
   * (class loading, schema parsing, caches), which is no input's doing. Its outcome is that of the
   * measured run that follows.
   */
  private static void warmUp(FuzzTarget target, byte[] input) {
    try {
      target.run(input);
    } catch (RuntimeException | AssertionError e) {
      // judged on the measured run
    }
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
