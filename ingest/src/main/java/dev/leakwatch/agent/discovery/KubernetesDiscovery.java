package dev.leakwatch.agent.discovery;

import dev.leakwatch.agent.config.KubernetesSettings;
import dev.leakwatch.agent.config.TargetParser;
import dev.leakwatch.agent.model.Target;
import dev.leakwatch.agent.scrape.Pacing;
import dev.leakwatch.agent.scrape.Scheduler;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finds scrape targets among Kubernetes pods: one {@link PodWatch} per configured namespace (or
 * one for all), each on its own thread, whose changes reach the {@link TargetUnion} (and so {@code
 * ScrapeManager.apply}) at most once per {@code applyDelay}. The targets are ordered by pod
 * ({@code namespace/name}), so of two pods with one identity the same one is kept every time.
 * Starting never waits for the API server: an unreachable one is logged and retried.
 */
public final class KubernetesDiscovery implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(KubernetesDiscovery.class);
  /** The name of this source in the union and on {@code GET /targets}. */
  public static final String SOURCE = "kubernetes";
  /** {@code timeoutSeconds} of a watch (the API server's default range is 5 to 10 minutes). */
  static final int WATCH_SECONDS = 300;

  private final KubernetesSettings settings;
  private final KubernetesApi api;
  private final List<PodWatch> watches = new ArrayList<>();
  private final List<Scheduler> schedulers = new ArrayList<>();

  /**
   * @param threads makes the scheduler of one watch, given its thread's name: each must run on
   *     a thread of its own (a watch blocks reading its stream)
   */
  public KubernetesDiscovery(
      KubernetesSettings settings,
      TargetParser parser,
      TargetUnion union,
      Function<String, Scheduler> threads,
      MeterRegistry registry) {
    this(settings, new KubernetesApi(settings, WATCH_SECONDS),
        new Pacing(PodWatch.JITTER, PodWatch.MAX_BACKOFF), PodWatch.SHORT_WATCH, parser, union,
        threads, registry);
  }

  /**
   * @param pacing adds the jitter to the watches' backoff
   * @param shortWatch a watch ending sooner without an event is retried after the backoff
   */
  KubernetesDiscovery(
      KubernetesSettings settings,
      KubernetesApi api,
      Pacing pacing,
      Duration shortWatch,
      TargetParser parser,
      TargetUnion union,
      Function<String, Scheduler> threads,
      MeterRegistry registry) {
    this.settings = settings;
    this.api = api;
    KubernetesMetrics metrics = new KubernetesMetrics(registry);
    PodTargets podTargets = new PodTargets(parser, settings.labels());
    List<String> scopes = settings.namespaces().isEmpty() ? new ArrayList<>() : settings.namespaces();
    if (scopes.isEmpty()) {
      scopes.add(null);
    }
    for (String ns : scopes) {
      Scheduler s = threads.apply("leakwatch-kubernetes-" + (ns == null ? "pods" : ns));
      schedulers.add(s);
      watches.add(new PodWatch(ns, api, podTargets, s, metrics, pacing, shortWatch, union::applySoon));
    }
    TargetUnion.Source source = union.source(SOURCE);
    source.pull(this::targets);
    metrics.bindPods("scraped", () -> source.counts().scraped());
    metrics.bindPods("other_shard", () -> source.counts().otherShard());
    metrics.bindPods("skipped", () -> count(PodOutcome::isSkipped) + source.counts().duplicates());
    metrics.bindPods("waiting", () -> count(o -> o == PodOutcome.WAITING));
  }

  /** Starts every watch on its thread; returns at once. */
  public void start() {
    LOG.info(
        "discovering pods through {} in {}{}{}", settings.apiServer(),
        settings.namespaces().isEmpty() ? "every namespace" : "namespaces " + settings.namespaces(),
        settings.labelSelector() == null ? "" : ", labels " + settings.labelSelector(),
        settings.node() == null ? "" : ", node " + settings.node());
    watches.forEach(PodWatch::start);
  }

  /** The targets of every watch's pods, ordered by pod. */
  List<Target> targets() {
    Map<String, Target> byPod = new TreeMap<>();
    for (PodWatch w : watches) {
      w.pods().forEach((pod, o) -> {
        if (o.isTarget()) {
          byPod.put(pod, o.target());
        }
      });
    }
    return new ArrayList<>(byPod.values());
  }

  /**
   * Stops the watches and their threads. A watch read in progress is ended by closing its stream
   * ({@link KubernetesApi#close()}): JDK 17's client ignores the threads' interrupt.
   */
  @Override
  public void close() {
    watches.forEach(PodWatch::close);
    api.close();
    for (Scheduler s : schedulers) {
      if (s instanceof AutoCloseable c) {
        try {
          c.close();
        } catch (Exception e) {
          LOG.warn("stopping a pod watch thread failed", e);
        }
      }
    }
  }

  private int count(Predicate<PodOutcome> which) {
    int n = 0;
    for (PodWatch w : watches) {
      for (PodOutcome o : w.pods().values()) {
        if (which.test(o)) {
          n++;
        }
      }
    }
    return n;
  }
}
