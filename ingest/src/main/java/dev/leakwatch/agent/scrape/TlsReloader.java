package dev.leakwatch.agent.scrape;

import dev.leakwatch.agent.config.ConfigException;
import dev.leakwatch.agent.config.Durations;
import dev.leakwatch.agent.config.TargetTls;
import dev.leakwatch.agent.metrics.AgentMetrics;
import java.net.http.HttpClient;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import java.util.function.Supplier;
import javax.net.ssl.SSLContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the HTTP client of {@code https} scrapes in step with the {@code scrape.tls} files, so
 * that rotated certificates (cert-manager, Vault agent, short-lived certificates) take effect
 * without a restart. Every {@code refreshInterval} the files are read; when their bytes differ
 * from the set in use, a new {@link SSLContext} is built from exactly those bytes and a new client
 * with it replaces the old one for every request sent from then on ({@link #get()}).
 *
 * <p><b>Invalid sets.</b> A changed set that does not make a context (unreadable, not PEM, a key
 * that does not belong to the certificate, a file cut off mid-write) leaves the client in use
 * alone. A rotation writing its files one by one passes through such sets for a moment, so a set is
 * reported only when the next check finds the very same bytes again: then it is logged once, as
 * an error naming the key and file, and counted in {@code leakwatch.agent.tls.reloads{outcome=
 * failed}}; it is not reported again until the files change. A valid set is put to use at once.
 *
 * <p><b>The replaced client.</b> Requests already sent finish on it, with the old context. Java
 * 17's {@link HttpClient} has no {@code close()}: it stops its selector thread and closes its
 * pooled connections by itself once it is unreachable and has no request in flight, i.e. at the
 * first garbage collection after its last request ends (the reloader keeps no reference to it).
 * New connections, and so new handshakes, only ever use the newest context; its session cache
 * starts empty, so no session made with the old credentials is resumed.
 *
 * <p><b>Threads.</b> Checks run on {@code scheduler}, which must not be the scrape scheduler:
 * reading files may block as long as the file system does. One check runs at a time.
 */
public final class TlsReloader implements Supplier<HttpClient>, AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(TlsReloader.class);

  /** What one {@link #poll()} found. */
  public enum Check {
    /** The files hold the set in use, or a set already reported. */
    UNCHANGED,
    /** A new valid set: put to use. */
    APPLIED,
    /** A new set that makes no context, seen once: kept out, checked again before reporting. */
    UNSETTLED,
    /** A set that made no context at two checks in a row: reported (logged and counted). */
    REFUSED
  }

  private final TargetTls tls;
  private final Function<SSLContext, HttpClient> clients;
  private final AgentMetrics metrics;
  private final RepeatingCheck checks;
  private final AtomicReference<HttpClient> current;
  /** Serializes checks, and guards the three fields below. */
  private final Object checking = new Object();
  private TargetTls.Contents inUse;
  private TargetTls.Contents unsettled;
  private TargetTls.Contents reported;

  /**
   * @param tls settings with files, and the context built from them at start
   * @param clients makes the client for a context ({@link HttpProfileFetcher#newClient})
   * @param scheduler a scheduler of its own (see "Threads" above)
   */
  public TlsReloader(
      TargetTls tls,
      Function<SSLContext, HttpClient> clients,
      Scheduler scheduler,
      AgentMetrics metrics) {
    if (!tls.hasFiles()) {
      throw new IllegalArgumentException("no scrape.tls files to watch");
    }
    this.tls = tls;
    this.clients = clients;
    this.metrics = metrics;
    this.checks =
        new RepeatingCheck(
            scheduler,
            tls.refreshInterval(),
            () -> {
              poll();
              return tls.refreshInterval();
            });
    this.inUse = tls.loaded();
    this.current = new AtomicReference<>(clients.apply(tls.context()));
    metrics.bindTlsReloads();
  }

  /** Starts checking the files every {@code refreshInterval}. */
  public void start() {
    LOG.info(
        "watching the {} files every {} for rotated certificates",
        TargetTls.SECTION, Durations.format(tls.refreshInterval()));
    checks.scheduleIn(tls.refreshInterval());
  }

  /** The client to send the next request with: the one with the newest valid context. */
  @Override
  public HttpClient get() {
    return current.get();
  }

  /** Reads the files now and acts on what they hold (see the class comment). */
  public Check poll() {
    synchronized (checking) {
      TargetTls.Contents read = tls.read();
      if (read.equals(inUse) || read.equals(reported)) {
        unsettled = null;
        return Check.UNCHANGED;
      }
      SSLContext context;
      try {
        context = tls.build(read);
      } catch (ConfigException e) {
        if (!read.equals(unsettled)) {
          unsettled = read;
          LOG.info("{} files changed but do not make a valid set yet: {}", TargetTls.SECTION,
              e.getMessage());
          return Check.UNSETTLED;
        }
        unsettled = null;
        reported = read;
        metrics.tlsReload(false);
        LOG.error(
            "rotated {} files refused, https scrapes keep the previous certificates: {}",
            TargetTls.SECTION, e.getMessage());
        return Check.REFUSED;
      }
      current.set(clients.apply(context));
      inUse = read;
      unsettled = null;
      reported = null;
      metrics.tlsReload(true);
      LOG.info("rotated {} files put to use for new connections", TargetTls.SECTION);
      return Check.APPLIED;
    }
  }

  /** Stops checking; a check already running still completes. */
  @Override
  public void close() {
    checks.close();
  }
}
