package dev.leakwatch.demo;

import dev.leakwatch.processor.ProcessorConfig;
import dev.leakwatch.topology.eval.CorpusReader;
import dev.leakwatch.topology.eval.CorpusScenario;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.CommonClientConfigs;

/**
 * {@code ./leakwatch demo}: a local broker, the processor, and a paced replay of profiles recorded
 * from the project's Go demo services; leak suspects are printed as the processor commits them,
 * and a summary per service at the end. Runs until {@link #stop()} (Ctrl-C), the duration, or,
 * with {@link Settings#exitWhenDone()}, until every replayed profile has been processed and every
 * resulting suspect printed.
 */
public final class DemoRunner {

  /**
   * @param corpus corpus root (layout of testdata/corpus)
   * @param timing pacing and stamping of the replay
   * @param duration how long the whole run may take, from {@link #run()}; null for no limit
   * @param exitWhenDone end as soon as everything replayed was processed
   * @param memoryLimitBytes memory limit stamped on every replayed envelope (drives the OOM
   *     projection), or null
   * @param workBase directory for the run's scratch directory
   * @param processor processor configuration (bootstrap servers and state dir are replaced)
   * @param apiPort port of the query API (0: a free one)
   */
  public record Settings(Path corpus, ReplayTiming timing, Duration duration, boolean exitWhenDone,
      Long memoryLimitBytes, Path workBase, ProcessorConfig processor, int apiPort) {}

  /**
   * What a demo run did.
   *
   * @param ending why it ended
   * @param replay the replay's outcome, null if it did not finish
   * @param processedAll whether every replayed profile was seen processed
   * @param tally the suspects printed
   * @param scenarios the corpus (labels included, for the caller's own checks)
   */
  public record Report(LocalSession.Ending ending, ReplayResult replay, boolean processedAll, SuspectTally tally,
      List<CorpusScenario> scenarios) {}

  private static final Duration REPLAY_JOIN = Duration.ofSeconds(30);

  private final Settings settings;
  private final PrintWriter out;
  private final PrintWriter err;
  private final StopSignal stop = new StopSignal();

  public DemoRunner(Settings settings, PrintWriter out, PrintWriter err) {
    this.settings = settings;
    this.out = out;
    this.err = err;
  }

  /** Ends a running {@link #run()} (from any thread, e.g. a shutdown hook). */
  public void stop() {
    stop.stop();
  }

  /**
   * Runs the demo on this thread.
   *
   * @throws IllegalArgumentException when the corpus is missing or malformed
   */
  public Report run() {
    long start = System.nanoTime();
    List<CorpusScenario> scenarios = CorpusReader.read(settings.corpus());
    ReplayPlan plan = ReplayPlan.of(scenarios);
    printIntro(plan);
    try (LocalSession session = LocalSession.open(settings.workBase(), settings.processor(), settings.apiPort(),
        stop, out, err)) {
      LocalStack stack = session.stack();
      out.println("Leak suspects are printed below as the processor finds them"
          + (settings.duration() == null ? " (Ctrl-C stops):" : ":"));
      out.flush();
      ReplayPublisher publisher = new ReplayPublisher(new ReplayPublisher.Settings(
          stack.processorConfig().topology().profilesTopic(),
          Map.of(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers()), true, 6,
          settings.memoryLimitBytes(), "leakwatch-demo", Duration.ofSeconds(30)));
      CompletableFuture<ReplayResult> replay = CompletableFuture.supplyAsync(
          () -> publisher.run(plan, settings.timing(), new ProgressPrinter(out, Duration.ofSeconds(5))),
          r -> newThread(r).start());
      try (ProcessingWatch watch = new ProcessingWatch(stack.clientConfig())) {
        Completion completion = new Completion(replay, watch, session, plan.items().size());
        LocalSession.Ending ending = session.await(stop, start, settings.duration(), completion);
        publisher.stop();
        ReplayResult result = join(replay);
        if (ending == LocalSession.Ending.FAILED) {
          err.println("demo: the broker or the processor stopped unexpectedly");
        }
        DemoSummary.print(out, scenarios, stack.processorConfig().topology().detectionPolicy(), session.tally());
        return new Report(ending, result, completion.processedAll, session.tally(), scenarios);
      }
    }
  }

  private void printIntro(ReplayPlan plan) {
    out.printf(Locale.ROOT, "Leakwatch demo: %d profiles recorded from %d Go services (%s), %d s of recording, "
            + "replayed %s.%n", plan.items().size(), plan.services().size(), String.join(", ", plan.services()),
        plan.span().toSeconds(), settings.timing().paced()
            ? String.format(Locale.ROOT, "at %.3gx speed (about %d s)", settings.timing().speed(),
                Math.round(plan.span().toSeconds() / settings.timing().speed()))
            : "as fast as possible");
    if (settings.memoryLimitBytes() != null) {
      out.println(memoryLimitNote(settings.memoryLimitBytes()));
    }
    out.println("Starting a local Kafka broker and the processor...");
    out.flush();
  }

  /**
   * The intro's line about {@code --memory-limit}. Every suspect kind gets an OOM projection from it
   * (goroutine suspects count their stacks plus the instance's heap growth, docs/DETECTION.md §5), so
   * the line must not say heap suspects alone.
   */
  static String memoryLimitNote(long limitBytes) {
    return String.format(Locale.ROOT, "Each instance is given a memory limit of %s, so heap and goroutine "
        + "suspects show when it would be reached.", Amounts.bytes(limitBytes));
  }

  private ReplayResult join(CompletableFuture<ReplayResult> replay) {
    try {
      return replay.get(REPLAY_JOIN.toMillis(), TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      err.println("demo: the replay failed: " + e.getCause().getMessage());
    } catch (TimeoutException e) {
      err.println("demo: the replay did not stop within " + REPLAY_JOIN.toSeconds() + " s");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    err.flush();
    return null;
  }

  private static Thread newThread(Runnable r) {
    Thread t = new Thread(r, "leakwatch-demo-replay");
    t.setDaemon(true);
    return t;
  }

  /**
   * "Everything replayed was processed and printed": the replay finished, the processor's group
   * has no unprocessed record left, and the follower has read every committed suspect. Announced
   * once; ends the run only with {@code exitWhenDone}.
   */
  private final class Completion implements java.util.function.BooleanSupplier {
    private final CompletableFuture<ReplayResult> replay;
    private final ProcessingWatch watch;
    private final LocalSession session;
    private final long total;
    private volatile boolean processedAll;

    Completion(CompletableFuture<ReplayResult> replay, ProcessingWatch watch, LocalSession session, long total) {
      this.replay = replay;
      this.watch = watch;
      this.session = session;
      this.total = total;
    }

    @Override
    public boolean getAsBoolean() {
      if (processedAll) {
        return false;
      }
      if (!replay.isDone()) {
        return false;
      }
      if (replay.isCompletedExceptionally()) {
        return settings.exitWhenDone();
      }
      LocalStack stack = session.stack();
      if (!watch.caughtUp(stack.applicationId(), stack.processorInputs())
          || !watch.readToEnd(stack.processorConfig().topology().suspectsTopic(), session.follower().positions())) {
        return false;
      }
      processedAll = true;
      out.printf(Locale.ROOT, "All %d replayed profiles processed.%s%n", total,
          settings.exitWhenDone() ? "" : " The API stays up until " + (settings.duration() == null
              ? "Ctrl-C." : "the end of --duration."));
      out.flush();
      return settings.exitWhenDone();
    }
  }
}
