package dev.leakwatch.agent.discovery;

import com.fasterxml.jackson.databind.JsonNode;
import dev.leakwatch.agent.config.Durations;
import dev.leakwatch.agent.scrape.Pacing;
import dev.leakwatch.agent.scrape.Scheduler;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the outcomes of the opted-in pods of one scope (a namespace, or all) up to date by the
 * API's list-then-watch protocol: LIST every page, then WATCH from the list's resourceVersion. A
 * stream the server ends resumes from the last resourceVersion seen (an event's or a bookmark's);
 * 410 Gone (as a status or an ERROR event) means that version is too old, and the pods are listed
 * again at once, from etcd (a node-scoped agent otherwise lists from the API server's watch cache,
 * whose version may be as old again); a 410 again with no event between waits the backoff, so a
 * server that keeps answering 410 is not listed in a tight loop. Any other failure is retried after
 * a backoff doubling from 1 s up to 1 min, each wait
 * scaled by a random factor in [0.8, 1.2] so that the agents of a cluster, whose watches all break
 * when an API server restarts, do not come back in lockstep; 401/403 are logged as errors with the
 * RBAC the agent needs.
 *
 * <p>Each attempt (a list if needed, then one watch) is one task on {@code scheduler}, which must
 * be this watch's own thread: a watch blocks reading its stream for up to {@code timeoutSeconds},
 * or the stall bound when the stream goes silent ({@link StallGuard}). Interrupting that thread
 * does not end the read on JDK 17's client: after {@link #close()} a watch still open ends at one
 * of those bounds, and what it reads meanwhile changes nothing. A relist replaces the scope's pods
 * at once, after its last page, so a half-listed namespace never removes targets.
 */
final class PodWatch {
  private static final Logger LOG = LoggerFactory.getLogger(PodWatch.class);
  static final Duration FIRST_BACKOFF = Duration.ofSeconds(1);
  static final Duration MAX_BACKOFF = Duration.ofMinutes(1);
  /** The jitter of the backoff: many agents retrying at once are spread over ±20 %. */
  static final double JITTER = 0.2;
  /**
   * A watch that ends this soon having received nothing was cut at once rather than ended by the
   * server at {@code timeoutSeconds} (a quiet scope still gets that whole time, or a bookmark).
   */
  static final Duration SHORT_WATCH = Duration.ofSeconds(1);

  private final String namespace;
  private final KubernetesApi api;
  private final PodTargets podTargets;
  private final Scheduler scheduler;
  private final KubernetesMetrics metrics;
  private final Runnable changed;
  /** Adds the jitter to each backoff. */
  private final Pacing pacing;
  /** A watch ending sooner than this without an event is a failure (retried after the backoff). */
  private final Duration shortWatch;
  /** Lines (events, bookmarks) the current watch has received; only the scheduler's thread. */
  private int received;
  /** Opted-in pods by {@code namespace/name}; replaced whole by a relist. */
  private volatile Map<String, PodOutcome> pods = new ConcurrentHashMap<>();
  /** Where the next watch starts; null: list first. Only the scheduler's thread touches it. */
  private String resourceVersion;
  private Duration backoff = Duration.ZERO;
  /** The next list reads from etcd, not the watch cache: set by a 410, cleared by a list. */
  private boolean consistentList;
  /** 410s since the last event or normal end of a watch. */
  private int expiredInARow;
  private volatile boolean closed;
  /** The reason each skipped pod was last logged with, so that a pod is logged once per reason. */
  private final Map<String, PodOutcome.SkipReason> skipsLogged = new ConcurrentHashMap<>();

  /**
   * @param namespace the scope, or null for every namespace
   * @param changed called (on this watch's thread) after the pods' outcomes changed
   */
  PodWatch(String namespace, KubernetesApi api, PodTargets podTargets, Scheduler scheduler,
      KubernetesMetrics metrics, Pacing pacing, Duration shortWatch, Runnable changed) {
    this.pacing = pacing;
    this.shortWatch = shortWatch;
    this.namespace = namespace;
    this.api = api;
    this.podTargets = podTargets;
    this.scheduler = scheduler;
    this.metrics = metrics;
    this.changed = changed;
  }

