package dev.leakwatch.processor;

import com.fasterxml.jackson.databind.JsonNode;
import dev.leakwatch.detect.DetectionPolicy;
import dev.leakwatch.detect.LivePolicy;
import dev.leakwatch.http.ProcessorMetrics;
import dev.leakwatch.logging.RepeatedFailures;
import java.time.Duration;
import java.util.EnumSet;
import java.util.Objects;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Re-reads the processor's configuration file every {@code detection.reloadInterval} and puts edited
 * detection rules in force ({@link LivePolicy#replace}) while the processor runs; {@link RulesChange}
 * decides what an edit changes. Docs: DETECTION.md §6, OPERATIONS.md.
 *
 * <p><b>Settling.</b> Contents are compared, not modification times, so a Kubernetes ConfigMap's symlink
 * swap is seen. A content that differs from the one last acted on is acted on only when the next read, a
 * settle delay later ({@link #settleDelay}), finds the same text: a file still being written is not taken
 * half-written. Each distinct content is acted on once: an invalid edit is logged and counted once, not at
 * every read.
 *
 * <p><b>Acting.</b> An applied change is logged with the rules as the start-up log prints them ({@link
 * #logRules}) and shown in {@code leakwatch_detection_rules_info}; every outcome is counted in {@code
 * leakwatch_detection_rules_reloads_total{outcome}}. A file that cannot be read (deleted, unreadable)
 * changes nothing and counts as refused. After {@link #close()} nothing is put in force.
 *
 * <p>Thread-safe: checks run one at a time (on this watch's own thread, or a test's {@link #poll()}).
 */
final class RulesWatch implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(RulesWatch.class);
  /** Longest wait between a changed read and the read that confirms it. */
  static final Duration MAX_SETTLE = Duration.ofSeconds(5);

  /** What one check did with a settled change; empty when it acted on nothing. */
  enum Outcome {
    APPLIED, REFUSED, RESTART_NEEDED;

    /** The {@code outcome} label of the reloads metric. */
    String label() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }

  /** What one {@link #poll()} found: a change still settling, or what it did (nothing, for no change). */
  record Check(boolean settling, Set<Outcome> outcomes) {}

  /** One read of the file: its text, or why it could not be read. */
  private record Content(String text, String error) {}

  private final RulesFile file;
  private final JsonNode started;
  private final LivePolicy policy;
  private final ProcessorMetrics metrics;
  private final Object checking = new Object();
  /** A check's bug throws again at every check: its trace once, then counted ({@link #check()}). */
  private final RepeatedFailures failures = new RepeatedFailures(System::nanoTime);
  private Content actedOn;
  private Content candidate;
  private volatile boolean closed;
  private ScheduledExecutorService thread;

  /**
   * @param file the file to re-read and the text the processor started with ({@link RulesFile#watched()})
   * @param policy the holder the topology and the query API judge by
   */
  RulesWatch(RulesFile file, LivePolicy policy, ProcessorMetrics metrics) {
    Objects.requireNonNull(file.file(), "file.file");
    this.file = file;
    this.started = YamlTree.read(file.text());
    this.policy = policy;
    this.metrics = metrics;
    this.actedOn = new Content(file.text(), null);
  }

  /** The wait before the read that confirms a changed content: the interval, at most {@link #MAX_SETTLE}. */
  Duration settleDelay() {
    return file.interval().compareTo(MAX_SETTLE) < 0 ? file.interval() : MAX_SETTLE;
  }

  /** Starts checking on a thread of its own, first after one interval. */
  void start() {
    thread = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "leakwatch-rules-reload");
      t.setDaemon(true);
      return t;
    });
    LOG.info("re-reading the detection rules of {} every {} (a change applies once unchanged for {})",
        file.file(), file.interval(), settleDelay());
    schedule(file.interval());
  }

  private void schedule(Duration in) {
    if (!closed) {
      thread.schedule(this::checkAndReschedule, in.toMillis(), TimeUnit.MILLISECONDS);
    }
  }

  private void checkAndReschedule() {
    schedule(check());
  }

  /**
   * One scheduled check ({@link #poll()}); returns the wait before the next. A check that throws (a
   * bug) changes nothing and checking goes on; since the same bug then throws at every check for as
   * long as the processor runs, the first of a kind is logged with its trace, the same again as a
   * count at most a minute and at close ({@link RepeatedFailures}).
   */
  Duration check() {
    try {
      return poll().settling() ? settleDelay() : file.interval();
    } catch (RuntimeException e) {
      String kind = RepeatedFailures.kind(e);
      long repeats = failures.occurred(kind);
      if (repeats < 0) {
        LOG.error("checking {} for new detection rules failed; the running rules keep judging (the same failure"
            + " again is counted, one line a minute)", file.file(), e);
      } else if (repeats > 0) {
        logRepeats(kind, repeats);
      }
      return file.interval();
    }
  }

  private void logRepeats(String kind, long repeats) {
    LOG.error("checking {} for new detection rules failed {} more times: {}", file.file(), repeats, kind);
  }

  /** Reads the file now and acts on a content that the previous read found too ({@link RulesWatch}). */
  Check poll() {
    synchronized (checking) {
      Content now = read();
      if (now.equals(actedOn)) {
        candidate = null;
        return new Check(false, Set.of());
      }
      if (!now.equals(candidate)) {
        candidate = now;
        return new Check(true, Set.of());
      }
      candidate = null;
      actedOn = now;
      if (closed) {
        return new Check(false, Set.of());
      }
      return new Check(false, act(now.error() != null ? RulesChange.refused(now.error())
          : RulesChange.of(started, policy.get(), now.text())));
    }
  }

  private Content read() {
    try {
      return new Content(ProcessorConfig.read(file.file()), null);
    } catch (ConfigError e) {
      return new Content(null, e.getMessage());
    }
  }

  private Set<Outcome> act(RulesChange change) {
    Set<Outcome> out = EnumSet.noneOf(Outcome.class);
    if (!change.restartKeys().isEmpty()) {
      LOG.warn("{} changed {}: takes effect on restart (only the detection rules are re-read while the processor"
          + " runs)", file.file(), String.join(", ", change.restartKeys()));
      out.add(Outcome.RESTART_NEEDED);
    }
    if (change.refusal() != null) {
      LOG.error("detection rules of {} not reloaded, the running rules keep judging: {}", file.file(),
          change.refusal());
      out.add(Outcome.REFUSED);
    } else if (change.policy() != null) {
      DetectionPolicy before = policy.replace(change.policy());
      metrics.rulesInForce(change.policy().digest());
      LOG.info("detection rules reloaded from {} (digest {}, was {}){}", file.file(), change.policy().digest(),
          before.digest(), baseChanges(before, change.policy()));
      logRules(change.policy());
      out.add(Outcome.APPLIED);
    }
    if (out.isEmpty()) {
      LOG.info("{} changed; the detection rules did not", file.file());
    }
    out.forEach(o -> metrics.rulesReloaded(o.label()));
    return out;
  }

  /** The judging settings under {@code detection} that differ, as {@code ": detection {warmup=PT2M -> PT30M}"}. */
  private static String baseChanges(DetectionPolicy before, DetectionPolicy after) {
    SortedMap<String, Object> was = DetectionPolicy.judging(before.base());
    SortedMap<String, String> changed = new TreeMap<>();
    DetectionPolicy.judging(after.base()).forEach((k, v) -> {
      if (!Objects.equals(was.get(k), v)) {
        changed.put(k, was.get(k) + " -> " + v);
      }
    });
    return changed.isEmpty() ? "" : ": detection " + changed;
  }

  /** Logs {@code policy}'s rules, one line each, as the processor does at start. */
  static void logRules(DetectionPolicy policy) {
    policy.rules().forEach(r -> LOG.info(policy.describe(r)));
  }

  /** Stops checking; a check that finishes reading after this puts nothing in force. */
  @Override
  public void close() {
    closed = true;
    if (thread != null) {
      thread.shutdownNow();
    }
    failures.drain().forEach(this::logRepeats);
  }
}
