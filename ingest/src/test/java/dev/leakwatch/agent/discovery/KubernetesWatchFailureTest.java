package dev.leakwatch.agent.discovery;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.leakwatch.agent.scrape.Pacing;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * What discovery does when the API server drops a stream, rotates the token or refuses the
 * agent, against a protocol double of the API server (not a real one).
 */
class KubernetesWatchFailureTest extends KubernetesWatchTest {

  @Test
  void shouldResumeFromTheLastSeenVersionAfterTheStreamBreaks() {
    api.holdStreams();
    start();
    CompletableFuture<Void> first = CompletableFuture.runAsync(this::attempt);
    awaitWatchOpen(1);
    addPod("prod", "api-0");
    String seen = Long.toString(api.resourceVersion());
    await().until(() -> discovery.targets().size() == 1);

    api.dropStreams();
    first.join();
    CompletableFuture<Void> second = CompletableFuture.runAsync(this::attempt);
    awaitWatchOpen(2);
    api.endStreams();
    second.join();

    assertEquals(seen, watches().get(1).query().get("resourceVersion"));
    assertEquals(1, lists().size(), "not listed again");
    assertEquals(Duration.ofSeconds(1), watchThread.requested().get(1), "retried after the backoff");
    assertEquals(1, counter(KubernetesMetrics.ERRORS, "reason", "unreachable"));
    applyBurst();
    assertScraping(Set.of("prod.api-0/api-0"), scraping());
  }

  @Test
  void shouldAbortASilentStreamAndResumeFromTheLastSeenVersionWhenNothingArrivesForTheStallBound() {
    stallBound = Duration.ofMillis(300);
    addPod("prod", "api-0");
    start();
    attempt();
    addPod("prod", "api-1");
    String seen = Long.toString(api.resourceVersion());
    api.blackHoleNext(1); // sends api-1, then not a byte, and no end even at timeoutSeconds

    CompletableFuture<Void> silent = CompletableFuture.runAsync(this::attempt);
    await().until(silent::isDone);
    attempt();
    applyBurst();

    assertEquals(seen, watches().get(2).query().get("resourceVersion"));
    assertEquals(1, lists().size(), "not listed again");
    assertEquals(Duration.ofSeconds(1), watchThread.requested().get(2), "retried after the backoff");
    assertEquals(1, counter(KubernetesMetrics.ERRORS, "reason", "stalled"));
    assertEquals(0, counter(KubernetesMetrics.ERRORS, "reason", "unreachable"));
    assertScraping(Set.of("prod.api-0/api-0", "prod.api-1/api-1"), scraping());
  }

  @Test
  void shouldAbortAListPageThatGoesSilentMidBodyAndListAgainAfterTheBackoff() {
    stallBound = Duration.ofMillis(300);
    addPod("prod", "api-0");
    api.blackHoleNextLists(1); // half a page, then not a byte, and no end

    start();
    CompletableFuture<Void> silent = CompletableFuture.runAsync(this::attempt);
    await().until(silent::isDone);
    attempt();
    applyBurst();

    assertEquals(2, lists().size(), "listed again");
    assertEquals(Duration.ofSeconds(1), watchThread.requested().get(1), "after the backoff");
    assertEquals(1, counter(KubernetesMetrics.ERRORS, "reason", "stalled"));
    assertScraping(Set.of("prod.api-0/api-0"), scraping());
  }

  @Test
  void shouldEndAListPageReadInProgressWhenDiscoveryCloses() {
    addPod("prod", "api-0");
    api.blackHoleNextLists(1);
    start();

    CompletableFuture<Void> silent = CompletableFuture.runAsync(this::attempt);
    await().until(() -> lists().size() == 1);
    discovery.close();
    await().until(silent::isDone); // the read blocked in the silent page was woken by the close

    KubernetesMetrics.ERROR_REASONS.forEach(
        r -> assertEquals(0, counter(KubernetesMetrics.ERRORS, "reason", r), "a stop, not a failure: " + r));
    assertEquals(0, watches().size(), "no watch after the close");
  }

  @Test
  void shouldEndAWatchReadInProgressWhenDiscoveryCloses() {
    addPod("prod", "api-0");
    start();
    attempt();
    api.blackHoleNext(1); // the next watch: not a byte, and no end, within the default 6-minute bound

    CompletableFuture<Void> silent = CompletableFuture.runAsync(this::attempt);
    awaitWatchOpen(2);
    discovery.close();
    await().until(silent::isDone); // the read blocked in the silent stream was woken by the close

    assertEquals(0, counter(KubernetesMetrics.ERRORS, "reason", "stalled"), "a stop, not a stall");
    assertEquals(0, counter(KubernetesMetrics.ERRORS, "reason", "unreachable"), "a stop, not a failure");
    assertEquals(2, watches().size(), "no watch after the close");
  }

