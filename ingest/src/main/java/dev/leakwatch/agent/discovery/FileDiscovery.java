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
import dev.leakwatch.agent.scrape.Scheduler;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * File-based target discovery in the manner of Prometheus' {@code file_sd}: each file is a YAML
 * (or JSON) list of target entries, polled every refresh interval and re-read when its content
 * changes. The combined list (static targets plus every file) is handed to the consumer.
 *
 * <p><b>Threads.</b> Checks run on {@code scheduler}, which must be discovery's own (reading and
 * parsing tens of thousands of entries takes a second or more, and a stalled file system longer;
 * none of that may hold up the scrape scheduler). One check runs at a time, so an older content is
 * never applied after a newer one. The consumer is called on that thread and must be safe to call
 * from it ({@code ScrapeManager.apply} is: it only starts and stops loops under its own lock).
 *
 * <p>A file that fails to parse, or that would duplicate a target identity, leaves the previous
 * targets running; the error is logged once per distinct content and counted in {@code
 * leakwatch.agent.discovery.reloads{outcome=failed}}. A missing file counts as empty, so a file can
 * be created after the agent starts. Contents are compared, not modification times, so quick
 * successive edits and symlink swaps (Kubernetes ConfigMaps) are all seen. After {@link #close()}
 * nothing is applied, even by a check that was already reading.
 */
public final class FileDiscovery implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(FileDiscovery.class);

  private final DiscoverySettings settings;
  private final TargetParser parser;
  private final List<Target> staticTargets;
  private final Consumer<List<Target>> onChange;
  private final Scheduler scheduler;
  private final AgentMetrics metrics;
  /** Serializes checks; held while reading and parsing, never by {@link #close()}. */
  private final Object checking = new Object();
  /** The contents last applied or refused (guarded by {@link #checking}). */
  private final Map<Path, Content> lastSeen = new HashMap<>();
  private Scheduler.Cancellable next;
  private boolean closed;

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
    this.scheduler = scheduler;
    this.metrics = metrics;
  }

  /**
   * Loads every file once on the calling thread, hands the result to the consumer, and starts
   * polling.
   *
   * @throws ConfigException if a file is malformed at startup (fail fast rather than run blind)
   */
  public void start() {
    synchronized (checking) {
      Map<Path, Content> contents = readAll();
      onChange.accept(parseAll(contents));
      lastSeen.putAll(contents);
    }
    if (!settings.files().isEmpty()) {
      LOG.info(
          "watching {} target file(s) every {}",
          settings.files().size(), Durations.format(settings.refreshInterval()));
      scheduleNext();
    }
  }

  /**
   * Checks the files now; re-reads and applies them if any content changed.
   *
   * @return true if a new target list was applied
   */
  public boolean poll() {
    synchronized (checking) {
      Map<Path, Content> contents = readAll();
      if (contents.equals(lastSeen)) {
        return false;
      }
      lastSeen.clear();
      lastSeen.putAll(contents);
      List<Target> targets;
      try {
        targets = parseAll(contents);
      } catch (ConfigException e) {
        if (!isClosed()) {
          metrics.discoveryReload(false);
          LOG.error("target files not applied, previous targets keep running: {}", e.getMessage());
        }
        return false;
      }
      synchronized (this) {
        if (closed) {
          return false;
        }
        onChange.accept(targets);
      }
      metrics.discoveryReload(true);
      LOG.info("target files changed: {} targets", targets.size());
      return true;
    }
  }

  /**
   * Stops polling. Returns without waiting for a check that is reading; that check applies
   * nothing. Stopping the scheduler's thread is its owner's job.
   */
  @Override
  public synchronized void close() {
    closed = true;
    if (next != null) {
      next.cancel();
    }
  }

  private synchronized boolean isClosed() {
    return closed;
  }

  private synchronized void scheduleNext() {
    if (!closed) {
      next =
          scheduler.schedule(
              settings.refreshInterval(),
              () -> {
                try {
                  poll();
                } finally {
                  synchronized (this) {
                    scheduleNext();
                  }
                }
              });
    }
  }

  /** What a file held when read: its text, or why it could not be read. */
  private record Content(String text, String error) {}

  /** File contents by path; a missing file reads as empty. */
  private Map<Path, Content> readAll() {
    Map<Path, Content> out = new HashMap<>();
    for (Path f : settings.files()) {
      out.put(f, read(f));
    }
    return out;
  }

  private static Content read(Path f) {
    try {
      long size = Files.size(f);
      if (size > AgentConfigLoader.MAX_FILE_BYTES) {
        return new Content(
            null, size + " bytes exceeds the limit of " + AgentConfigLoader.MAX_FILE_BYTES);
      }
      return new Content(Files.readString(f), null);
    } catch (NoSuchFileException e) {
      return new Content("", null);
    } catch (IOException e) {
      return new Content(null, "cannot read: " + e);
    }
  }

  private List<Target> parseAll(Map<Path, Content> contents) {
    List<Target> all = new ArrayList<>(staticTargets);
    for (Path f : settings.files()) {
      Content c = Objects.requireNonNull(contents.get(f));
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
