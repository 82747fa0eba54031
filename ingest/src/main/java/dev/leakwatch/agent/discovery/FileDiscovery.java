package dev.leakwatch.agent.discovery;

import com.fasterxml.jackson.databind.JsonNode;
import dev.leakwatch.agent.config.AgentConfigLoader;
import dev.leakwatch.agent.config.ConfigException;
import dev.leakwatch.agent.config.ConfigNode;
import dev.leakwatch.agent.config.DiscoverySettings;
import dev.leakwatch.agent.config.Durations;
import dev.leakwatch.agent.config.TargetParser;
import dev.leakwatch.agent.metrics.AgentMetrics;
import dev.leakwatch.agent.model.Target;
import dev.leakwatch.agent.scrape.RepeatingCheck;
import dev.leakwatch.agent.scrape.Scheduler;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * File-based target discovery in the manner of Prometheus' {@code file_sd}: each file is a YAML
 * (or JSON) list of target entries, checked every refresh interval. The combined list (static
 * targets plus every file) is handed to the consumer.
 *
 * <p><b>Settling.</b> A content that differs from the one last acted on is applied only once it is
 * settled: the files are read again {@code settleDelay} later, and only the same bytes at both reads
 * count. A content still changing is read again after another {@code settleDelay}, so a file that
 * another process is still writing is not applied half-written (unless the writer pauses longer than
 * {@code settleDelay} mid-file), while an atomic replacement (rename, symlink swap) is applied at the
 * next check plus {@code settleDelay}.
 *
 * <p><b>Threads.</b> Checks run on {@code scheduler}, which must be discovery's own (reading and
 * parsing tens of thousands of entries takes a second or more, and a stalled file system longer;
 * none of that may hold up the scrape scheduler). One check runs at a time, so an older content is
 * never applied after a newer one. The consumer is called on that thread and must be safe to call
 * from it ({@code ScrapeManager.apply} is: it only starts and stops loops under its own lock).
 *
 * <p>A file that fails to parse, or that would duplicate a target identity, leaves the previous
 * targets running; the error is logged once per distinct content and counted in {@code
 * leakwatch.agent.discovery.reloads{outcome=failed}} (both outcomes exported at 0 from the start
 * when there are files, so that the first refusal shows as an increase). A missing file counts as
 * empty, so a file can
 * be created after the agent starts. Contents are compared, not modification times, so quick
 * successive edits and symlink swaps (Kubernetes ConfigMaps) are all seen. After {@link #close()}
 * nothing is applied, even by a check that was already reading.
 */
public final class FileDiscovery implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(FileDiscovery.class);

  /** What one {@link #poll()} found. */
  public enum Check {
    /** The files hold what was last applied or refused. */
    UNCHANGED,
    /** A change not yet seen twice in a row: read again after the settle delay. */
    UNSETTLED,
    /** A settled change, applied. */
    APPLIED,
    /** A settled change that does not parse or duplicates a target: not applied. */
    REFUSED
  }

  private final DiscoverySettings settings;
  private final TargetParser parser;
  private final List<Target> staticTargets;
  private final Consumer<List<Target>> onChange;
  private final AgentMetrics metrics;
  private final RepeatingCheck checks;
  /** Serializes checks; held while reading and parsing, never by {@link #close()}. */
  private final Object checking = new Object();
  /** The content last applied or refused (guarded by {@link #checking}). */
  private TargetFileSnapshot actedOn;
  /** A changed content seen once, waiting to be seen again (guarded by {@link #checking}). */
  private TargetFileSnapshot candidate;

  /**
   * @param scheduler discovery's own scheduler (see "Threads" above), not the scrape scheduler
   */
  public FileDiscovery(
      DiscoverySettings settings,
      TargetParser parser,
      List<Target> staticTargets,
      Consumer<List<Target>> onChange,
      Scheduler scheduler,
      AgentMetrics metrics) {
    this.settings = settings;
    this.parser = parser;
    this.staticTargets = List.copyOf(staticTargets);
    this.onChange = onChange;
    this.metrics = metrics;
    if (!settings.files().isEmpty()) {
      metrics.bindDiscoveryReloads(); // at 0 before the first change, for increase()
    }
    this.checks =
        new RepeatingCheck(
            scheduler,
            settings.refreshInterval(),
            () ->
                poll() == Check.UNSETTLED ? settings.settleDelay() : settings.refreshInterval());
  }

  /**
   * Loads every file once on the calling thread, hands the result to the consumer, and starts
   * checking. The first load is not settled: it must not wait, and what a half-written file
   * lacked is applied once its full content has settled.
   *
   * @throws ConfigException if a file is malformed at startup (fail fast rather than run blind)
   */
  public void start() {
    synchronized (checking) {
      TargetFileSnapshot contents = TargetFileSnapshot.read(settings.files());
      onChange.accept(parseAll(contents));
      actedOn = contents;
    }
    if (!settings.files().isEmpty()) {
      LOG.info(
          "watching {} target file(s) every {} (a change applies once unchanged for {})",
          settings.files().size(), Durations.format(settings.refreshInterval()),
          Durations.format(settings.settleDelay()));
      checks.scheduleIn(settings.refreshInterval());
    }
  }

  /**
   * Checks the files now: a content that differs from the last one acted on is remembered, and
   * applied (or refused) when the next check finds the same bytes again.
   */
  public Check poll() {
    synchronized (checking) {
      TargetFileSnapshot contents = TargetFileSnapshot.read(settings.files());
      if (contents.equals(actedOn)) {
        candidate = null;
        return Check.UNCHANGED;
      }
      if (!contents.equals(candidate)) {
        candidate = contents;
        return Check.UNSETTLED;
      }
      candidate = null;
      actedOn = contents;
      List<Target> targets;
      try {
        targets = parseAll(contents);
      } catch (ConfigException e) {
        if (!checks.isClosed()) {
          metrics.discoveryReload(false);
          LOG.error("target files not applied, previous targets keep running: {}", e.getMessage());
        }
        return Check.REFUSED;
      }
      if (!checks.runUnlessClosed(() -> onChange.accept(targets))) {
        return Check.UNCHANGED;
      }
      metrics.discoveryReload(true);
      LOG.info("target files changed: {} targets", targets.size());
      return Check.APPLIED;
    }
  }

  /**
   * Stops checking. Returns without waiting for a check that is reading; that check applies
   * nothing. Stopping the scheduler's thread is its owner's job.
   */
  @Override
  public void close() {
    checks.close();
  }

  private List<Target> parseAll(TargetFileSnapshot contents) {
    return parse(settings.files(), contents, parser, staticTargets);
  }

  /**
   * The targets the agent would start with: {@code staticTargets} plus every file's entries, read
   * now (a missing file is empty), as {@link #start()} applies them.
   *
   * @throws ConfigException naming the file when one cannot be read or parsed, or when two
   *     targets share an identity
   */
  public static List<Target> readNow(
      List<Path> files, TargetParser parser, List<Target> staticTargets) {
    return parse(files, TargetFileSnapshot.read(files), parser, staticTargets);
  }

  private static List<Target> parse(
      List<Path> files, TargetFileSnapshot contents, TargetParser parser, List<Target> staticTargets) {
    List<Target> all = new ArrayList<>(staticTargets);
    for (Path f : files) {
      TargetFileSnapshot.Content c = contents.get(f);
      if (c.error() != null) {
        throw new ConfigException(f + ": " + c.error());
      }
      JsonNode doc = AgentConfigLoader.parseYaml(c.text(), f.toString());
      all.addAll(parser.parseList(new ConfigNode(doc, f.toString())));
    }
    TargetParser.requireUnique(all, "targets (static and files)");
    return all;
  }
}