  @Test
  void shouldStopListingAndNotWatchWhenDiscoveryClosesDuringAListPage() {
    IntStream.range(0, 1100).forEach(i -> addPod("prod", "api-" + i));
    api.holdList(2);
    start();

    CompletableFuture<Void> listing = CompletableFuture.runAsync(this::attempt);
    await().until(() -> lists().size() == 2);
    discovery.close();
    api.releaseList();
    listing.join();

    assertEquals(2, lists().size(), "no page after the close");
    assertEquals(0, watches().size(), "no watch after the close");
    KubernetesMetrics.ERROR_REASONS.forEach(
        r -> assertEquals(0, counter(KubernetesMetrics.ERRORS, "reason", r), "a stop, not a failure: " + r));
    assertEquals(0, discovery.targets().size(), "a half list is never applied");
  }

  @Test
  void shouldSendTheRotatedTokenFromTheNextRequestOn() throws Exception {
    writeToken("first");
    api.requireToken("first");
    start();
    attempt();

    writeToken("second");
    api.requireToken("second");
    addPod("prod", "api-0");
    attempt();

    assertEquals(List.of("Bearer first", "Bearer first", "Bearer second"),
        api.requests().stream().map(r -> r.authorization()).toList());
    assertEquals(0, counter(KubernetesMetrics.ERRORS, "reason", "unauthorized"));
    assertEquals(1, discovery.targets().size());
  }

  @Test
  void shouldRetryARefusedListWithABackoffCappedAtOneMinute() {
    addPod("prod", "api-0");
    api.refuseNext(8, 403);
    start();

    for (int i = 0; i < 8; i++) {
      attempt();
    }
    assertEquals(8, counter(KubernetesMetrics.ERRORS, "reason", "forbidden"));
    assertEquals(0, manager.size());
    attempt();
    applyBurst();

    assertEquals(
        Stream.of(0, 1, 2, 4, 8, 16, 32, 60, 60, 0).map(Duration::ofSeconds).toList(),
        watchThread.requested());
    assertScraping(Set.of("prod.api-0/api-0"), scraping());
  }

  @Test
  void shouldSpreadEachBackoffByItsJitterWhileDoublingTheBackoffItself() {
    double[] draws = {0.0, 1.0, 0.5};
    int[] next = {0};
    backoffPacing = new Pacing(PodWatch.JITTER, PodWatch.MAX_BACKOFF, () -> draws[next[0]++]);
    api.refuseNext(3, 500);
    start();

    for (int i = 0; i < 3; i++) {
      attempt();
    }

    assertEquals(List.of(Duration.ZERO, Duration.ofMillis(800), Duration.ofMillis(2400), Duration.ofSeconds(4)),
        watchThread.requested(), "1 s, 2 s, 4 s, each scaled by a factor in [0.8, 1.2]");
  }

  @Test
  void shouldWaitAsLongAsATooManyRequestsAnswerAsksWhenThatIsLongerThanTheBackoff() {
    addPod("prod", "api-0");
    api.throttleNext(2, "5");
    start();

    attempt();
    attempt();
    attempt();

    assertEquals(List.of(Duration.ZERO, Duration.ofSeconds(5), Duration.ofSeconds(5), Duration.ZERO),
        watchThread.requested(), "Retry-After over the 1 s and 2 s backoff");
    assertEquals(2, counter(KubernetesMetrics.ERRORS, "reason", "http"));
    assertEquals(1, discovery.targets().size());
  }

  @Test
  void shouldBackOffWhenWatchStreamsEndAsSoonAsTheyOpenWithNoEvent() {
    shortWatch = Duration.ofMinutes(1); // the double ends every watch at once when nothing is due
    start();

    attempt(); // list, then a watch that ends at once
    attempt();
    addPod("prod", "api-0");
    attempt(); // an event: a normal end

    assertEquals(List.of(Duration.ZERO, Duration.ofSeconds(1), Duration.ofSeconds(2), Duration.ZERO),
        watchThread.requested(), "not a tight loop of requests");
    assertEquals(2, counter(KubernetesMetrics.ERRORS, "reason", "unreachable"));
    assertEquals(1, counter(KubernetesMetrics.RESTARTS, "reason", "ended"));
    assertEquals(1, discovery.targets().size());
  }

  @Test
  void shouldCountARefusalWithoutTokenAsUnauthorizedAndRetry() {
    api.requireToken("secret");
    start();

    ByteArrayOutputStream log = new ByteArrayOutputStream();
    PrintStream saved = System.err;
    System.setErr(new PrintStream(log, true, StandardCharsets.UTF_8));
    try {
      attempt();
    } finally {
      System.setErr(saved);
    }

    assertEquals(1, counter(KubernetesMetrics.ERRORS, "reason", "unauthorized"));
    assertEquals(Duration.ofSeconds(1), watchThread.requested().get(1));
    // a 401 is the token's fault, not RBAC's: the line must not send the reader to the roles
    String logged = log.toString(StandardCharsets.UTF_8);
    assertTrue(logged.contains("does not accept the agent's token (discovery.kubernetes.tokenFile"), logged);
    assertFalse(logged.contains("needs get, list and watch"), logged);
  }
}
