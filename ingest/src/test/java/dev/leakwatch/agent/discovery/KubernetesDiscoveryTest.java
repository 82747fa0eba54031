package dev.leakwatch.agent.discovery;

import static dev.leakwatch.agent.testing.TestPods.scraped;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.leakwatch.agent.model.Shard;
import dev.leakwatch.agent.model.TargetId;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * Pods reach the scrape manager through list, watch and the coalesced apply, against a protocol
 * double of the API server (not a real one).
 */
class KubernetesDiscoveryTest extends KubernetesWatchTest {

  @Test
  void shouldListEveryPageBeforeApplyingThePodsAsTargets() {
    IntStream.range(0, 1100).forEach(i -> addPod("prod", String.format("api-%04d", i)));
    start();

    attempt();
    applyBurst();

    assertEquals(1100, manager.size());
    assertEquals(3, lists().size(), "500 + 500 + 100");
    assertNull(lists().get(0).query().get("continue"));
    assertNull(lists().get(0).query().get("resourceVersion"), "every node: a consistent, paged read");
    assertEquals(List.of("500", "500", "500"), lists().stream().map(r -> r.query().get("limit")).toList());
    assertEquals("c1", lists().get(1).query().get("continue"), "the token of the page before");
    assertEquals(Long.toString(api.resourceVersion()), watches().get(0).query().get("resourceVersion"),
        "the watch starts at the list's resourceVersion");
    assertEquals("true", watches().get(0).query().get("allowWatchBookmarks"));
  }

  @Test
  void shouldAddChangeAndRemoveTargetsAsPodsAreAddedModifiedAndDeleted() {
    addPod("prod", "api-0");
    start();
    attempt();
    applyBurst();
    assertScraping(Set.of("prod.api-0/api-0"), scraping());

    addPod("prod", "api-1");
    api.modify(scraped("prod", "api-0").annotate("interval", "10s").build());
    attempt();
    applyBurst();
    assertScraping(Set.of("prod.api-0/api-0", "prod.api-1/api-1"), scraping());
    assertEquals(Duration.ofSeconds(10), manager.status().stream()
        .filter(s -> s.target().id().instance().equals("api-0")).findFirst().orElseThrow()
        .target().interval());

    api.delete("prod", "api-0");
    api.modify(scraped("prod", "api-1").annotate("scrape", "false").build());
    attempt();
    applyBurst();
    assertScraping(Set.of(), scraping());
  }

  @Test
  void shouldStopScrapingAPodWhenItStartsTerminatingStopsRunningOrLosesItsIp() {
    addPod("prod", "api-0");
    addPod("prod", "api-1");
    addPod("prod", "api-2");
    addPod("prod", "api-3");
    start();
    attempt();
    applyBurst();
    assertEquals(4, manager.size());

    api.modify(scraped("prod", "api-0").terminating().build()); // still Running, until it exits
    api.modify(scraped("prod", "api-1").phase("Failed").build());
    api.modify(scraped("prod", "api-2").ip("").build());
    attempt();
    applyBurst();

    assertScraping(Set.of("prod.api-3/api-3"), scraping());
    assertEquals(3, gauge("waiting"));
  }

  @Test
  void shouldApplyABurstOfChangesOnceAfterTheDelayOnDiscoverysThread() {
    start();
    attempt();
    applyBurst();
    int requested = discoveryThread.requested().size();

    IntStream.range(0, 50).forEach(i -> addPod("prod", "api-" + i));
    attempt();

    assertEquals(List.of(Duration.ofSeconds(1)),
        discoveryThread.requested().subList(requested, discoveryThread.requested().size()));
    assertEquals(0, manager.size(), "nothing is applied before the delay");
    applyBurst();
    assertEquals(50, manager.size());
  }

