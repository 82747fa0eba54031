package dev.leakwatch.http;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.leakwatch.query.PeerResponse;
import dev.leakwatch.query.UnavailableException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.streams.state.HostInfo;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A peer that answers slowly or not at all must not hold a query longer than {@code http.peerTimeout}:
 * peers here are raw sockets that stall where a real one might (before the headers, in the body).
 */
class HttpPeerClientTest {

  private static final Duration TIMEOUT = Duration.ofMillis(300);
  /** Far beyond the timeout: waiting this long means the client hung. */
  private static final long HUNG_SECONDS = 30;

  // sockets the peers' threads accept are added while the test runs
  private final List<AutoCloseable> open = new CopyOnWriteArrayList<>();
  // replies the peers of stallingPeers have written in full
  private final AtomicInteger answered = new AtomicInteger();

  @AfterEach
  void close() throws Exception {
    for (AutoCloseable c : open) {
      c.close();
    }
  }

  @Test
  void shouldGiveUpOnAPeerThatStallsInTheBodyWithoutRetrying() throws Exception {
    HostInfo peer = stallingPeers("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{\"a\":");
    UnavailableException e = failure(new HttpPeerClient("self:1", null, TIMEOUT, 1 << 20).get(peer, "/api/v1/x"));
    assertFalse(e.retryable(), "another attempt would wait as long again");
    assertTrue(e.getMessage().contains("within 300 ms (http.peerTimeout)"), e.getMessage());
    assertEquals(List.of("host 127.0.0.1:" + peer.port() + ": timed out"), e.details());
  }

  @Test
  void shouldGiveUpOnAPeerThatNeverAnswersWithoutRetrying() throws Exception {
    HostInfo peer = stallingPeers("");
    UnavailableException e = failure(new HttpPeerClient("self:1", null, TIMEOUT, 1 << 20).get(peer, "/api/v1/x"));
    assertFalse(e.retryable());
    assertTrue(e.getMessage().contains("did not answer /api/v1/x within 300 ms"), e.getMessage());
  }

  @Test
  void shouldReadAWholeAnswerThatArrivesInTime() throws Exception {
    String json = "{\"ok\":true}";
    HostInfo peer = stallingPeers("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: "
        + json.length() + "\r\n\r\n" + json);
    // not TIMEOUT: the first exchange of the JVM loads the HTTP client, which can take longer under load
    PeerResponse r = new HttpPeerClient("self:1", null, Duration.ofSeconds(HUNG_SECONDS), 1 << 20).get(peer, "/api/v1/x")
        .get(HUNG_SECONDS, TimeUnit.SECONDS);
    assertEquals(200, r.status());
    assertEquals(json, new String(r.body(), StandardCharsets.UTF_8));
  }

  @Test
  void shouldReadAHealthyPeerWhileHundredsOfOtherPeerBodiesStall() throws Exception {
    // Each stalled body used to hold a thread in a blocking read until its timeout: a new thread
    // per answer where the common pool has one worker (2 CPUs), else pool workers plus at most 256
    // spares, after which every other peer's answer waited behind the stalls and timed out too.
    int stalls = 320;
    HostInfo stalling = stallingPeers("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{");
    HttpPeerClient patient = new HttpPeerClient("self:1", null, Duration.ofSeconds(HUNG_SECONDS), 1 << 20);
    List<CompletableFuture<PeerResponse>> stalled = new ArrayList<>();
    for (int i = 0; i < stalls; i++) {
      stalled.add(patient.get(stalling, "/api/v1/stalls"));
    }
    String json = "{\"ok\":true}";
    HostInfo healthy = stallingPeers("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: "
        + json.length() + "\r\n\r\n" + json);
    // asked after every stalled body has begun: the stalling peer answered all their headers
    await().atMost(Duration.ofSeconds(HUNG_SECONDS)).until(() -> answered.get() >= stalls);
    PeerResponse r = new HttpPeerClient("self:1", null, Duration.ofSeconds(2), 1 << 20).get(healthy, "/api/v1/x")
        .get(HUNG_SECONDS, TimeUnit.SECONDS);
    assertEquals(json, new String(r.body(), StandardCharsets.UTF_8));
    assertTrue(stalled.stream().noneMatch(CompletableFuture::isDone), "the stalled bodies are still arriving");
    for (AutoCloseable c : open) {
      c.close(); // ends the stalled exchanges here rather than during the next test
    }
    await().atMost(Duration.ofSeconds(HUNG_SECONDS)).until(() -> stalled.stream().allMatch(CompletableFuture::isDone));
  }

  @Test
  void shouldRefuseAnAnswerOverTheLimitNamingTheSettingWithoutRetrying() throws Exception {
    String json = "{\"pad\":\"" + "x".repeat(2000) + "\"}";
    HostInfo peer = stallingPeers("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: "
        + json.length() + "\r\n\r\n" + json);
    // not TIMEOUT: the answer must arrive for its size to be refused, and a fresh client's first exchange
    // can take longer than 300 ms under load (the refusal would then be a timeout)
    UnavailableException e = failure(new HttpPeerClient("self:1", null, Duration.ofSeconds(HUNG_SECONDS), 1024)
        .get(peer, "/api/v1/x"));
    assertFalse(e.retryable(), "the same answer would be as large again");
    assertTrue(e.getMessage().contains("answered /api/v1/x with more than 1024 bytes (http.maxPeerResponseBytes)"),
        e.getMessage());
  }

  private static UnavailableException failure(CompletableFuture<PeerResponse> answer) {
    ExecutionException e = assertThrows(ExecutionException.class, () -> answer.get(HUNG_SECONDS, TimeUnit.SECONDS));
    return assertInstanceOf(UnavailableException.class, e.getCause());
  }

  /**
   * A peer that, on every connection, reads one request, writes {@code reply} and then keeps the
   * connection open, silent.
   */
  private HostInfo stallingPeers(String reply) throws IOException {
    ServerSocket server = new ServerSocket(0, 128, InetAddress.getLoopbackAddress());
    open.add(server);
    Thread t = new Thread(() -> {
      try {
        while (true) {
          Socket s = server.accept();
          open.add(s);
          readHeaders(s.getInputStream());
          OutputStream out = s.getOutputStream();
          out.write(reply.getBytes(StandardCharsets.UTF_8));
          out.flush();
          answered.incrementAndGet();
        }
      } catch (IOException ignored) {
        // closed at the end of the test
      }
    }, "stalling-peers");
    t.setDaemon(true);
    t.start();
    return new HostInfo("127.0.0.1", server.getLocalPort());
  }

  private static void readHeaders(InputStream in) throws IOException {
    ByteArrayOutputStream seen = new ByteArrayOutputStream();
    int b;
    while ((b = in.read()) >= 0) {
      seen.write(b);
      if (seen.toString(StandardCharsets.ISO_8859_1).endsWith("\r\n\r\n")) {
        return;
      }
    }
  }
}
