package dev.leakwatch.agent.scrape;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.leakwatch.agent.metrics.AgentMetrics;
import dev.leakwatch.agent.model.ProfileKind;
import dev.leakwatch.agent.model.Target;
import dev.leakwatch.agent.model.TargetId;
import dev.leakwatch.agent.testing.Fixtures;
import dev.leakwatch.agent.testing.ManualScheduler;
import dev.leakwatch.agent.testing.MutableClock;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Semaphore;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * The scrape loop of one target in virtual time: pacing is asserted on the delays the loop asks
 * the scheduler for, so backoff is verified without waiting or timing.
 */
class TargetLoopTest {
  private static final Duration INTERVAL = Duration.ofSeconds(30);
  private static final Duration BACKOFF_MAX = Duration.ofMinutes(5);
  private static final Duration REPROBE = Duration.ofMinutes(30);

  private final ManualScheduler scheduler = new ManualScheduler();
  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private final AgentMetrics metrics = new AgentMetrics(registry);
  private final MutableClock clock = new MutableClock(Instant.parse("2025-01-31T12:00:00Z"));
  private final Map<ProfileKind, Supplier<CompletableFuture<byte[]>>> answers =
      new EnumMap<>(ProfileKind.class);
  private final List<ProfileKind> requested = new ArrayList<>();
  private final List<ProfileKind> published = new ArrayList<>();

  private TargetLoop loop(List<ProfileKind> kinds, Semaphore permits) {
    Target target =
        new Target(
            new TargetId("orders", "orders-0"), URI.create("http://127.0.0.1:1/debug/pprof"),
            kinds, INTERVAL, Duration.ofSeconds(5), Map.of(), null);
    ProfileFetcher fetcher =
        (uri, timeout, max) -> {
          ProfileKind kind =
              ProfileKind.byEndpoint(uri.getPath().substring(uri.getPath().lastIndexOf('/') + 1))
                  .orElseThrow();
          requested.add(kind);
          return answers.get(kind).get();
        };
    ScrapeContext ctx =
        new ScrapeContext(
            fetcher, (t, kind, time, body) -> published.add(kind), scheduler,
            new Pacing(0.0, BACKOFF_MAX, () -> 0.5), clock, metrics, permits, 16 << 20, REPROBE);
    TargetLoop loop = new TargetLoop(target, ctx, metrics.forTarget(target.id()));
    loop.start();
    return loop;
  }

  private static Supplier<CompletableFuture<byte[]>> failing(ScrapeFailure.Reason reason) {
    return () -> CompletableFuture.failedFuture(new ScrapeFailure(reason, "simulated " + reason));
  }

  private static Supplier<CompletableFuture<byte[]>> serving(byte[] body) {
    return () -> CompletableFuture.completedFuture(body);
  }

  /** Sum over every counter named {@code name} that carries {@code tags}. */
  private double counter(String name, String... tags) {
    return registry.find(name).tags(tags).counters().stream().mapToDouble(c -> c.count()).sum();
  }

  /** The delays asked for after the initial spread-out one. */
  private List<Duration> delaysAfterStart() {
    List<Duration> all = scheduler.requested();
    return all.subList(1, all.size());
  }

  @Test
  void shouldStartAtRandomPointOfFirstInterval() {
    loop(List.of(ProfileKind.HEAP), new Semaphore(1));
    // Pacing's random source returns 0.5: half the interval.
    assertEquals(List.of(INTERVAL.dividedBy(2)), scheduler.requested());
  }

  @Test
  void shouldBackOffExponentiallyWhileTargetFailsAndReturnToIntervalAfterRecovery() {
    answers.put(ProfileKind.HEAP, failing(ScrapeFailure.Reason.CONNECT));
    answers.put(ProfileKind.GOROUTINE, failing(ScrapeFailure.Reason.CONNECT));
    TargetLoop loop = loop(List.of(ProfileKind.HEAP, ProfileKind.GOROUTINE), new Semaphore(1));

    for (int i = 0; i < 6; i++) {
      assertTrue(scheduler.runNext());
    }

    // interval * 2^n, capped at backoffMax
    assertEquals(
        List.of(
            Duration.ofSeconds(60), Duration.ofSeconds(120), Duration.ofSeconds(240),
            BACKOFF_MAX, BACKOFF_MAX, BACKOFF_MAX),
        delaysAfterStart());
    assertEquals(6, loop.consecutiveFailures());
    assertEquals(
        6.0,
        registry.find("leakwatch.agent.target.consecutive.failures").gauge().value());
    assertEquals(
        6.0, counter("leakwatch.agent.scrape.failures", "profile", "heap", "reason", "connect"));
    assertEquals(6.0, counter("leakwatch.agent.scrapes", "outcome", "failed"), "the round ends at heap");
    assertEquals(1, scheduler.pendingCount(), "exactly one next round is scheduled");

    byte[] heap = Fixtures.profile(ProfileKind.HEAP);
    answers.put(ProfileKind.HEAP, serving(heap));
    answers.put(ProfileKind.GOROUTINE, serving(Fixtures.profile(ProfileKind.GOROUTINE)));
    assertTrue(scheduler.runNext());

    assertEquals(INTERVAL, scheduler.requested().get(scheduler.requested().size() - 1));
    assertEquals(0, loop.consecutiveFailures());
    assertEquals(List.of(ProfileKind.HEAP, ProfileKind.GOROUTINE), published);
    assertEquals(2.0, counter("leakwatch.agent.scrapes", "outcome", "ok"));
    assertEquals(heap.length, counter("leakwatch.agent.scraped.bytes", "profile", "heap"));
  }