  void start() {
    scheduler.schedule(Duration.ZERO, this::attempt);
  }

  /** The outcomes now, by pod; a live view. */
  Map<String, PodOutcome> pods() {
    return pods;
  }

  /** Stops scheduling attempts; whatever a running one reads afterwards changes nothing. */
  void close() {
    closed = true;
  }

  /** One attempt: list if needed, then watch until the stream ends; schedules the next. */
  void attempt() {
    if (closed) {
      return;
    }
    Duration next = Duration.ZERO;
    try {
      if (resourceVersion == null) {
        relist();
      }
      if (closed) {
        return; // closed during the list: there is no version to watch from, nor a need
      }
      long opened = System.nanoTime();
      received = 0;
      api.watch(namespace, resourceVersion, this::onEvent);
      if (received == 0 && System.nanoTime() - opened < shortWatch.toNanos()) {
        // a stream something ends as soon as it opens (a proxy, a misbehaving server): without
        // this, resuming at once from the same version would be a tight loop of requests
        next = failed(0, false, "the watch stream ended at once, with no event", Duration.ZERO);
      } else {
        metrics.restarted("ended");
        backoff = Duration.ZERO;
        expiredInARow = 0;
      }
    } catch (ApiException | WatchFailed e) {
      if (closed) {
        return; // the stream ended (or failed) after close: not a failure
      }
      ApiException a = e instanceof ApiException x ? x : null;
      int status = a != null ? a.status() : ((WatchFailed) e).status;
      next = failed(status, a != null && a.stalled(), e.getMessage(),
          a == null ? Duration.ZERO : a.retryAfter());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return;
    } catch (RuntimeException e) {
      // a bug or a pod shaped like nothing expected: the watch must go on, from a fresh list
      LOG.error("pod watch of {} failed unexpectedly; listing again after the backoff", scope(), e);
      resourceVersion = null;
      next = failed(-1, false, e.toString(), Duration.ZERO);
    }
    if (!closed) {
      scheduler.schedule(next, this::attempt);
    }
  }

  /**
   * The delay before the next attempt after a failure: none after a first 410 Gone, else the backoff
   * (with its jitter; the doubling is of the backoff without it), or the {@code Retry-After} the
   * answer asked for when that is longer. A
   * stalled stream is retried as a broken one (from the same resourceVersion), counted apart.
   */
  private Duration failed(int status, boolean stalled, String message, Duration retryAfter) {
    if (status == 410) {
      metrics.restarted("expired");
      String expired = resourceVersion;
      resourceVersion = null;
      consistentList = true;
      if (++expiredInARow == 1) {
        LOG.info("pod watch of {}: resourceVersion {} expired, listing again", scope(), expired);
        return Duration.ZERO;
      }
      Duration wait = nextBackoff();
      LOG.warn("pod watch of {}: resourceVersion {} expired again with no event since the last list ({} in a row);"
          + " listing again in {}", scope(), expired, expiredInARow, Durations.format(wait));
      return wait;
    }
    metrics.failed(status, stalled);
    Duration wait = nextBackoff();
    if (retryAfter.compareTo(wait) > 0) {
      wait = retryAfter; // a 429 of the API server's priority and fairness: as long as it asks
    }
    if (status == 401) {
      // the credentials themselves: RBAC is not reached before the token is accepted
      LOG.error(
          "pod {} of {} refused ({} {}): the API server does not accept the agent's token"
              + " (discovery.kubernetes.tokenFile: missing, expired, or of another cluster); retrying in {}",
          resourceVersion == null ? "list" : "watch", scope(), status, message, Durations.format(wait));
    } else if (status == 403) {
      LOG.error(
          "pod {} of {} refused ({} {}): the agent's service account needs get, list and watch on"
              + " pods ({}; deploy/k8s/agent-rbac.yaml); retrying in {}",
          resourceVersion == null ? "list" : "watch", scope(), status, message,
          namespace == null ? "a ClusterRole and ClusterRoleBinding" : "a Role in " + namespace,
          Durations.format(wait));
    } else {
      LOG.warn("pod {} of {} failed ({}{}); retrying in {}",
          resourceVersion == null ? "list" : "watch", scope(), status == 0 ? "" : status + " ",
          message, Durations.format(wait));
    }
    return wait;
  }

