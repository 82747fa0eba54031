package dev.leakwatch.agent.discovery;

import static dev.leakwatch.agent.testing.TestPods.scraped;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.leakwatch.agent.config.KubernetesSettings;
import dev.leakwatch.agent.config.TargetParser;
import dev.leakwatch.agent.metrics.AgentMetrics;
import dev.leakwatch.agent.model.Shard;
import dev.leakwatch.agent.scrape.Pacing;
import dev.leakwatch.agent.scrape.ScrapeContext;
import dev.leakwatch.agent.scrape.ScrapeFailure;
import dev.leakwatch.agent.scrape.ScrapeManager;
import dev.leakwatch.agent.testing.FakeKubernetes;
import dev.leakwatch.agent.testing.ManualScheduler;
import dev.leakwatch.agent.testing.TestConfigs;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;

/**
 * Shared set-up of the list/watch tests: discovery against {@link FakeKubernetes} (a protocol
 * double, not a real API server) with every thread in virtual time. {@link #attempt()} runs one
 * list-and-watch attempt on the test thread (the double ends a watch once it has sent every
 * event), {@link #applyBurst()} the union's coalesced apply into a real {@link ScrapeManager}.
 */
abstract class KubernetesWatchTest {
  /** {@code timeoutSeconds} of the tests' watches. */
  static final int WATCH_SECONDS = 5;
  @TempDir Path dir;
  final FakeKubernetes api;
  final ManualScheduler watchThread = new ManualScheduler();
  final ManualScheduler discoveryThread = new ManualScheduler();
  final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  final ScrapeManager manager =
      new ScrapeManager(
          new ScrapeContext(
              (uri, timeout, max) ->
                  CompletableFuture.failedFuture(new ScrapeFailure(ScrapeFailure.Reason.CONNECT, "down")),
              (t, k, time, body) -> {}, new ManualScheduler(), new Pacing(0, Duration.ofMinutes(1), () -> 0.5),
              Clock.systemUTC(), new AgentMetrics(registry), new Semaphore(8), 1 << 20,
              Duration.ofMinutes(30)));
  TargetUnion union;
  KubernetesDiscovery discovery;
  /** The backoff's jitter; none unless a test sets it before {@link #start}. */
  Pacing backoffPacing = new Pacing(0, PodWatch.MAX_BACKOFF);
  /**
   * A watch ending sooner with no event is a failure; none here, since the double ends a watch
   * once it has sent every event. Set before {@link #start}.
   */
  Duration shortWatch = Duration.ZERO;
  /** A watch stream silent this long is aborted; set before {@link #start} to shorten it. */
  Duration stallBound = Duration.ofSeconds(WATCH_SECONDS).plus(KubernetesApi.STALL_MARGIN);

  KubernetesWatchTest() {
    try {
      api = new FakeKubernetes();
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  /** Discovery of {@code namespaces} (empty: all), this agent scraping {@code shard}. */
  KubernetesDiscovery start(Shard shard, List<String> namespaces, Map<String, String> labels) {
    return start(shard, namespaces, null, null, labels);
  }

  /** As above, with a {@code labelSelector} and a {@code node} (either may be null). */
  KubernetesDiscovery start(
      Shard shard, List<String> namespaces, String labelSelector, String node, Map<String, String> labels) {
    union = new TargetUnion(shard, manager::apply, discoveryThread, Duration.ofSeconds(1));
    KubernetesSettings s =
        new KubernetesSettings(
            URI.create(api.url()), dir.resolve("token"), null, null, null, namespaces, labelSelector, node,
            labels, Duration.ofSeconds(1));
    discovery =
        new KubernetesDiscovery(
            s, new KubernetesApi(s, WATCH_SECONDS, stallBound), backoffPacing, shortWatch,
            new TargetParser(TestConfigs.scrapeDefaults()), union,
            name -> watchThread, registry);
    discovery.start();
    return discovery;
  }

  KubernetesDiscovery start() {
    return start(Shard.ALL, List.of(), Map.of());
  }

  void writeToken(String token) throws Exception {
    Path tmp = dir.resolve("token.tmp");
    Files.writeString(tmp, token + "\n");
    Files.move(tmp, dir.resolve("token"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
  }

  /** Runs the next list/watch attempt (blocks until the double ends the watch). */
  void attempt() {
    assertTrue(watchThread.runNext(), "an attempt was scheduled");
  }

  /** Runs attempts until none is pending immediately, then the union's apply if one is due. */
  void applyBurst() {
    if (discoveryThread.pendingCount() > 0) {
      discoveryThread.runNext();
    }
  }

  /** {@code service/instance} of every running scrape loop, sorted. */
  TreeSet<String> scraping() {
    return manager.status().stream()
        .map(s -> s.target().id().toString())
        .collect(Collectors.toCollection(TreeSet::new));
  }

  List<FakeKubernetes.Request> watches() {
    return api.requests().stream().filter(FakeKubernetes.Request::isWatch).toList();
  }

  List<FakeKubernetes.Request> lists() {
    return api.requests().stream().filter(r -> !r.isWatch()).toList();
  }

  double counter(String name, String tag, String value) {
    var c = registry.find(name).tag(tag, value).counter();
    return c == null ? -1 : c.count();
  }

  double gauge(String state) {
    return registry.find("leakwatch.agent.kubernetes.pods").tag("state", state).gauge().value();
  }

  /** Adds a running, opted-in pod {@code ns/name} serving port 6060. */
  void addPod(String ns, String name) {
    api.add(scraped(ns, name).build());
  }

  void awaitWatchOpen(int count) {
    await().until(() -> watches().size() >= count);
  }

  @AfterEach
  void stop() {
    if (discovery != null) {
      discovery.close();
    }
    api.close();
    manager.close();
  }

  static void assertScraping(java.util.Set<String> expected, java.util.Set<String> actual) {
    assertEquals(new TreeSet<>(expected), actual);
  }
}