  @Test
  void shouldCountAFetchThatThrowsInsteadOfFailingItsFutureAsAFailedScrape() {
    // e.g. the JDK's HTTP client refusing to build a request (a header value it does not accept)
    answers.put(ProfileKind.HEAP, () -> {
      throw new IllegalArgumentException("invalid header value");
    });
    TargetLoop loop = loop(List.of(ProfileKind.HEAP), new Semaphore(1));

    assertTrue(scheduler.runNext());
    assertTrue(scheduler.runNext());

    assertEquals(2, loop.consecutiveFailures(), "each round failed, none passed as scraping nothing");
    assertEquals(2.0, counter("leakwatch.agent.scrape.failures", "profile", "heap", "reason", "io"));
    assertEquals(1, scheduler.pendingCount(), "the loop goes on: exactly one next round is scheduled");
    assertEquals(List.of(INTERVAL.multipliedBy(2), INTERVAL.multipliedBy(4)), delaysAfterStart());
  }

  @Test
  void shouldEndRoundAtFirstProfileWhenTargetAcceptsConnectionsButNeverAnswers() throws Exception {
    // a hung process: the kernel accepts the connection, nothing ever answers
    List<Socket> accepted = new CopyOnWriteArrayList<>();
    try (ServerSocket hung = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
      Thread acceptor =
          new Thread(
              () -> {
                try {
                  while (true) {
                    accepted.add(hung.accept());
                  }
                } catch (IOException closed) {
                  // the test is over
                }
              });
      acceptor.setDaemon(true);
      acceptor.start();
      Target target =
          new Target(
              new TargetId("orders", "orders-hung"),
              URI.create("http://127.0.0.1:" + hung.getLocalPort() + "/debug/pprof"),
              List.of(ProfileKind.HEAP, ProfileKind.GOROUTINE, ProfileKind.ALLOCS), INTERVAL,
              Duration.ofMillis(200), Map.of(), null);
      Semaphore permits = new Semaphore(1);
      ScrapeContext ctx =
          new ScrapeContext(
              new HttpProfileFetcher("test"), (t, kind, time, body) -> published.add(kind),
              scheduler, new Pacing(0.0, BACKOFF_MAX, () -> 0.5), clock, metrics, permits,
              16 << 20, REPROBE);
      TargetLoop loop = new TargetLoop(target, ctx, metrics.forTarget(target.id()));
      loop.start();

      scheduler.runNext();
      await().atMost(Duration.ofSeconds(30)).until(() -> loop.consecutiveFailures() == 1);
      // the kernel accepted the connection before the fetch timed out, but the acceptor thread may
      // not have taken it yet on a loaded machine
      await().atMost(Duration.ofSeconds(30)).until(() -> !accepted.isEmpty());

      // one timeout per round, not one per profile: the permit is back after the first
      assertEquals(1, accepted.size(), "connections the round opened to the hung target");
      assertEquals(1, permits.availablePermits());
      assertEquals(1.0, counter("leakwatch.agent.scrape.failures", "reason", "timeout"));
      assertEquals(1.0, counter("leakwatch.agent.scrapes", "outcome", "failed"));
      assertEquals(INTERVAL.multipliedBy(2), scheduler.requested().get(1), "backs off as failed");
      for (Socket s : accepted) {
        s.close();
      }
    }
  }

  @Test
  void shouldEndRoundAtFirstRefusedConnection() {
    answers.put(ProfileKind.HEAP, failing(ScrapeFailure.Reason.CONNECT));
    answers.put(ProfileKind.GOROUTINE, failing(ScrapeFailure.Reason.CONNECT));
    TargetLoop loop = loop(List.of(ProfileKind.HEAP, ProfileKind.GOROUTINE), new Semaphore(1));

    scheduler.runNext();

    assertEquals(List.of(ProfileKind.HEAP), requested);
    assertEquals(1, loop.consecutiveFailures());
  }