  /** Doubles the backoff (from {@link #FIRST_BACKOFF} up to {@link #MAX_BACKOFF}); the wait, jittered. */
  private Duration nextBackoff() {
    backoff = backoff.isZero() ? FIRST_BACKOFF : min(backoff.multipliedBy(2), MAX_BACKOFF);
    return pacing.withJitter(backoff);
  }

  private void relist() throws ApiException, InterruptedException {
    Map<String, PodOutcome> listed = new ConcurrentHashMap<>();
    String cont = null;
    KubernetesApi.Page page;
    do {
      page = api.list(namespace, cont, consistentList);
      for (JsonNode pod : page.items()) {
        PodOutcome o = podTargets.outcome(pod);
        if (o != null) {
          listed.put(key(pod), o);
          noteSkip(key(pod), o);
        }
      }
      cont = page.continueToken();
    } while (cont != null && !closed);
    if (closed) {
      return;
    }
    pods = listed;
    skipsLogged.keySet().retainAll(listed.keySet());
    resourceVersion = page.resourceVersion();
    consistentList = false;
    LOG.info("listed pods of {}: {} opted in", scope(), listed.size());
    changed.run();
  }

  private void onEvent(JsonNode event) {
    received++;
    String type = event.path("type").asText();
    JsonNode object = event.path("object");
    if (type.equals("ERROR")) {
      int code = object.path("code").asInt(0);
      throw new WatchFailed(code, "ERROR event: " + object.path("message").asText(""));
    }
    expiredInARow = 0; // the version was good
    String rv = object.path("metadata").path("resourceVersion").asText("");
    if (closed) {
      return;
    }
    boolean change = false;
    switch (type) {
      case "ADDED", "MODIFIED" -> {
        String key = key(object);
        PodOutcome o = podTargets.outcome(object);
        PodOutcome before = o == null ? pods.remove(key) : pods.put(key, o);
        if (o != null) {
          noteSkip(key, o);
        }
        change = !Objects.equals(before, o);
      }
      case "DELETED" -> {
        skipsLogged.remove(key(object));
        change = pods.remove(key(object)) != null;
      }
      case "BOOKMARK" -> { }
      default -> LOG.debug("pod watch of {}: ignoring event type {}", scope(), type);
    }
    if (!rv.isEmpty()) {
      resourceVersion = rv;
    }
    if (change) {
      changed.run();
    }
  }

  /** Logs and counts a skip the first time this pod is skipped for this reason. */
  private void noteSkip(String key, PodOutcome o) {
    if (!o.isSkipped()) {
      skipsLogged.remove(key);
    } else if (skipsLogged.put(key, o.reason()) != o.reason()) {
      metrics.skipped(o.reason());
      LOG.warn("not scraping {}", o.detail());
    }
  }

  private String scope() {
    return namespace == null ? "all namespaces" : "namespace " + namespace;
  }

  static String key(JsonNode pod) {
    JsonNode meta = pod.path("metadata");
    return meta.path("namespace").asText() + "/" + meta.path("name").asText();
  }

  private static Duration min(Duration a, Duration b) {
    return a.compareTo(b) <= 0 ? a : b;
  }

  /** An ERROR event in a watch stream (code 410: the resourceVersion is too old). */
  private static final class WatchFailed extends RuntimeException {
    final int status;

    WatchFailed(int status, String message) {
      super(message, null, false, false);
      this.status = status;
    }
  }
}
