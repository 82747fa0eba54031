package dev.leakwatch.agent.scrape;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.leakwatch.agent.metrics.AgentMetrics;
import dev.leakwatch.agent.model.ProfileKind;
import dev.leakwatch.agent.model.Target;
import dev.leakwatch.agent.model.TargetId;
import dev.leakwatch.agent.testing.Fixtures;
import dev.leakwatch.agent.testing.ManualScheduler;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Semaphore;
import org.junit.jupiter.api.Test;

/**
 * A target whose response has no length (neither Content-Length nor chunked: the body ends when
 * the connection closes, as an HTTP/1.0 server or proxy sends it) and whose connection closes
 * halfway through a recorded Go profile: the HTTP client sees a complete response, so only the
 * pprof check can tell the profile is cut off.
 */
class CutOffBodyTest {
  @Test
  void shouldCountACutOffProfileAsNotPprofAndPublishNothing() throws Exception {
    byte[] heap = Fixtures.typicalHeap();
    try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      Thread serving = new Thread(() -> answerHalf(server, heap), "cut-off-target");
      serving.setDaemon(true);
      serving.start();
      SimpleMeterRegistry registry = new SimpleMeterRegistry();
      AgentMetrics metrics = new AgentMetrics(registry);
      List<ProfileKind> published = new CopyOnWriteArrayList<>();
      ManualScheduler scheduler = new ManualScheduler();
      Target target =
          new Target(
              new TargetId("orders", "orders-0"),
              URI.create("http://127.0.0.1:" + server.getLocalPort() + "/debug/pprof"),
              List.of(ProfileKind.HEAP), Duration.ofSeconds(30), Duration.ofSeconds(10), Map.of(),
              null);
      ScrapeContext ctx =
          new ScrapeContext(
              new HttpProfileFetcher("test"), (t, kind, time, body) -> published.add(kind),
              scheduler, new Pacing(0.0, Duration.ofMinutes(5), () -> 0.5), Clock.systemUTC(),
              metrics, new Semaphore(1), 16 << 20, Duration.ofMinutes(30));
      TargetLoop loop = new TargetLoop(target, ctx, metrics.forTarget(target.id()));
      loop.start();

      scheduler.runNext();

      await().atMost(Duration.ofSeconds(20)).until(loop::roundEnded);
      assertEquals(List.of(), published);
      assertEquals(
          1.0,
          registry.find("leakwatch.agent.scrapes")
              .tags("profile", "heap", "outcome", "failed").counter().count());
      assertEquals(
          1.0,
          registry.find("leakwatch.agent.scrape.failures")
              .tags("profile", "heap", "reason", "not_pprof").counter().count());
      loop.close();
    }
  }

  /** Answers one request with the first half of {@code body}, then closes the connection. */
  private static void answerHalf(ServerSocket server, byte[] body) {
    try (Socket s = server.accept()) {
      InputStream in = s.getInputStream();
      // the request head ends with an empty line
      int matched = 0;
      while (matched < 4) {
        int c = in.read();
        if (c < 0) {
          return;
        }
        matched = (c == "\r\n\r\n".charAt(matched)) ? matched + 1 : (c == '\r' ? 1 : 0);
      }
      OutputStream out = s.getOutputStream();
      out.write(
          "HTTP/1.1 200 OK\r\nContent-Type: application/octet-stream\r\nConnection: close\r\n\r\n"
              .getBytes(StandardCharsets.US_ASCII));
      out.write(body, 0, body.length / 2);
      out.flush();
    } catch (IOException e) {
      // the agent hung up: the test's assertions tell
    }
  }
}
