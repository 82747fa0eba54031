package dev.leakwatch.agent.scrape;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.leakwatch.agent.metrics.AgentMetrics;
import dev.leakwatch.agent.model.ProfileKind;
import dev.leakwatch.agent.model.Target;
import dev.leakwatch.agent.model.TargetId;
import dev.leakwatch.agent.testing.Fixtures;
import dev.leakwatch.agent.testing.ManualScheduler;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * Stopping the scrapers at shutdown, against a real HTTP server serving recorded Go profiles: the
 * requests already sent are waited for, but a round asks for nothing more, so a slow target does
 * not spend the shutdown grace that the buffered profiles need to reach Kafka.
 */
class ScrapeShutdownTest {

  private static void respond(HttpExchange ex, byte[] body) throws IOException {
    ex.getResponseHeaders().set("Content-Type", "application/octet-stream");
    ex.sendResponseHeaders(200, body.length);
    try (OutputStream out = ex.getResponseBody()) {
      out.write(body);
    }
  }

  @Test
  void shouldAskForNoFurtherProfileOfTheRoundInFlightOnceStopping() throws Exception {
    byte[] heap = Fixtures.profile(ProfileKind.HEAP);
    byte[] goroutine = Fixtures.profile(ProfileKind.GOROUTINE);
    CountDownLatch heapAsked = new CountDownLatch(1);
    CountDownLatch heapReleased = new CountDownLatch(1);
    AtomicInteger goroutineAsked = new AtomicInteger();
    HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext(
        "/debug/pprof/heap",
        ex -> {
          heapAsked.countDown();
          try {
            heapReleased.await(1, TimeUnit.MINUTES); // a slow heap profile
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
          respond(ex, heap);
        });
    server.createContext(
        "/debug/pprof/goroutine",
        ex -> {
          goroutineAsked.incrementAndGet();
          respond(ex, goroutine);
        });
    server.start();
    try {
      ManualScheduler scheduler = new ManualScheduler();
      Semaphore permits = new Semaphore(1);
      List<ProfileKind> sunk = new CopyOnWriteArrayList<>();
      ScrapeManager scrapes =
          new ScrapeManager(
              new ScrapeContext(
                  new HttpProfileFetcher("test"), (t, k, time, body) -> sunk.add(k), scheduler,
                  new Pacing(0, Duration.ofMinutes(1), () -> 0.5), Clock.systemUTC(),
                  new AgentMetrics(new SimpleMeterRegistry()), permits, 1 << 24,
                  Duration.ofMinutes(30)));
      scrapes.apply(
          List.of(
              new Target(
                  new TargetId("orders", "orders-1"),
                  URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/debug/pprof"),
                  List.of(ProfileKind.HEAP, ProfileKind.GOROUTINE), Duration.ofSeconds(30),
                  Duration.ofSeconds(20), Map.of(), null)));
      scheduler.runNext(); // the round starts with heap
      await().atMost(Duration.ofSeconds(30)).until(() -> heapAsked.getCount() == 0);

      scrapes.close(Duration.ZERO); // shutdown: the loops stop, the round's heap is still awaited
      heapReleased.countDown();

      // the round has ended when it gives its permit back
      await().atMost(Duration.ofSeconds(30)).until(() -> permits.availablePermits() == 1);
      assertEquals(List.of(ProfileKind.HEAP), sunk, "the profile asked for before stopping arrives");
      assertEquals(0, goroutineAsked.get(), "nothing is asked for after stopping");
    } finally {
      heapReleased.countDown();
      server.stop(0);
    }
  }
}
