package dev.leakwatch.demo;

import dev.leakwatch.processor.ProcessorConfig;
import dev.leakwatch.query.ApiPaths;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.function.BooleanSupplier;

/**
 * What {@code demo} and {@code local} share: a {@link LocalStack} in a fresh {@link RunDirectory},
 * the UI's and the API's URLs, a follower printing every leak-suspect event as it is committed (one {@link
 * SuspectLine} each, then the URL of its details) and tallying them, and the wait for the end of
 * the run.
 */
public final class LocalSession implements AutoCloseable {

  /** Why a run ended. */
  public enum Ending {
    /** Ctrl-C (or the caller's stop). */
    STOPPED,
    /** {@code --duration} ran out. */
    DURATION,
    /** The caller's completion condition held. */
    DONE,
    /** The broker or the processor died. */
    FAILED
  }

  private static final Duration CHECK_EVERY = Duration.ofMillis(500);

  private final RunDirectory run;
  private final LocalStack stack;
  private final SuspectTally tally = new SuspectTally();
  private final SuspectFollower follower;

  private LocalSession(RunDirectory run, LocalStack stack, PrintWriter out, PrintWriter err) {
    this.run = run;
    this.stack = stack;
    this.follower = new SuspectFollower(stack.clientConfig(), stack.processorConfig().topology().suspectsTopic(),
        true, e -> {
          tally.add(e);
          out.println(SuspectLine.format(e));
          out.println("  " + stack.apiBase() + ApiPaths.fill(ApiPaths.SERVICE_SUSPECT, e.getService(), e.getSuspectId()));
          out.flush();
        }, problem -> {
          err.println("suspects: " + problem);
          err.flush();
        }).start();
  }

  /**
   * Starts broker and processor in a new run directory under {@code workBase}.
   *
   * @param apiPort port of the query API (0: a free one)
   * @param stop a stop while the broker or the processor is starting ends the start at once
   * @param out where the API's URLs and suspect lines go
   * @param err where unreadable suspect records are reported
   * @throws StoppedWhileStartingException when {@code stop} came before the broker and the processor were up
   */
  public static LocalSession open(Path workBase, ProcessorConfig processor, int apiPort, StopSignal stop,
      PrintWriter out, PrintWriter err) {
    RunDirectory run = RunDirectory.create(workBase);
    try {
      LocalStack stack = stop.duringStart(() -> LocalStack.start(new LocalStack.Settings(run.path(), processor, apiPort)));
      LocalSession session = new LocalSession(run, stack, out, err);
      session.printUrls(out);
      return session;
    } catch (RuntimeException e) {
      run.close();
      if (stop.stopped()) {
        throw new StoppedWhileStartingException(e);
      }
      throw e;
    }
  }

  private void printUrls(PrintWriter out) {
    String api = stack.apiBase();
    out.printf(Locale.ROOT, "Kafka at %s, processor '%s' running.%n", stack.bootstrapServers(), stack.applicationId());
    out.println("Web UI: " + api + "/   (suspects, their evidence, flame graphs; docs/UI.md)");
    out.println("Query API (docs/API.md):");
    out.println("  " + api + ApiPaths.SUSPECTS + "   open leak suspects, all services");
    out.println("  " + api + ApiPaths.SERVICES + "   services and their instances");
    out.println("  " + api + ApiPaths.fill(ApiPaths.TOP, "SERVICE") + "   heaviest stacks of a service");
    out.println("  " + api + "/metrics   processor metrics (Prometheus)");
    out.flush();
  }

  public LocalStack stack() {
    return stack;
  }

  public SuspectTally tally() {
    return tally;
  }

  public SuspectFollower follower() {
    return follower;
  }

  /**
   * Waits until {@code stop} is signalled, {@code limit} has passed since {@code startNanos}
   * ({@link System#nanoTime()}; a null limit never passes), {@code done} returns true, or the
   * stack fails; checked twice a second.
   */
  public Ending await(StopSignal stop, long startNanos, Duration limit, BooleanSupplier done) {
    while (true) {
      long wait = CHECK_EVERY.toNanos();
      if (limit != null) {
        wait = Math.min(wait, limit.toNanos() - (System.nanoTime() - startNanos));
      }
      if (stop.await(Duration.ofNanos(Math.max(0, wait)))) {
        return Ending.STOPPED;
      }
      if (!stack.healthy()) {
        return Ending.FAILED;
      }
      if (limit != null && System.nanoTime() - startNanos >= limit.toNanos()) {
        return Ending.DURATION;
      }
      if (done.getAsBoolean()) {
        return Ending.DONE;
      }
    }
  }

  /** Stops the follower, the processor and the broker, and deletes the run directory. */
  @Override
  public void close() {
    try {
      follower.close();
      stack.close();
    } finally {
      run.close();
    }
  }
}