  @Test
  void shouldListAgainWhenTheWatchedVersionHasExpired() {
    addPod("prod", "old");
    start();
    attempt();
    String listedAt = watches().get(0).query().get("resourceVersion");
    addPod("prod", "new");
    api.delete("prod", "old");
    api.compact();

    attempt(); // 410 Gone
    attempt(); // list, watch

    assertEquals(listedAt, watches().get(1).query().get("resourceVersion"));
    assertEquals(2, lists().size());
    assertEquals(Long.toString(api.resourceVersion()), watches().get(2).query().get("resourceVersion"));
    applyBurst();
    assertScraping(Set.of("prod.new/new"), scraping());
    assertEquals(1, counter(KubernetesMetrics.RESTARTS, "reason", "expired"));
  }

  @Test
  void shouldListAgainWhenTheWatchStreamReportsExpiryAsAnErrorEvent() {
    addPod("prod", "old");
    api.expireAsErrorEvent();
    start();
    attempt();
    api.delete("prod", "old");
    api.compact();

    attempt();
    attempt();

    assertEquals(2, lists().size());
    applyBurst();
    assertScraping(Set.of(), scraping());
    assertEquals(1, counter(KubernetesMetrics.RESTARTS, "reason", "expired"));
  }

  @Test
  void shouldResumeFromTheLastEventOrBookmarkWhenTheServerEndsTheStream() {
    start();
    attempt();
    addPod("prod", "api-0");
    attempt();
    String afterEvent = Long.toString(api.resourceVersion());
    api.bookmark();
    attempt(); // from the event, gets the bookmark
    attempt(); // from the bookmark

    assertEquals(afterEvent, watches().get(2).query().get("resourceVersion"));
    assertEquals(Long.toString(api.resourceVersion()), watches().get(3).query().get("resourceVersion"));
    assertEquals(1, lists().size(), "never listed again");
    assertEquals(4, counter(KubernetesMetrics.RESTARTS, "reason", "ended"));
  }

  @Test
  void shouldKeepOneOfTwoPodsWithOneIdentityPreferringConfiguredTargets() {
    start();
    TargetUnion.Source configured = union.source("config"); // registered after kubernetes here
    api.add(scraped("b", "orders-0").annotate("service", "orders").build());
    api.add(scraped("a", "orders-0").annotate("service", "orders").ip("10.0.0.2").build());
    api.add(scraped("a", "pay-0").annotate("service", "pay").build());
    attempt();
    applyBurst();

    assertScraping(Set.of("orders/orders-0", "pay/pay-0"), scraping());
    assertEquals("http://10.0.0.2:6060/debug/pprof", manager.status().stream()
        .filter(s -> s.target().id().service().equals("orders")).findFirst().orElseThrow()
        .target().pprofBase().toString(), "the pod first by namespace/name");
    assertEquals(1, gauge("skipped"));
    assertEquals(2, gauge("scraped"));
    assertEquals(KubernetesDiscovery.SOURCE, union.origin(new TargetId("pay", "pay-0")));
    configured.set(List.of());
  }

  @Test
  void shouldScrapeOnlyThePodsOfThisAgentsShard() {
    Shard shard = new Shard(1, 3);
    List<String> names = IntStream.range(0, 30).mapToObj(i -> "api-" + i).toList();
    names.forEach(n -> addPod("prod", n));
    start(shard, List.of(), Map.of());
    attempt();
    applyBurst();

    Set<String> mine = names.stream().map(n -> new TargetId("prod." + n, n))
        .filter(shard::owns).map(TargetId::toString).collect(Collectors.toCollection(TreeSet::new));
    assertScraping(mine, scraping());
    assertEquals(mine.size(), gauge("scraped"));
    assertEquals(30 - mine.size(), gauge("other_shard"));
  }

  @Test
  void shouldSkipBadPodsWithTheirReasonOnceWhileScrapingTheGoodOnes() {
    addPod("prod", "good");
    api.add(scraped("prod", "no-port").withoutAnnotation("port").build());
    api.add(scraped("prod", "bad-limit").annotate("memory-limit", "1GB").build());
    api.add(scraped("prod", "pending").phase("Pending").build());
    start();
    attempt();
    applyBurst();
    api.modify(scraped("prod", "bad-limit").annotate("memory-limit", "2GB").build());
    attempt();

    assertScraping(Set.of("prod.good/good"), scraping());
    assertEquals(1, counter(KubernetesMetrics.SKIPS, "reason", "no_port"));
    assertEquals(1, counter(KubernetesMetrics.SKIPS, "reason", "bad_memory_limit"), "once per pod and reason");
    assertEquals(2, gauge("skipped"));
    assertEquals(1, gauge("waiting"));
  }