  @Test
  void shouldAskForEveryProfileWhenTargetAnswersButSlowly() {
    // response headers arrived, the body did not finish in time: a slow profile, not a hung target
    answers.put(ProfileKind.HEAP, failing(ScrapeFailure.Reason.TIMEOUT));
    answers.put(ProfileKind.GOROUTINE, serving(Fixtures.profile(ProfileKind.GOROUTINE)));
    loop(List.of(ProfileKind.HEAP, ProfileKind.GOROUTINE), new Semaphore(1));

    scheduler.runNext();

    assertEquals(List.of(ProfileKind.HEAP, ProfileKind.GOROUTINE), requested);
    assertEquals(List.of(ProfileKind.GOROUTINE), published);
  }

  @Test
  void shouldKeepIntervalWhenOnlySomeProfilesFail() {
    answers.put(ProfileKind.HEAP, serving(Fixtures.profile(ProfileKind.HEAP)));
    answers.put(ProfileKind.GOROUTINE, failing(ScrapeFailure.Reason.HTTP_STATUS));
    TargetLoop loop = loop(List.of(ProfileKind.HEAP, ProfileKind.GOROUTINE), new Semaphore(1));

    scheduler.runNext();
    scheduler.runNext();

    assertEquals(List.of(INTERVAL, INTERVAL), delaysAfterStart());
    assertEquals(0, loop.consecutiveFailures());
    assertEquals(List.of(ProfileKind.HEAP, ProfileKind.HEAP), published);
    assertEquals(
        2.0,
        counter("leakwatch.agent.scrape.failures", "profile", "goroutine", "reason", "http_status"));
  }

  @Test
  void shouldRejectBodyThatIsNotPprofWithoutPublishingIt() {
    byte[] html = "<html><body>404 page not found</body></html>".getBytes(StandardCharsets.UTF_8);
    answers.put(ProfileKind.HEAP, serving(html));
    TargetLoop loop = loop(List.of(ProfileKind.HEAP), new Semaphore(1));

    scheduler.runNext();

    assertEquals(List.of(), published);
    assertEquals(
        1.0, counter("leakwatch.agent.scrape.failures", "profile", "heap", "reason", "not_pprof"));
    assertEquals(1, loop.consecutiveFailures());
  }

  @Test
  void shouldTreatMissingOptionalProfileAsNotServedAndAskAgainOnlyAfterReprobe() {
    answers.put(ProfileKind.HEAP, serving(Fixtures.profile(ProfileKind.HEAP)));
    answers.put(ProfileKind.GOROUTINELEAK, failing(ScrapeFailure.Reason.NOT_SERVED));
    TargetLoop loop = loop(List.of(ProfileKind.HEAP, ProfileKind.GOROUTINELEAK), new Semaphore(1));

    scheduler.runNext();
    clock.advance(INTERVAL);
    scheduler.runNext();

    assertEquals(
        List.of(ProfileKind.HEAP, ProfileKind.GOROUTINELEAK, ProfileKind.HEAP), requested);
    assertEquals(0, loop.consecutiveFailures());
    assertEquals(0.0, counter("leakwatch.agent.scrapes", "outcome", "failed"));
    assertEquals(List.of(INTERVAL, INTERVAL), delaysAfterStart());

    clock.advance(REPROBE);
    scheduler.runNext();
    assertEquals(ProfileKind.GOROUTINELEAK, requested.get(requested.size() - 1));
  }

  @Test
  void shouldCountRequiredProfileAnswering404AsFailure() {
    answers.put(ProfileKind.HEAP, failing(ScrapeFailure.Reason.NOT_SERVED));
    TargetLoop loop = loop(List.of(ProfileKind.HEAP), new Semaphore(1));

    scheduler.runNext();

    assertEquals(1, loop.consecutiveFailures());
    assertEquals(
        1.0, counter("leakwatch.agent.scrape.failures", "profile", "heap", "reason", "not_served"));
  }

  @Test
  void shouldDeferRoundWithoutFetchingWhenAllScrapePermitsAreTaken() {
    answers.put(ProfileKind.HEAP, serving(new byte[0]));
    loop(List.of(ProfileKind.HEAP), new Semaphore(0));

    scheduler.runNext();

    assertEquals(List.of(), requested);
    assertEquals(List.of(Duration.ofSeconds(1)), delaysAfterStart());
    assertEquals(1.0, counter("leakwatch.agent.scrape.deferred"));
  }

  @Test
  void shouldStopSchedulingAfterClose() {
    answers.put(ProfileKind.HEAP, failing(ScrapeFailure.Reason.CONNECT));
    TargetLoop loop = loop(List.of(ProfileKind.HEAP), new Semaphore(1));

    loop.close();

    assertEquals(0, scheduler.pendingCount());
    loop.runRound();
    assertEquals(List.of(), requested);
  }
}