  @Test
  void shouldWatchEachConfiguredNamespaceWithTheSelectorsAsGiven() {
    String selector = "tier in (backend, api),env!=dev,!canary";
    api.add(scraped("a", "x").label("tier", "backend").build());
    api.add(scraped("b", "y").label("tier", "api").build());
    api.add(scraped("c", "z").label("tier", "backend").build());
    api.add(scraped("a", "dev").label("tier", "backend").label("env", "dev").build());
    api.add(scraped("a", "canary").label("tier", "backend").label("canary", "true").build());
    api.add(scraped("b", "elsewhere").label("tier", "backend").node("node-2").build());
    start(Shard.ALL, List.of("a", "b"), selector, "node-1", Map.of());
    attempt();
    attempt();
    applyBurst();

    assertScraping(Set.of("a.x/x", "b.y/y"), scraping());
    assertEquals(Set.of("/api/v1/namespaces/a/pods", "/api/v1/namespaces/b/pods"),
        lists().stream().map(r -> r.path()).collect(Collectors.toSet()));
    for (var r : api.requests()) {
      assertEquals(selector, r.query().get("labelSelector"), r.toString());
      assertEquals("spec.nodeName=node-1", r.query().get("fieldSelector"), r.toString());
    }
  }

  @Test
  void shouldListFromTheApiServersCacheOnlyWhenScopedToOneNode() {
    IntStream.range(0, 600).forEach(i -> addPod("prod", "api-" + i));
    start(Shard.ALL, List.of(), null, "node-1", Map.of());
    attempt();

    assertEquals("0", lists().get(0).query().get("resourceVersion"), "served by the watch cache");
    assertNull(lists().get(1).query().get("resourceVersion"), "a continued page carries only its token");
    assertEquals(600, discovery.targets().size());
  }

  @Test
  void shouldListFromEtcdAfterAnExpiryWhenTheApiServersCacheIsBehind() {
    long cacheAt = api.resourceVersion();
    addPod("prod", "api-0");
    addPod("prod", "api-1");
    api.compact(); // a watch from before api-1 is too old
    api.cacheBehindAt(cacheAt);
    start(Shard.ALL, List.of(), null, "node-1", Map.of());

    attempt(); // list from the cache, watch from its version: 410 Gone
    attempt(); // list from etcd, watch from the current version

    assertEquals("0", lists().get(0).query().get("resourceVersion"), "first from the cache");
    assertNull(lists().get(1).query().get("resourceVersion"),
        "after an expiry, a consistent read: the cache would answer with the same old version");
    assertEquals(Long.toString(cacheAt), watches().get(0).query().get("resourceVersion"));
    assertEquals(Long.toString(api.resourceVersion()), watches().get(1).query().get("resourceVersion"));
    assertEquals(1, counter(KubernetesMetrics.RESTARTS, "reason", "expired"));
    assertEquals(List.of(Duration.ZERO, Duration.ZERO), watchThread.requested().subList(0, 2),
        "the start, then the list again at once");
    applyBurst();
    assertScraping(Set.of("prod.api-0/api-0", "prod.api-1/api-1"), scraping());
  }

  @Test
  void shouldWaitTheBackoffWhenTheWatchExpiresAgainRightAfterListing() {
    addPod("prod", "api-0");
    api.expireEveryWatch();
    start();

    attempt();
    attempt();
    attempt();
    attempt();

    assertEquals(4, lists().size(), "every 410 lists again");
    assertEquals(4, counter(KubernetesMetrics.RESTARTS, "reason", "expired"));
    assertEquals(List.of(Duration.ZERO, Duration.ZERO, PodWatch.FIRST_BACKOFF, PodWatch.FIRST_BACKOFF.multipliedBy(2)),
        watchThread.requested().subList(0, 4), "the start, the first 410 at once, then the backoff, doubling");
  }
}
